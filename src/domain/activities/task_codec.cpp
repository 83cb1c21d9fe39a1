#include <boost/json.hpp>

#include "domain/activities/task_repository.h"

namespace causeway::activities {
namespace json = boost::json;
namespace {

json::object Party(const PartyRef& p) {
  json::object o{{"business_partner_id", p.business_partner_id}};
  if (!p.employee_id.empty()) o["employee_id"] = p.employee_id;
  if (!p.email.empty()) o["email"] = p.email;
  if (!p.name.empty()) o["name"] = p.name;
  if (p.main) o["main"] = true;
  return o;
}

std::string Str(const json::object& o, const char* key) {
  auto* v = o.if_contains(key);
  return v && v->is_string() ? std::string(v->as_string()) : std::string();
}

PartyRef PartyFrom(const json::value& v) {
  const json::object& o = v.as_object();
  PartyRef p{Str(o, "business_partner_id"), Str(o, "employee_id"), Str(o, "email"), Str(o, "name"), false};
  if (auto* m = o.if_contains("main"); m && m->is_bool()) p.main = m->as_bool();
  return p;
}

std::optional<PartyRef> OptParty(const json::object& o, const char* key) {
  auto* v = o.if_contains(key);
  if (!v || !v->is_object()) return std::nullopt;
  return PartyFrom(*v);
}

const json::array& Arr(const json::object& o, const char* key) {
  static const json::array kEmpty;
  auto* v = o.if_contains(key);
  return v && v->is_array() ? v->as_array() : kEmpty;
}

}  // namespace

std::string EncodeTask(const Task& t) {
  json::object o{{"id", std::to_string(t.id)},
                 {"uuid", t.uuid},
                 {"change_state_id", t.change_state_id},
                 {"name", t.name},
                 {"priority_code", t.priority_code},
                 {"sensitivity_code", t.sensitivity_code},
                 {"life_cycle_status", t.life_cycle_status},
                 {"data_origin_code", t.data_origin_code}};
  if (!t.document_type_code.empty()) o["document_type_code"] = t.document_type_code;
  if (!t.group_code.empty()) o["group_code"] = t.group_code;
  if (!t.completion_percent.empty()) o["completion_percent"] = t.completion_percent;
  if (t.period)
    o["scheduled_period"] = {{"start", t.period->start},
                             {"start_time_zone", t.period->start_time_zone},
                             {"end", t.period->end},
                             {"end_time_zone", t.period->end_time_zone}};
  if (t.processor) o["processor"] = Party(*t.processor);
  if (t.responsible) o["employee_responsible"] = Party(*t.responsible);
  if (t.main_activity) o["main_activity_party"] = Party(*t.main_activity);
  json::array refs, docs, texts, atts;
  for (const auto& p : t.reference_parties) refs.push_back(Party(p));
  for (const auto& r : t.references)
    docs.push_back({{"id", r.id}, {"uuid", r.uuid}, {"type_code", r.type_code}, {"role_code", r.role_code}});
  for (const auto& x : t.texts)
    texts.push_back({{"type_code", x.type_code}, {"content", x.content}, {"language", x.language}, {"created_at", x.created_at}});
  for (const auto& a : t.attachments)
    atts.push_back({{"uuid", a.uuid},
                    {"category_code", a.category_code},
                    {"type_code", a.type_code},
                    {"name", a.name},
                    {"alternative_name", a.alternative_name},
                    {"description", a.description},
                    {"link_uri", a.link_uri},
                    {"mime_code", a.mime_code},
                    {"file_name", a.file_name},
                    {"visible", a.visible},
                    {"content_base64", a.content_base64}});
  o["reference_parties"] = std::move(refs);
  o["document_references"] = std::move(docs);
  o["texts"] = std::move(texts);
  o["attachments"] = std::move(atts);
  o["created_at_ms"] = core::ToUnixMillis(t.created_at);
  o["created_by"] = t.created_by;
  o["changed_at_ms"] = core::ToUnixMillis(t.changed_at);
  o["changed_by"] = t.changed_by;
  return json::serialize(o);
}

core::Result<Task> DecodeTask(std::string_view text) {
  json::error_code ec;
  json::value v = json::parse(text, ec);
  if (ec || !v.is_object())
    return core::MakeError(core::Code::kInternal, "CAUSEWAY/ACTIVITY", "900", "stored task document is corrupt");
  const json::object& o = v.as_object();
  Task t;
  try {
    t.id = std::stoll(Str(o, "id"));
  } catch (...) {
    return core::MakeError(core::Code::kInternal, "CAUSEWAY/ACTIVITY", "900", "stored task document has no id");
  }
  t.uuid = Str(o, "uuid");
  t.change_state_id = Str(o, "change_state_id");
  t.name = Str(o, "name");
  t.priority_code = Str(o, "priority_code");
  t.sensitivity_code = Str(o, "sensitivity_code");
  t.life_cycle_status = Str(o, "life_cycle_status");
  t.data_origin_code = Str(o, "data_origin_code");
  t.document_type_code = Str(o, "document_type_code");
  t.group_code = Str(o, "group_code");
  t.completion_percent = Str(o, "completion_percent");
  if (auto* p = o.if_contains("scheduled_period"); p && p->is_object()) {
    const auto& po = p->as_object();
    t.period = ScheduledPeriod{Str(po, "start"), Str(po, "start_time_zone"), Str(po, "end"), Str(po, "end_time_zone")};
  }
  t.processor = OptParty(o, "processor");
  t.responsible = OptParty(o, "employee_responsible");
  t.main_activity = OptParty(o, "main_activity_party");
  for (const auto& p : Arr(o, "reference_parties")) t.reference_parties.push_back(PartyFrom(p));
  for (const auto& r : Arr(o, "document_references")) {
    const auto& ro = r.as_object();
    t.references.push_back({Str(ro, "id"), Str(ro, "uuid"), Str(ro, "type_code"), Str(ro, "role_code")});
  }
  for (const auto& x : Arr(o, "texts")) {
    const auto& xo = x.as_object();
    t.texts.push_back({Str(xo, "type_code"), Str(xo, "content"), Str(xo, "language"), Str(xo, "created_at")});
  }
  for (const auto& a : Arr(o, "attachments")) {
    const auto& ao = a.as_object();
    Attachment at{Str(ao, "uuid"), Str(ao, "category_code"), Str(ao, "type_code"), Str(ao, "name"),
                  Str(ao, "alternative_name"), Str(ao, "description"), Str(ao, "link_uri"), Str(ao, "mime_code"),
                  Str(ao, "file_name"), true, Str(ao, "content_base64")};
    if (auto* vis = ao.if_contains("visible"); vis && vis->is_bool()) at.visible = vis->as_bool();
    t.attachments.push_back(std::move(at));
  }
  if (auto* c = o.if_contains("created_at_ms"); c && c->is_int64()) t.created_at = core::FromUnixMillis(c->as_int64());
  if (auto* c = o.if_contains("changed_at_ms"); c && c->is_int64()) t.changed_at = core::FromUnixMillis(c->as_int64());
  t.created_by = Str(o, "created_by");
  t.changed_by = Str(o, "changed_by");
  return t;
}

}  // namespace causeway::activities
