#include "services/ext_integration/payload_builder.h"

#include <algorithm>

#include "core/time_format.h"
#include "domain/workitems/payload_attributes.h"
#include "odata/writer.h"

namespace causeway::services::ext_integration {
namespace {

using workitems::AttributeKind;
using workitems::Customizing;
using workitems::Document;
using workitems::DocumentKind;
using workitems::FieldMapping;
using workitems::MappingRule;
using workitems::WorkObject;

// A Set Specific Value of a number attribute as JSON writes it: the customizing takes what an
// SAP number field takes ("007", "1.", ".5", checked by workitems::Validate), JSON has one
// spelling for each ("7", "1", "0.5").
std::string JsonNumberText(std::string_view v) {
  std::string out;
  if (!v.empty() && v[0] == '-') {
    out += '-';
    v.remove_prefix(1);
  }
  const size_t dot = v.find('.');
  std::string_view whole = v.substr(0, dot);
  const std::string_view fraction = dot == std::string_view::npos ? std::string_view() : v.substr(dot + 1);
  while (whole.size() > 1 && whole[0] == '0') whole.remove_prefix(1);
  out += whole.empty() ? std::string_view("0") : whole;
  if (!fraction.empty()) {
    out += '.';
    out += fraction;
  }
  return out;
}

// A JSON object written member by member: compact, in the order members are added.
class JsonObject {
 public:
  explicit JsonObject(std::string& out) : out_(out) { out_ += '{'; }
  void Str(std::string_view name, std::string_view value) {
    Name(name);
    odata::AppendJsonString(out_, value);
  }
  // A string whose content is a marker (raw, no escaping: markers are produced here).
  void Marker(std::string_view name, std::string_view marker) {
    Name(name);
    out_ += '"';
    out_.append(marker);
    out_ += '"';
  }
  void Int(std::string_view name, int64_t value) {
    Name(name);
    out_ += std::to_string(value);
  }
  void Raw(std::string_view name, std::string_view number_text) {
    Name(name);
    out_.append(number_text);
  }
  void Flag(std::string_view name, bool value) { Str(name, value ? "X" : ""); }
  // Starts an array member; each element is written with Element.
  void BeginArray(std::string_view name) {
    Name(name);
    out_ += '[';
    first_element_ = true;
  }
  JsonObject Element() {
    if (!first_element_) out_ += ',';
    first_element_ = false;
    return JsonObject(out_);
  }
  void EndArray() { out_ += ']'; }
  void End() { out_ += '}'; }

 private:
  void Name(std::string_view name) {
    if (!first_) out_ += ',';
    first_ = false;
    odata::AppendJsonString(out_, name);
    out_ += ':';
  }
  std::string& out_;
  bool first_ = true;
  bool first_element_ = true;
};

template <typename Map, typename Key>
std::string TextOf(const Map& map, const Key& key) {
  auto it = map.find(key);
  return it == map.end() ? std::string() : it->second;
}

bool Contains(const std::vector<std::string>& list, std::string_view value) {
  return std::find(list.begin(), list.end(), value) != list.end();
}

std::string Date8(core::SystemTime t) { return core::FormatSapTimestampShort(t).substr(0, 8); }
std::string Time6(core::SystemTime t) { return core::FormatSapTimestampShort(t).substr(8, 6); }

class BodyWriter {
 public:
  BodyWriter(const workitems::PushView& v, PushEnvelope& envelope) : v_(v), o_(*v.object), c_(*v.customizing), env_(envelope) {}

  std::string Write() {
    std::string out;
    JsonObject root(out);
    for (const auto& attribute : workitems::PayloadAttributes()) {
      const FieldMapping* mapping = MappingOf(attribute.name);
      if (!mapping && !attribute.identity) continue;
      const bool marker = attribute.name == "EXTERNAL_ID" || attribute.name == "PARENT_EXTERNAL_ID";
      if (mapping && mapping->rule == MappingRule::kSetSpecificValue && !marker) {
        if (attribute.kind == AttributeKind::kString) {
          root.Str(attribute.name, mapping->value);
        } else {
          root.Raw(attribute.name, JsonNumberText(mapping->value));
        }
        continue;
      }
      Copy(root, attribute.name);
    }
    root.End();
    return out;
  }

 private:
  const FieldMapping* MappingOf(std::string_view attribute) const {
    for (const auto& f : v_.settings->fields)
      if (f.attribute == attribute) return &f;
    return nullptr;
  }

