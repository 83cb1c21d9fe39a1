#include "domain/workitems/work_object.h"

#include "core/random.h"
#include "domain/workitems/workitems_errors.h"

namespace causeway::workitems {
namespace {

bool AllDigits(std::string_view s) {
  for (char c : s)
    if (c < '0' || c > '9') return false;
  return true;
}

int Num(std::string_view s) {
  int n = 0;
  for (char c : s) n = n * 10 + (c - '0');
  return n;
}

bool ValidDate(std::string_view s) {
  int y = Num(s.substr(0, 4)), m = Num(s.substr(4, 2)), d = Num(s.substr(6, 2));
  static constexpr int kDays[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  if (y < 1 || m < 1 || m > 12 || d < 1 || d > kDays[m - 1]) return false;
  return m != 2 || d < 29 || (y % 4 == 0 && (y % 100 != 0 || y % 400 == 0));
}

template <typename T>
void Set(const std::optional<T>& from, T& to) {
  if (from) to = *from;
}

}  // namespace

bool IsWorkPackageType(std::string_view process_type) { return process_type == kWorkPackage; }
bool IsWorkItemType(std::string_view process_type) {
  return process_type == kWorkItemGeneral || process_type == kWorkItemNormal;
}
bool IsKnownProcessType(std::string_view process_type) {
  return IsWorkPackageType(process_type) || IsWorkItemType(process_type);
}

std::string_view DocumentKindName(DocumentKind kind) {
  return kind == DocumentKind::kDocument ? "document" : "attachment";
}

std::optional<DocumentKind> ParseDocumentKind(std::string_view name) {
  if (name == "document") return DocumentKind::kDocument;
  if (name == "attachment") return DocumentKind::kAttachment;
  return std::nullopt;
}

bool ObjectPatch::empty() const {
  return !description && !project && !effort_unit && !priority && !impact && !urgency && !effort_hundredths &&
         !ppm_project_id && !ppm_project_text && !ppm_wave && !ppm_wave_text && !ppm_start_date && !ppm_finish_date &&
         !ppm_total_work_unit && !ppm_completion && !ppm_total_work && !requested && !forecast && !actual &&
         !classification && !wricef && !partners && !appointments && !categories && !process_structure;
}

void ApplyPatch(const ObjectPatch& p, WorkObject& o) {
  Set(p.description, o.description);
  Set(p.project, o.project);
  Set(p.effort_unit, o.effort_unit);
  Set(p.priority, o.priority);
  Set(p.impact, o.impact);
  Set(p.urgency, o.urgency);
  Set(p.effort_hundredths, o.effort_hundredths);
  Set(p.ppm_project_id, o.ppm_project_id);
  Set(p.ppm_project_text, o.ppm_project_text);
  Set(p.ppm_wave, o.ppm_wave);
  Set(p.ppm_wave_text, o.ppm_wave_text);
  Set(p.ppm_start_date, o.ppm_start_date);
  Set(p.ppm_finish_date, o.ppm_finish_date);
  Set(p.ppm_total_work_unit, o.ppm_total_work_unit);
  Set(p.ppm_completion, o.ppm_completion);
  Set(p.ppm_total_work, o.ppm_total_work);
  Set(p.requested, o.requested);
  Set(p.forecast, o.forecast);
  Set(p.actual, o.actual);
  Set(p.classification, o.classification);
  Set(p.wricef, o.wricef);
  Set(p.partners, o.partners);
  Set(p.appointments, o.appointments);
  Set(p.categories, o.categories);
  Set(p.process_structure, o.process_structure);
  if (o.ppm_wave.empty()) o.ppm_wave = std::string(kNoWave);
  for (Release* r : {&o.requested, &o.forecast, &o.actual})
    if (r->go_live_date.empty()) r->go_live_date = std::string(kNoDate);
  if (o.ppm_start_date.empty()) o.ppm_start_date = std::string(kNoDate);
  if (o.ppm_finish_date.empty()) o.ppm_finish_date = std::string(kNoDate);
  // Guide §3.4.2: of several partners in one function, one is always the main contact. When
  // none is marked, the first assigned is (a lone partner is nobody's main: the appendix's
  // sample sends PARTNER_MAIN "" for each).
  for (size_t i = 0; i < o.partners.size(); ++i) {
    const std::string& function = o.partners[i].function;
    bool first = true, several = false, marked = false;
    for (size_t j = 0; j < o.partners.size(); ++j) {
      if (o.partners[j].function != function) continue;
      if (j < i) first = false;
      if (j != i) several = true;
      marked = marked || o.partners[j].main;
    }
    if (first && several && !marked) o.partners[i].main = true;
  }
}

bool IsUpperHexGuid(std::string_view s) {
  if (s.size() != 32) return false;
  for (char c : s)
    if (!((c >= '0' && c <= '9') || (c >= 'A' && c <= 'F'))) return false;
  return true;
}

bool IsDate8(std::string_view s) {
  if (s.size() != 8 || !AllDigits(s)) return false;
  return s == kNoDate || ValidDate(s);
}

bool IsStamp14(std::string_view s) {
  if (s.size() != 14 || !AllDigits(s) || !ValidDate(s.substr(0, 8))) return false;
  return Num(s.substr(8, 2)) < 24 && Num(s.substr(10, 2)) < 60 && Num(s.substr(12, 2)) < 60;
}

bool IsTicketId(std::string_view s) { return s.size() == 10 && AllDigits(s); }

std::string NewGuid() { return core::RandomHexUpper(16); }

core::Status ValidateObject(const WorkObject& o) {
  if (!IsUpperHexGuid(o.guid)) return BadField("guid", "must be 32 upper-case hexadecimal characters");
  if (!IsTicketId(o.ticket_id)) return BadField("ticket_id", "must be 10 digits");
  if (!IsKnownProcessType(o.process_type)) return BadField("process_type", "must be S1IT, S1CG or S1MJ");
  if (o.is_package() != o.parent_guid.empty())
    return BadField("parent", o.is_package() ? "a work package has no parent" : "a work item needs its work package");
  if (o.description.empty()) return BadField("description", "must not be empty");
  if (o.description.size() > 200) return BadField("description", "at most 200 characters");
  if (o.project.empty()) return BadField("project", "must name the cPro project (SOLDOC_PROJECT)");
  for (auto [name, v] : {std::pair{"priority", o.priority}, {"impact", o.impact}, {"urgency", o.urgency}})
    if (v < 0 || v > 9) return BadField(name, "must be 0 (not set) to 9");
  if (o.effort_hundredths < 0) return BadField("effort", "must not be negative");
  if (o.ppm_completion < 0 || o.ppm_completion > 100) return BadField("ppm_completion", "must be 0 to 100");
  if (o.ppm_total_work < 0) return BadField("ppm_total_work", "must not be negative");
  if (o.ppm_wave.empty() || o.ppm_wave.size() > 30) return BadField("ppm_wave", "1 to 30 characters");
  for (auto [name, v] : {std::pair{"ppm_start_date", &o.ppm_start_date}, {"ppm_finish_date", &o.ppm_finish_date},
                         {"requested.go_live_date", &o.requested.go_live_date},
                         {"forecast.go_live_date", &o.forecast.go_live_date},
                         {"actual.go_live_date", &o.actual.go_live_date}})
    if (!IsDate8(*v)) return BadField(name, "must be a date YYYYMMDD (00000000: none)");
  for (size_t i = 0; i < o.partners.size(); ++i) {
    const auto& p = o.partners[i];
    std::string at = "partners[" + std::to_string(i) + "]";
    if (p.function.empty()) return BadField(at + ".function", "must not be empty");
    if (p.partner_no.empty()) return BadField(at + ".partner_no", "must not be empty");
    if (p.main) {
      for (size_t j = 0; j < i; ++j)
        if (o.partners[j].main && o.partners[j].function == p.function)
          return BadField(at + ".main", "only one main partner per function");
    }
  }
  for (size_t i = 0; i < o.appointments.size(); ++i) {
    const auto& a = o.appointments[i];
    std::string at = "appointments[" + std::to_string(i) + "]";
    if (a.date_type.empty()) return BadField(at + ".date_type", "must not be empty");
    if (!IsStamp14(a.stamp)) return BadField(at + ".timestamp", "must be YYYYMMDDhhmmss");
    if (a.duration < 0) return BadField(at + ".duration", "must not be negative");
    for (size_t j = 0; j < i; ++j)
      if (o.appointments[j].date_type == a.date_type) return BadField(at + ".date_type", "appears twice");
  }
  for (size_t i = 0; i < o.categories.size(); ++i)
    if (!IsUpperHexGuid(o.categories[i].guid))
      return BadField("categories[" + std::to_string(i) + "].guid", "must be 32 upper-case hexadecimal characters");
  for (size_t i = 0; i < o.texts.size(); ++i)
    if (o.texts[i].text_id.empty()) return BadField("texts[" + std::to_string(i) + "].text_id", "must not be empty");
  return core::Status::Ok();
}

}  // namespace causeway::workitems
