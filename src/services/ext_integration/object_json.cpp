#include "services/ext_integration/object_json.h"

#include <boost/json.hpp>

#include <cmath>

#include "core/base64.h"
#include "core/time_format.h"
#include "domain/workitems/workitems_errors.h"
#include "services/ext_integration/json_reader.h"
#include "services/ext_integration/payload_builder.h"

namespace causeway::services::ext_integration {
namespace {

namespace json = boost::json;
using namespace workitems;

core::Error Bad(const std::string& path, const std::string& text) { return BadField(path, text); }

json::object ReleaseJson(const Release& r) {
  return {{"number", r.number}, {"class", r.release_class}, {"type", r.type}, {"go_live_date", r.go_live_date}};
}

core::Result<Release> ReadRelease(const json::value& v, const std::string& path) {
  StrictObject o(v, path, Bad);
  CW_RETURN_IF_ERROR(o.Check());
  Release r;
  CW_RETURN_IF_ERROR(o.Str("number", r.number));
  CW_RETURN_IF_ERROR(o.Str("class", r.release_class));
  CW_RETURN_IF_ERROR(o.Str("type", r.type));
  CW_RETURN_IF_ERROR(o.Str("go_live_date", r.go_live_date));
  CW_RETURN_IF_ERROR(o.Done());
  return r;
}

// EFFORT: a JSON number or its text ("24480.00"), two decimals at most, and at most 15 digits
// before the point in every form (the text's limit), so that the hundredths always fit.
core::Result<int64_t> ReadHundredths(const json::value& v, const std::string& path) {
  constexpr int64_t kMaxWhole = 999'999'999'999'999;
  if (v.is_int64() || v.is_uint64()) {
    if (v.is_uint64() || v.as_int64() > kMaxWhole || v.as_int64() < -kMaxWhole)
      return Bad(path, "must have at most 15 digits before the decimal point");
    return v.as_int64() * 100;
  }
  if (v.is_double()) {
    // Beyond 2^53 hundredths a double no longer holds every hundredth exactly.
    if (!(std::fabs(v.as_double()) * 100.0 <= 9e15)) return Bad(path, "is too large to keep two decimals exactly");
    double scaled = std::round(v.as_double() * 100.0);
    if (std::fabs(scaled - v.as_double() * 100.0) > 1e-6) return Bad(path, "at most two decimals");
    return static_cast<int64_t>(scaled);
  }
  if (v.is_string()) {
    std::string_view s = v.as_string();
    size_t dot = s.find('.');
    std::string whole(s.substr(0, dot)), frac(dot == std::string_view::npos ? "" : s.substr(dot + 1));
    if (whole.empty() || whole.size() > 15 || frac.size() > 2 ||
        whole.find_first_not_of("0123456789") != std::string::npos ||
        frac.find_first_not_of("0123456789") != std::string::npos)
      return Bad(path, "must be a number with at most two decimals");
    while (frac.size() < 2) frac += '0';
    return std::stoll(whole) * 100 + std::stoll(frac);
  }
  return Bad(path, "must be a number");
}

core::Status ReadPatchFields(StrictObject& o, ObjectPatch& p) {
  auto str = [&](const char* key, std::optional<std::string>& out) -> core::Status {
    if (!o.Has(key)) return core::Status::Ok();
    std::string v;
    CW_RETURN_IF_ERROR(o.Str(key, v));
    out = std::move(v);
    return core::Status::Ok();
  };
  auto integer = [&](const char* key, std::optional<int>& out) -> core::Status {
    if (!o.Has(key)) return core::Status::Ok();
    int v = 0;
    CW_RETURN_IF_ERROR(o.Int(key, v));
    out = v;
    return core::Status::Ok();
  };
  CW_RETURN_IF_ERROR(str("description", p.description));
  CW_RETURN_IF_ERROR(integer("priority", p.priority));
  CW_RETURN_IF_ERROR(integer("impact", p.impact));
  CW_RETURN_IF_ERROR(integer("urgency", p.urgency));
  if (const json::value* e = o.Get("effort")) {
    CW_ASSIGN_OR_RETURN(int64_t h, ReadHundredths(*e, Join(o.path(), "effort")));
    p.effort_hundredths = h;
  }
  CW_RETURN_IF_ERROR(str("effort_unit", p.effort_unit));
  CW_RETURN_IF_ERROR(str("ppm_project_id", p.ppm_project_id));
  CW_RETURN_IF_ERROR(str("ppm_project_text", p.ppm_project_text));
  CW_RETURN_IF_ERROR(str("ppm_wave", p.ppm_wave));
  CW_RETURN_IF_ERROR(str("ppm_wave_text", p.ppm_wave_text));
  CW_RETURN_IF_ERROR(str("ppm_start_date", p.ppm_start_date));
  CW_RETURN_IF_ERROR(str("ppm_finish_date", p.ppm_finish_date));
  CW_RETURN_IF_ERROR(integer("ppm_completion", p.ppm_completion));
  if (o.Has("ppm_total_work")) {
    int64_t v = 0;
    CW_RETURN_IF_ERROR(o.Int64("ppm_total_work", v));
    p.ppm_total_work = v;
  }
  CW_RETURN_IF_ERROR(str("ppm_total_work_unit", p.ppm_total_work_unit));
  for (auto [key, out] : {std::pair{"requested_release", &p.requested}, {"forecast_release", &p.forecast},
                          {"actual_release", &p.actual}}) {
    if (const json::value* r = o.Get(key)) {
      CW_ASSIGN_OR_RETURN(Release rel, ReadRelease(*r, Join(o.path(), key)));
      *out = std::move(rel);
    }
  }
  CW_RETURN_IF_ERROR(str("classification", p.classification));
  if (o.Has("wricef")) {
    p.wricef.emplace();
    CW_RETURN_IF_ERROR(o.List("wricef", [&](const json::value& e, const std::string& at) -> core::Status {
      StrictObject w(e, at, Bad);
      CW_RETURN_IF_ERROR(w.Check());
      WricefAttribute a;
      CW_RETURN_IF_ERROR(w.Str("key", a.key, true));
      CW_RETURN_IF_ERROR(w.Str("value", a.value));
      CW_RETURN_IF_ERROR(w.Done());
      p.wricef->push_back(std::move(a));
      return core::Status::Ok();
    }));
  }
  if (o.Has("partners")) {
    p.partners.emplace();
    CW_RETURN_IF_ERROR(o.List("partners", [&](const json::value& e, const std::string& at) -> core::Status {
      StrictObject w(e, at, Bad);
      CW_RETURN_IF_ERROR(w.Check());
      PartnerAssignment a;
      CW_RETURN_IF_ERROR(w.Str("function", a.function, true));
      CW_RETURN_IF_ERROR(w.Str("partner_no", a.partner_no, true));
      CW_RETURN_IF_ERROR(w.Bool("main", a.main));
      CW_RETURN_IF_ERROR(w.Done());
      p.partners->push_back(std::move(a));
      return core::Status::Ok();
    }));
  }
  if (o.Has("appointments")) {
    p.appointments.emplace();
    CW_RETURN_IF_ERROR(o.List("appointments", [&](const json::value& e, const std::string& at) -> core::Status {
      StrictObject w(e, at, Bad);
      CW_RETURN_IF_ERROR(w.Check());
      Appointment a;
      CW_RETURN_IF_ERROR(w.Str("date_type", a.date_type, true));
      CW_RETURN_IF_ERROR(w.Str("timestamp", a.stamp, true));
      CW_RETURN_IF_ERROR(w.Str("time_zone", a.time_zone));
      CW_RETURN_IF_ERROR(w.Bool("is_duration", a.is_duration));
      CW_RETURN_IF_ERROR(w.Int64("duration", a.duration));
      CW_RETURN_IF_ERROR(w.Str("time_unit", a.time_unit));
      CW_RETURN_IF_ERROR(w.Done());
      p.appointments->push_back(std::move(a));
      return core::Status::Ok();
    }));
  }
  if (o.Has("categories")) {
    p.categories.emplace();
    CW_RETURN_IF_ERROR(o.List("categories", [&](const json::value& e, const std::string& at) -> core::Status {
      StrictObject w(e, at, Bad);
      CW_RETURN_IF_ERROR(w.Check());
      Category a;
      CW_RETURN_IF_ERROR(w.Str("guid", a.guid, true));
      CW_RETURN_IF_ERROR(w.Str("description", a.description));
      CW_RETURN_IF_ERROR(w.Int("level", a.level));
      CW_RETURN_IF_ERROR(w.Done());
      p.categories->push_back(std::move(a));
      return core::Status::Ok();
    }));
  }
  if (o.Has("process_structure")) {
    p.process_structure.emplace();
    CW_RETURN_IF_ERROR(o.List("process_structure", [&](const json::value& e, const std::string& at) -> core::Status {
      StrictObject w(e, at, Bad);
      CW_RETURN_IF_ERROR(w.Check());
      ProcessNode n;
      CW_RETURN_IF_ERROR(w.Str("project_id", n.project_id));
      CW_RETURN_IF_ERROR(w.Str("node_id", n.node_id));
      CW_RETURN_IF_ERROR(w.Str("step_text", n.step_text));
      CW_RETURN_IF_ERROR(w.Str("process_text", n.process_text));
      CW_RETURN_IF_ERROR(w.Str("scenario_text", n.scenario_text));
      CW_RETURN_IF_ERROR(w.Done());
      p.process_structure->push_back(std::move(n));
      return core::Status::Ok();
    }));
  }
  return core::Status::Ok();
}

}  // namespace

json::object ObjectToJson(const WorkObject& o, const Customizing& c) {
  const StatusProfile* sp = c.StatusProfileOf(o.process_type);
  const UserStatus* status = sp ? sp->Find(o.status) : nullptr;
  json::array wricef, partners, appointments, categories, nodes, texts, documents;
  for (const auto& w : o.wricef) wricef.push_back({{"key", w.key}, {"value", w.value}});
  for (const auto& p : o.partners) {
    const BusinessPartner* bp = c.FindPartner(p.partner_no);
    partners.push_back({{"function", p.function},
                        {"partner_no", p.partner_no},
                        {"main", p.main},
                        {"name", bp ? bp->name : ""},
                        {"email", bp ? bp->email : ""}});
  }
  for (const auto& a : o.appointments)
    appointments.push_back({{"date_type", a.date_type},
                            {"timestamp", a.stamp},
                            {"time_zone", a.time_zone},
                            {"is_duration", a.is_duration},
                            {"duration", a.duration},
                            {"time_unit", a.time_unit}});
  for (const auto& cat : o.categories)
    categories.push_back({{"guid", cat.guid}, {"description", cat.description}, {"level", cat.level}});
  for (const auto& n : o.process_structure)
    nodes.push_back({{"project_id", n.project_id},
                     {"node_id", n.node_id},
                     {"step_text", n.step_text},
                     {"process_text", n.process_text},
                     {"scenario_text", n.scenario_text}});
  for (const auto& t : o.texts)
    texts.push_back({{"text_id", t.text_id}, {"author", t.author}, {"changed_at", core::FormatIso8601(t.changed_at)},
                     {"text", t.text}});
  for (const auto& d : o.documents)
    documents.push_back({{"id", d.id},
                         {"kind", DocumentKindName(d.kind)},
                         {"file_name", d.file_name},
                         {"title", d.title},
                         {"status", d.status},
                         {"status_text", d.status_text},
                         {"type", d.type},
                         {"type_text", d.type_text},
                         {"author", d.author},
                         {"author_name", d.author_name},
                         {"technical_name", d.technical_name},
                         {"extension", d.extension},
                         {"link_url", d.link_url},
                         {"content_type", d.content_type},
                         {"size", d.size},
                         {"created_at", core::FormatIso8601(d.created_at)}});
  return {{"guid", o.guid},
          {"ticket_id", o.ticket_id},
          {"process_type", o.process_type},
          {"parent_guid", o.parent_guid},
          {"description", o.description},
          {"status", o.status},
          {"status_text", status ? status->text : ""},
          {"project", o.project},
          {"priority", o.priority},
          {"impact", o.impact},
          {"urgency", o.urgency},
          {"effort", FormatHundredths(o.effort_hundredths)},
          {"effort_unit", o.effort_unit},
          {"ppm_project_id", o.ppm_project_id},
          {"ppm_project_text", o.ppm_project_text},
          {"ppm_wave", o.ppm_wave},
          {"ppm_wave_text", o.ppm_wave_text},
          {"ppm_start_date", o.ppm_start_date},
          {"ppm_finish_date", o.ppm_finish_date},
          {"ppm_completion", o.ppm_completion},
          {"ppm_total_work", o.ppm_total_work},
          {"ppm_total_work_unit", o.ppm_total_work_unit},
          {"requested_release", ReleaseJson(o.requested)},
          {"forecast_release", ReleaseJson(o.forecast)},
          {"actual_release", ReleaseJson(o.actual)},
          {"classification", o.classification},
          {"wricef", std::move(wricef)},
          {"partners", std::move(partners)},
          {"appointments", std::move(appointments)},
          {"categories", std::move(categories)},
          {"process_structure", std::move(nodes)},
          {"texts", std::move(texts)},
          {"documents", std::move(documents)},
          {"created_at", core::FormatIso8601(o.created_at)},
          {"created_by", o.created_by},
          {"changed_at", core::FormatIso8601(o.changed_at)},
          {"changed_by", o.changed_by},
          {"handed_over", o.handed_over},
          {"push_destination", o.push_destination},
          {"create_message", o.create_message},
          {"last_external_status", o.last_external_status},
          {"version", o.version}};
}

json::object HistoryToJson(const StatusChange& h) {
  return {{"seq", h.seq},        {"at", core::FormatIso8601(h.at)}, {"from", h.from},
          {"to", h.to},          {"changed_by", h.changed_by},       {"origin", h.origin},
          {"external_status", h.external_status}};
}

core::Result<ObjectPatch> PatchFromJson(const json::value& v) {
  StrictObject o(v, "", Bad);
  CW_RETURN_IF_ERROR(o.Check());
  ObjectPatch p;
  if (o.Has("project")) {
    std::string project;
    CW_RETURN_IF_ERROR(o.Str("project", project));
    p.project = project;
  }
  CW_RETURN_IF_ERROR(ReadPatchFields(o, p));
  CW_RETURN_IF_ERROR(o.Done());
  if (p.empty()) return Bad("body", "names no field to change");
  return p;
}

core::Result<CreateRequest> CreateFromJson(const json::value& v) {
  StrictObject o(v, "", Bad);
  CW_RETURN_IF_ERROR(o.Check());
  CreateRequest r;
  NewObject& n = r.object;
  CW_RETURN_IF_ERROR(o.Str("process_type", n.process_type, true));
  CW_RETURN_IF_ERROR(o.Str("description", n.description, true));
  CW_RETURN_IF_ERROR(o.Str("project", n.project));
  CW_RETURN_IF_ERROR(o.Str("package", r.package));
  if (o.Has("status")) {
    std::string status;
    CW_RETURN_IF_ERROR(o.Str("status", status));
    n.status = status;
  }
  CW_RETURN_IF_ERROR(o.Str("guid", n.guid));
  CW_RETURN_IF_ERROR(o.Str("ticket_id", n.ticket_id));
  CW_RETURN_IF_ERROR(o.List("texts", [&](const json::value& e, const std::string&) -> core::Status {
    CW_ASSIGN_OR_RETURN(TextEntry t, TextFromJson(e));
    n.texts.push_back(std::move(t));
    return core::Status::Ok();
  }));
  o.Get("description");
  CW_RETURN_IF_ERROR(ReadPatchFields(o, n.fields));
  n.fields.description.reset();
  CW_RETURN_IF_ERROR(o.Done());
  return r;
}

core::Result<TextEntry> TextFromJson(const json::value& v) {
  StrictObject o(v, "", Bad);
  CW_RETURN_IF_ERROR(o.Check());
  TextEntry t;
  CW_RETURN_IF_ERROR(o.Str("text_id", t.text_id, true));
  CW_RETURN_IF_ERROR(o.Str("text", t.text));
  CW_RETURN_IF_ERROR(o.Str("author", t.author));
  CW_RETURN_IF_ERROR(o.Done());
  return t;
}

core::Result<NewDocument> DocumentFromJson(const json::value& v) {
  StrictObject o(v, "", Bad);
  CW_RETURN_IF_ERROR(o.Check());
  NewDocument d;
  std::string kind = "document";
  CW_RETURN_IF_ERROR(o.Str("kind", kind));
  auto parsed = ParseDocumentKind(kind);
  if (!parsed) return Bad("kind", "must be document or attachment");
  d.meta.kind = *parsed;
  CW_RETURN_IF_ERROR(o.Str("file_name", d.meta.file_name, true));
  for (auto [key, out] : {std::pair{"title", &d.meta.title}, {"status", &d.meta.status},
                          {"status_text", &d.meta.status_text}, {"type", &d.meta.type},
                          {"type_text", &d.meta.type_text}, {"author", &d.meta.author},
                          {"author_name", &d.meta.author_name}, {"technical_name", &d.meta.technical_name},
                          {"extension", &d.meta.extension}, {"link_url", &d.meta.link_url},
                          {"content_type", &d.meta.content_type}, {"id", &d.meta.id}})
    CW_RETURN_IF_ERROR(o.Str(key, *out));
  std::string content;
  CW_RETURN_IF_ERROR(o.Str("content_base64", content));
  if (!content.empty() && !core::Base64Decode(content, &d.content)) return Bad("content_base64", "is not base64");
  CW_RETURN_IF_ERROR(o.Done());
  return d;
}

}  // namespace causeway::services::ext_integration