  void Copy(JsonObject& j, std::string_view a) {
    const auto& t = c_.texts;
    if (a == "SYSTEM_GUID") return j.Str(a, v_.system_guid);
    if (a == "EXTERNAL_ID") return j.Marker(a, kExternalIdMarker);
    if (a == "PARENT_EXTERNAL_ID") return j.Marker(a, kParentExternalIdMarker);
    if (a == "TICKET_ID") return j.Str(a, o_.ticket_id);
    if (a == "TICKET_GUID") return j.Str(a, o_.guid);
    if (a == "DESCRIPTION") return j.Str(a, o_.description);
    if (a == "PROCESS_TYPE") return j.Str(a, o_.process_type);
    if (a == "CREATED_AT") return j.Str(a, core::FormatSapTimestampShort(o_.created_at));
    if (a == "CREATED_BY") return j.Str(a, o_.created_by);
    if (a == "CHANGED_AT") return j.Str(a, core::FormatSapTimestampShort(o_.changed_at));
    if (a == "CHANGED_BY") return j.Str(a, o_.changed_by);
    if (a == "STATUS") return j.Str(a, o_.status);
    if (a == "STATUS_TXT") {
      const workitems::StatusProfile* sp = c_.StatusProfileOf(o_.process_type);
      const workitems::UserStatus* s = sp ? sp->Find(o_.status) : nullptr;
      return j.Str(a, s ? s->text : "");
    }
    if (a == "SOLDOC_PROJECT") return j.Str(a, o_.project);
    if (a == "SOLDOC_PROJECT_TXT") {
      const workitems::Project* p = c_.FindProject(o_.project);
      return j.Str(a, p ? p->text : "");
    }
    if (a == "PRIORITY") return j.Int(a, o_.priority);
    if (a == "PRIORITY_TXT") return j.Str(a, TextOf(t.priorities, o_.priority));
    if (a == "IMPACT") return j.Int(a, o_.impact);
    if (a == "IMPACT_TXT") return j.Str(a, TextOf(t.impacts, o_.impact));
    if (a == "URGENCY") return j.Int(a, o_.urgency);
    if (a == "URGENCY_TXT") return j.Str(a, TextOf(t.urgencies, o_.urgency));
    if (a == "EFFORT") return j.Raw(a, FormatHundredths(o_.effort_hundredths));
    if (a == "EFFORT_UNIT") return j.Str(a, o_.effort_unit);
    if (a == "PPM_PROJECT_ID") return j.Str(a, o_.ppm_project_id);
    if (a == "PPM_PROJECT_TXT") return j.Str(a, o_.ppm_project_text);
    if (a == "PPM_WAVE") return j.Str(a, o_.ppm_wave);
    if (a == "PPM_WAVE_TXT") return j.Str(a, o_.ppm_wave_text);
    if (a == "PPM_START_DATE") return j.Str(a, o_.ppm_start_date);
    if (a == "PPM_FINISH_DATE") return j.Str(a, o_.ppm_finish_date);
    if (a == "PPM_COMPLETION") return j.Int(a, o_.ppm_completion);
    if (a == "PPM_TOTAL_WORK") return j.Int(a, o_.ppm_total_work);
    if (a == "PPM_TOTAL_WORK_UNIT") return j.Str(a, o_.ppm_total_work_unit);
    for (auto [prefix, r] : {std::pair{std::string_view("REQUESTED_"), &o_.requested},
                             {std::string_view("FORECAST_"), &o_.forecast},
                             {std::string_view("ACTUAL_"), &o_.actual}}) {
      if (!a.starts_with(prefix)) continue;
      std::string_view rest = a.substr(prefix.size());
      if (rest == "RELEASE_NO") return j.Str(a, r->number);
      if (rest == "RELEASE_CLASS") return j.Str(a, r->release_class);
      if (rest == "RELEASE_TYPE") return j.Str(a, r->type);
      if (rest == "GO_LIVE_DATE") return j.Str(a, r->go_live_date);
    }
    if (a == "CLASSIFICATION") return j.Str(a, o_.classification);
    if (a == "CLASSIFICATION_TXT") return j.Str(a, TextOf(t.classifications, o_.classification));
    if (a == "WRICEF_ATTRIBUTES") {
      j.BeginArray(a);
      for (const auto& w : o_.wricef) {
        JsonObject e = j.Element();
        e.Str("KEY", w.key);
        e.Str("VALUE", w.value);
        e.End();
      }
      return j.EndArray();
    }
    if (a == "PARTNER") {
      j.BeginArray(a);
      for (const auto& p : o_.partners) {
        if (!Contains(v_.settings->partner_functions, p.function)) continue;
        const workitems::BusinessPartner* bp = c_.FindPartner(p.partner_no);
        JsonObject e = j.Element();
        e.Str("PARTNER_FCT", p.function);
        e.Str("PARTNER_FCT_TXT", TextOf(t.partner_functions, p.function));
        e.Str("PARTNER_NO", p.partner_no);
        e.Str("PARTNER_NAME", bp ? bp->name : "");
        e.Str("PARTNER_EMAIL", bp ? bp->email : "");
        e.Flag("PARTNER_MAIN", p.main);
        e.End();
      }
      return j.EndArray();
    }
    if (a == "APPOINTMENT") {
      j.BeginArray(a);
      for (const auto& ap : o_.appointments) {
        if (!Contains(v_.settings->date_types, ap.date_type)) continue;
        JsonObject e = j.Element();
        e.Str("APPT_TYPE", ap.date_type);
        e.Str("APPT_TYPE_TXT", TextOf(t.date_types, ap.date_type));
        e.Str("TIMESTAMP", ap.stamp);
        e.Str("TIMEZONE", ap.time_zone);
        e.Flag("IS_DURATION", ap.is_duration);
        e.Int("DURATION", ap.duration);
        e.Str("TIME_UNIT", ap.time_unit);
        e.End();
      }
      return j.EndArray();
    }
    if (a == "TEXT") {
      j.BeginArray(a);
      for (const auto& tx : o_.texts) {
        if (!Contains(v_.settings->text_ids, tx.text_id)) continue;
        JsonObject e = j.Element();
        e.Str("TEXTID", tx.text_id);
        e.Str("TEXTID_TXT", TextOf(t.text_ids, tx.text_id));
        e.Str("CHANGED_BY", tx.author);
        e.Str("CHANGE_DATE", Date8(tx.changed_at));
        e.Str("CHANGE_TIME", Time6(tx.changed_at));
        e.Str("TEXT", tx.text);
        e.End();
      }
      return j.EndArray();
    }
    if (a == "CATEGORY") {
      j.BeginArray(a);
      for (const auto& cat : o_.categories) {
        JsonObject e = j.Element();
        e.Str("GUID", cat.guid);
        e.Str("DESCRIPTION", cat.description);
        e.Int("LEVEL", cat.level);
        e.End();
      }
      return j.EndArray();
    }
    if (a == "PROCESS_STRUCT") {
      j.BeginArray(a);
      for (const auto& n : o_.process_structure) {
        JsonObject e = j.Element();
        e.Str("PROJECT_ID", n.project_id);
        e.Str("NODE_ID", n.node_id);
        e.Str("PROCESSSTEP_TXT", n.step_text);
        e.Str("PROCESS_TXT", n.process_text);
        e.Str("SCENARIO_TXT", n.scenario_text);
        e.End();
      }
      return j.EndArray();
    }
    if (a == "DOCUMENT") {
      j.BeginArray(a);
      for (const Document& d : o_.documents) {
        if (d.kind != DocumentKind::kDocument) continue;
        JsonObject e = j.Element();
        e.Str("FILENAME", d.file_name);
        e.Str("TITLE", d.title);
        e.Str("STATUS", d.status);
        e.Str("STATUS_TXT", d.status_text);
        e.Str("DOCU_TYPE", d.type);
        e.Str("DOCU_TYPE_TXT", d.type_text);
        e.Str("AUTHOR", d.author);
        e.Str("AUTHOR_NAME", d.author_name);
        e.Marker("URL", Link(d));
        e.End();
      }
      return j.EndArray();
    }
    if (a == "ATTACHMENT") {
      j.BeginArray(a);
      for (const Document& d : o_.documents) {
        if (d.kind != DocumentKind::kAttachment) continue;
        JsonObject e = j.Element();
        e.Str("FILENAME", d.file_name);
        e.Str("TECHN_FILENAME", d.technical_name);
        e.Str("EXTENSION", d.extension);
        if (d.link_url.empty()) {
          e.Marker("URL", Link(d));
        } else {
          e.Str("URL", d.link_url);
        }
        e.End();
      }
      return j.EndArray();
    }
  }

