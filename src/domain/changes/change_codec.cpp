#include "domain/changes/change_codec.h"

#include <boost/json.hpp>

namespace causeway::changes {
namespace json = boost::json;
namespace {

core::Error Damaged(std::string_view what) {
  return core::MakeError(core::Code::kInternal, "CAUSEWAY/CX", "090", "Stored " + std::string(what) + " is damaged");
}

json::value FromProperty(const PropertyValue& v) {
  struct Visitor {
    json::value operator()(std::monostate) const { return nullptr; }
    json::value operator()(bool b) const { return b; }
    json::value operator()(int64_t i) const { return i; }
    json::value operator()(double d) const { return d; }
    json::value operator()(const std::string& s) const { return json::string(s); }
  };
  return std::visit(Visitor{}, v);
}

PropertyValue ToProperty(const json::value& v) {
  if (v.is_bool()) return v.as_bool();
  if (v.is_int64()) return v.as_int64();
  if (v.is_uint64()) return static_cast<int64_t>(v.as_uint64());
  if (v.is_double()) return v.as_double();
  if (v.is_string()) return std::string(v.as_string());
  return {};
}

std::string Str(const json::object& o, std::string_view key) {
  const json::value* v = o.if_contains(key);
  return v && v->is_string() ? std::string(v->as_string()) : std::string();
}

int64_t Int(const json::object& o, std::string_view key) {
  const json::value* v = o.if_contains(key);
  if (!v) return 0;
  if (v->is_int64()) return v->as_int64();
  if (v->is_uint64()) return static_cast<int64_t>(v->as_uint64());
  return 0;
}

bool Bool(const json::object& o, std::string_view key) {
  const json::value* v = o.if_contains(key);
  return v && v->is_bool() && v->as_bool();
}

std::vector<std::string> Strings(const json::object& o, std::string_view key) {
  std::vector<std::string> out;
  if (const json::value* v = o.if_contains(key); v && v->is_array())
    for (const auto& x : v->as_array())
      if (x.is_string()) out.emplace_back(x.as_string());
  return out;
}

json::array StringArray(const std::vector<std::string>& v) {
  json::array a;
  for (const auto& s : v) a.emplace_back(json::string(s));
  return a;
}

core::Result<json::object> ParseObject(std::string_view doc, std::string_view what) {
  json::error_code ec;
  json::value v = json::parse(doc, ec);
  if (ec || !v.is_object()) return Damaged(what);
  return std::move(v.as_object());
}

}  // namespace

std::string EncodeChange(const Change& c) {
  json::object o;
  o["id"] = c.id;
  o["display_label"] = c.display_label;
  o["description"] = c.description;
  o["change_type"] = c.change_type;
  o["change_model"] = c.change_model;
  o["phase_id"] = c.phase_id;
  o["urgency"] = c.urgency;
  o["impact_scope"] = c.impact_scope;
  o["reason_for_change"] = c.reason_for_change;
  o["justification"] = c.justification;
  o["category"] = c.category;
  o["service"] = c.service;
  o["requested_by"] = c.requested_by;
  o["owning_group"] = c.owning_group;
  o["completion_code"] = c.completion_code;
  json::array atts;
  for (const Attachment& a : c.attachments)
    atts.push_back(json::object{{"id", a.id},
                                {"file_name", a.file_name},
                                {"file_extension", a.file_extension},
                                {"mime_type", a.mime_type},
                                {"creator", a.creator},
                                {"size", a.size},
                                {"last_update_ms", a.last_update_ms}});
  o["attachments"] = std::move(atts);
  json::object custom;
  for (const auto& [k, v] : c.custom) custom[k] = FromProperty(v);
  o["custom"] = std::move(custom);
  o["created_ms"] = c.created_ms;
  o["updated_ms"] = c.updated_ms;
  o["version"] = c.version;
  o["operation_count"] = c.operation_count;
  o["last_operation_ms"] = c.last_operation_ms;
  o["comment_count"] = c.comment_count;
  o["cancel_generated"] = c.cancel_generated;
  return json::serialize(o);
}

core::Result<Change> DecodeChange(std::string_view doc) {
  // A poll decodes a record per entry, thousands per page: the parsed tree goes into a buffer
  // on the stack (the heap only for what does not fit) rather than an allocation per value.
  unsigned char buffer[4096];
  json::monotonic_resource scratch(buffer, sizeof buffer);
  json::error_code ec;
  const json::value parsed = json::parse(doc, ec, &scratch);
  if (ec || !parsed.is_object()) return Damaged("change");
  const json::object& o = parsed.as_object();
  Change c;
  c.id = Str(o, "id");
  c.display_label = Str(o, "display_label");
  c.description = Str(o, "description");
  c.change_type = Str(o, "change_type");
  c.change_model = Str(o, "change_model");
  c.phase_id = Str(o, "phase_id");
  c.urgency = Str(o, "urgency");
  c.impact_scope = Str(o, "impact_scope");
  c.reason_for_change = Str(o, "reason_for_change");
  c.justification = Str(o, "justification");
  c.category = Str(o, "category");
  c.service = Str(o, "service");
  c.requested_by = Str(o, "requested_by");
  c.owning_group = Str(o, "owning_group");
  c.completion_code = Str(o, "completion_code");
  if (const json::value* a = o.if_contains("attachments"); a && a->is_array()) {
    for (const auto& x : a->as_array()) {
      if (!x.is_object()) return Damaged("change");
      const json::object& ao = x.as_object();
      c.attachments.push_back({Str(ao, "id"), Str(ao, "file_name"), Str(ao, "file_extension"), Str(ao, "mime_type"),
                               Str(ao, "creator"), Int(ao, "size"), Int(ao, "last_update_ms")});
    }
  }
  if (const json::value* cu = o.if_contains("custom"); cu && cu->is_object())
    for (const auto& [k, v] : cu->as_object()) c.custom[std::string(k)] = ToProperty(v);
  c.created_ms = Int(o, "created_ms");
  c.updated_ms = Int(o, "updated_ms");
  c.version = Int(o, "version");
  c.operation_count = Int(o, "operation_count");
  c.last_operation_ms = Int(o, "last_operation_ms");
  c.comment_count = Int(o, "comment_count");
  c.cancel_generated = Bool(o, "cancel_generated");
  if (c.id.empty()) return Damaged("change");
  return c;
}

std::string EncodePerson(const Person& p) {
  return json::serialize(json::object{{"id", p.id},
                                      {"login", p.login},
                                      {"first_name", p.first_name},
                                      {"last_name", p.last_name},
                                      {"email", p.email},
                                      {"upn", p.upn},
                                      {"password_hash", p.password_hash},
                                      {"roles", StringArray(p.roles)}});
}

core::Result<Person> DecodePerson(std::string_view doc) {
  CW_ASSIGN_OR_RETURN(json::object o, ParseObject(doc, "person"));
  return Person{Str(o, "id"),  Str(o, "login"), Str(o, "first_name"), Str(o, "last_name"), Str(o, "email"),
                Str(o, "upn"), Str(o, "password_hash"), Strings(o, "roles")};
}

std::string EncodeGroup(const Group& g) {
  return json::serialize(json::object{{"id", g.id}, {"name", g.name}, {"external_system", g.external_system}});
}

core::Result<Group> DecodeGroup(std::string_view doc) {
  CW_ASSIGN_OR_RETURN(json::object o, ParseObject(doc, "group"));
  return Group{Str(o, "id"), Str(o, "name"), Str(o, "external_system")};
}

std::string EncodeSystem(const ExternalSystem& s) {
  return json::serialize(json::object{{"id", s.id},
                                      {"description", s.description},
                                      {"authorized_user", s.authorized_user},
                                      {"url", s.url},
                                      {"push_user", s.push_user},
                                      {"push_password", s.push_password}});
}

core::Result<ExternalSystem> DecodeSystem(std::string_view doc) {
  CW_ASSIGN_OR_RETURN(json::object o, ParseObject(doc, "external system"));
  return ExternalSystem{Str(o, "id"),  Str(o, "description"), Str(o, "authorized_user"),
                        Str(o, "url"), Str(o, "push_user"),   Str(o, "push_password")};
}

std::string EncodeWorkflow(const Workflow& w) {
  json::array phases, transitions;
  for (const Phase& p : w.phases) phases.push_back(json::object{{"id", p.id}, {"metaphase", p.metaphase}});
  for (const Transition& t : w.transitions)
    transitions.push_back(json::object{
        {"from", t.from}, {"to", t.to}, {"requires", StringArray(t.required)}, {"automatic", t.automatic}});
  return json::serialize(
      json::object{{"change_type", w.change_type}, {"phases", std::move(phases)}, {"transitions", std::move(transitions)}});
}

core::Result<Workflow> DecodeWorkflow(std::string_view doc) {
  CW_ASSIGN_OR_RETURN(json::object o, ParseObject(doc, "workflow"));
  Workflow w;
  w.change_type = Str(o, "change_type");
  if (const json::value* p = o.if_contains("phases"); p && p->is_array())
    for (const auto& x : p->as_array())
      if (x.is_object()) w.phases.push_back({Str(x.as_object(), "id"), Str(x.as_object(), "metaphase")});
  if (const json::value* t = o.if_contains("transitions"); t && t->is_array())
    for (const auto& x : t->as_array())
      if (x.is_object())
        w.transitions.push_back({Str(x.as_object(), "from"), Str(x.as_object(), "to"), Strings(x.as_object(), "requires"),
                                 Bool(x.as_object(), "automatic")});
  if (w.phases.empty()) return Damaged("workflow");
  return w;
}

std::string EncodeTenantName(std::string_view name) { return json::serialize(json::object{{"name", name}}); }

core::Result<std::string> DecodeTenantName(std::string_view doc) {
  CW_ASSIGN_OR_RETURN(json::object o, ParseObject(doc, "tenant"));
  return Str(o, "name");
}

}  // namespace causeway::changes