  std::string Link(const Document& d) {
    env_.links.push_back({d.kind == DocumentKind::kAttachment, d.id, d.technical_name});
    return LinkMarker(env_.links.size() - 1);
  }

  const workitems::PushView& v_;
  const WorkObject& o_;
  const Customizing& c_;
  PushEnvelope& env_;
};

}  // namespace

std::string FormatHundredths(int64_t hundredths) {
  const bool negative = hundredths < 0;
  const uint64_t v = negative ? 0 - static_cast<uint64_t>(hundredths) : static_cast<uint64_t>(hundredths);
  std::string cents = std::to_string(v % 100);
  return (negative ? "-" : "") + std::to_string(v / 100) + "." + (cents.size() < 2 ? "0" : "") + cents;
}

std::string BuildBodyTemplate(const workitems::PushView& view, PushEnvelope* envelope) {
  return BodyWriter(view, *envelope).Write();
}

core::Result<std::string> JsonPayloadBuilder::Build(const workitems::PushView& v) const {
  PushEnvelope envelope;
  envelope.ticket_id = v.object->ticket_id;
  envelope.create_method = v.mapping->create_method;
  envelope.create_uri = v.mapping->create_uri;
  envelope.update_method = v.mapping->update_method;
  envelope.update_uri = v.mapping->update_uri;
  envelope.link_base = v.link_base_url;
  envelope.sap_client = v.sap_client;
  std::string body = BuildBodyTemplate(v, &envelope);
  return EncodePushPayload(envelope, body);
}

}  // namespace causeway::services::ext_integration
