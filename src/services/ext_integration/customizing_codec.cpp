#include "services/ext_integration/customizing_codec.h"

#include <boost/json.hpp>

#include <functional>
#include <set>
#include <sstream>
#include <stdexcept>

#include "domain/workitems/payload_attributes.h"
#include "domain/workitems/workitems_errors.h"
#include "services/ext_integration/json_reader.h"

namespace causeway::services::ext_integration {
namespace {

namespace json = boost::json;
using namespace workitems;
using Obj = StrictObject;

core::Error Bad(const std::string& path, const std::string& text) { return BadCustomizing(path, text); }


core::Status ReadDestination(const json::value& v, const std::string& path, RfcDestination& d) {
  Obj o(v, path, Bad);
  CW_RETURN_IF_ERROR(o.Check());
  CW_RETURN_IF_ERROR(o.Str("name", d.name, true));
  CW_RETURN_IF_ERROR(o.Str("protocol", d.protocol));
  CW_RETURN_IF_ERROR(o.Str("host", d.host, true));
  CW_RETURN_IF_ERROR(o.Int("port", d.port));
  CW_RETURN_IF_ERROR(o.Str("path_prefix", d.path_prefix));
  CW_RETURN_IF_ERROR(o.Str("user", d.user));
  std::string password;
  CW_RETURN_IF_ERROR(o.Str("password", password));
  d.password = exchange::Secret(password);
  CW_RETURN_IF_ERROR(o.Str("password_env", d.password_env));
  o.Get("password_set");  // what the control plane shows; ignored when sent back
  CW_RETURN_IF_ERROR(o.Str("ca_file", d.ca_file));
  CW_RETURN_IF_ERROR(o.Bool("insecure", d.insecure));
  CW_RETURN_IF_ERROR(o.Int("max_concurrent", d.max_concurrent));
  return o.Done();
}

core::Status ReadFields(Obj& o, std::vector<FieldMapping>& out) {
  const json::value* v = o.Get("fields");
  const std::string path = Join(o.path(), "fields");
  out.clear();
  if (!v) return core::Status::Ok();
  if (v->is_string() && v->as_string() == "all") {
    for (const auto& a : PayloadAttributes()) out.push_back({std::string(a.name), MappingRule::kCopyValue, ""});
    return core::Status::Ok();
  }
  if (!v->is_array()) return Bad(path, "must be \"all\" or a list of {attribute, rule, value}");
  for (size_t i = 0; i < v->as_array().size(); ++i) {
    const json::value& e = v->as_array()[i];
    FieldMapping f;
    if (e.is_string()) {  // shorthand: an attribute copied
      f.attribute = std::string(e.as_string());
      out.push_back(std::move(f));
      continue;
    }
    Obj fo(e, At(path, i), Bad);
    CW_RETURN_IF_ERROR(fo.Check());
    CW_RETURN_IF_ERROR(fo.Str("attribute", f.attribute, true));
    std::string rule = "copy";
    CW_RETURN_IF_ERROR(fo.Str("rule", rule));
    auto parsed = ParseMappingRule(rule);
    if (!parsed) return Bad(Join(At(path, i), "rule"), "must be copy (Copy Value) or set (Set Specific Value)");
    f.rule = *parsed;
    CW_RETURN_IF_ERROR(fo.Str("value", f.value));
    CW_RETURN_IF_ERROR(fo.Done());
    out.push_back(std::move(f));
  }
  return core::Status::Ok();
}

core::Status ReadProcessTypeSettings(const json::value& v, const std::string& path, ProcessTypeSettings& s) {
  Obj o(v, path, Bad);
  CW_RETURN_IF_ERROR(o.Check());
  CW_RETURN_IF_ERROR(o.Str("process_type", s.process_type, true));
  CW_RETURN_IF_ERROR(o.Bool("enabled", s.enabled));
  CW_RETURN_IF_ERROR(o.Str("jump_in_url", s.jump_in_url));
  CW_RETURN_IF_ERROR(o.Str("partner_function", s.partner_function));
  CW_RETURN_IF_ERROR(ReadFields(o, s.fields));
  CW_RETURN_IF_ERROR(o.Strings("partner_functions", s.partner_functions));
  CW_RETURN_IF_ERROR(o.Strings("text_ids", s.text_ids));
  CW_RETURN_IF_ERROR(o.Strings("date_types", s.date_types));
  CW_RETURN_IF_ERROR(o.List("inbound_status", [&](const json::value& e, const std::string& at) -> core::Status {
    Obj m(e, at, Bad);
    CW_RETURN_IF_ERROR(m.Check());
    StatusMapping sm;
    CW_RETURN_IF_ERROR(m.Str("external", sm.external_status, true));
    CW_RETURN_IF_ERROR(m.Str("internal", sm.internal_status, true));
    CW_RETURN_IF_ERROR(m.Done());
    s.inbound_status.push_back(std::move(sm));
    return core::Status::Ok();
  }));
  return o.Done();
}

template <typename Map>
core::Status ReadTextMap(Obj& o, std::string_view key, Map& out) {
  const json::value* v = o.Get(key);
  if (!v) return core::Status::Ok();
  const std::string path = Join(o.path(), key);
  if (!v->is_object()) return Bad(path, "must be a table of code = text");
  for (const auto& [code, text] : v->as_object()) {
    if (!text.is_string()) return Bad(Join(path, code), "must be a string");
    if constexpr (std::is_same_v<typename Map::key_type, int>) {
      int n = 0;
      try {
        size_t used = 0;
        n = std::stoi(std::string(code), &used);
        if (used != code.size()) throw std::invalid_argument("trailing");
      } catch (const std::exception&) {
        return Bad(Join(path, code), "the code must be a number");
      }
      out[n] = std::string(text.as_string());
    } else {
      out[std::string(code)] = std::string(text.as_string());
    }
  }
  return core::Status::Ok();
}

template <typename Map>
json::object TextMapJson(const Map& m) {
  json::object o;
  for (const auto& [k, v] : m) {
    if constexpr (std::is_same_v<typename Map::key_type, int>) {
      o[std::to_string(k)] = v;
    } else {
      o[k] = v;
    }
  }
  return o;
}

}  // namespace

core::Result<Customizing> CustomizingFromJson(const json::value& v, const std::string& path) {
  Customizing c;
  Obj o(v, path, Bad);
  if (!v.is_object()) return Bad(path.empty() ? "customizing" : path, "must be an object");
  CW_RETURN_IF_ERROR(o.List("destinations", [&](const json::value& e, const std::string& at) -> core::Status {
    RfcDestination d;
    CW_RETURN_IF_ERROR(ReadDestination(e, at, d));
    c.destinations.push_back(std::move(d));
    return core::Status::Ok();
  }));
  CW_RETURN_IF_ERROR(o.List("projects", [&](const json::value& e, const std::string& at) -> core::Status {
    Obj p(e, at, Bad);
    CW_RETURN_IF_ERROR(p.Check());
    Project project;
    CW_RETURN_IF_ERROR(p.Str("id", project.id, true));
    CW_RETURN_IF_ERROR(p.Str("text", project.text));
    CW_RETURN_IF_ERROR(p.Done());
    c.projects.push_back(std::move(project));
    return core::Status::Ok();
  }));
  CW_RETURN_IF_ERROR(o.List("project_mappings", [&](const json::value& e, const std::string& at) -> core::Status {
    Obj p(e, at, Bad);
    CW_RETURN_IF_ERROR(p.Check());
    ProjectMapping m;
    CW_RETURN_IF_ERROR(p.Str("project", m.project, true));
    CW_RETURN_IF_ERROR(p.Str("destination", m.destination, true));
    CW_RETURN_IF_ERROR(p.Str("create_uri", m.create_uri, true));
    CW_RETURN_IF_ERROR(p.Str("create_method", m.create_method));
    CW_RETURN_IF_ERROR(p.Str("update_uri", m.update_uri, true));
    CW_RETURN_IF_ERROR(p.Str("update_method", m.update_method));
    CW_RETURN_IF_ERROR(p.Str("jump_in_url", m.jump_in_url));
    CW_RETURN_IF_ERROR(p.Str("profile", m.profile, true));
    CW_RETURN_IF_ERROR(p.Done());
    c.project_mappings.push_back(std::move(m));
    return core::Status::Ok();
  }));
  CW_RETURN_IF_ERROR(o.List("profiles", [&](const json::value& e, const std::string& at) -> core::Status {
    Obj p(e, at, Bad);
    CW_RETURN_IF_ERROR(p.Check());
    IntegrationProfile profile;
    CW_RETURN_IF_ERROR(p.Str("name", profile.name, true));
    CW_RETURN_IF_ERROR(p.Str("description", profile.description));
    CW_RETURN_IF_ERROR(p.List("process_types", [&](const json::value& pe, const std::string& pat) -> core::Status {
      ProcessTypeSettings s;
      CW_RETURN_IF_ERROR(ReadProcessTypeSettings(pe, pat, s));
      profile.process_types.push_back(std::move(s));
      return core::Status::Ok();
    }));
    CW_RETURN_IF_ERROR(p.Done());
    c.profiles.push_back(std::move(profile));
    return core::Status::Ok();
  }));
  CW_RETURN_IF_ERROR(o.List("status_profiles", [&](const json::value& e, const std::string& at) -> core::Status {
    Obj p(e, at, Bad);
    CW_RETURN_IF_ERROR(p.Check());
    StatusProfile sp;
    CW_RETURN_IF_ERROR(p.Str("name", sp.name, true));
    CW_RETURN_IF_ERROR(p.Str("initial", sp.initial, true));
    CW_RETURN_IF_ERROR(p.List("statuses", [&](const json::value& se, const std::string& sat) -> core::Status {
      Obj s(se, sat, Bad);
      CW_RETURN_IF_ERROR(s.Check());
      UserStatus us;
      CW_RETURN_IF_ERROR(s.Str("code", us.code, true));
      CW_RETURN_IF_ERROR(s.Str("text", us.text));
      CW_RETURN_IF_ERROR(s.Done());
      sp.statuses.push_back(std::move(us));
      return core::Status::Ok();
    }));
    CW_RETURN_IF_ERROR(p.List("transitions", [&](const json::value& te, const std::string& tat) -> core::Status {
      Obj t(te, tat, Bad);
      CW_RETURN_IF_ERROR(t.Check());
      StatusTransition st;
      CW_RETURN_IF_ERROR(t.Str("from", st.from, true));
      CW_RETURN_IF_ERROR(t.Str("to", st.to, true));
      CW_RETURN_IF_ERROR(t.Done());
      sp.transitions.push_back(std::move(st));
      return core::Status::Ok();
    }));
    CW_RETURN_IF_ERROR(p.Done());
    c.status_profiles.push_back(std::move(sp));
    return core::Status::Ok();
  }));
  CW_RETURN_IF_ERROR(o.List("process_types", [&](const json::value& e, const std::string& at) -> core::Status {
    Obj p(e, at, Bad);
    CW_RETURN_IF_ERROR(p.Check());
    ProcessTypeMaster pt;
    CW_RETURN_IF_ERROR(p.Str("code", pt.code, true));
    CW_RETURN_IF_ERROR(p.Str("text", pt.text));
    CW_RETURN_IF_ERROR(p.Str("status_profile", pt.status_profile, true));
    CW_RETURN_IF_ERROR(p.Done());
    c.process_types.push_back(std::move(pt));
    return core::Status::Ok();
  }));
  CW_RETURN_IF_ERROR(o.List("business_partners", [&](const json::value& e, const std::string& at) -> core::Status {
    Obj p(e, at, Bad);
    CW_RETURN_IF_ERROR(p.Check());
    BusinessPartner bp;
    CW_RETURN_IF_ERROR(p.Str("number", bp.number, true));
    CW_RETURN_IF_ERROR(p.Str("name", bp.name));
    CW_RETURN_IF_ERROR(p.Str("email", bp.email));
    CW_RETURN_IF_ERROR(p.List("identifications", [&](const json::value& ie, const std::string& iat) -> core::Status {
      Obj i(ie, iat, Bad);
      CW_RETURN_IF_ERROR(i.Check());
      PartnerIdentification id;
      CW_RETURN_IF_ERROR(i.Str("type", id.type, true));
      CW_RETURN_IF_ERROR(i.Str("number", id.number));
      CW_RETURN_IF_ERROR(i.Done());
      bp.identifications.push_back(std::move(id));
      return core::Status::Ok();
    }));
    CW_RETURN_IF_ERROR(p.Done());
    c.business_partners.push_back(std::move(bp));
    return core::Status::Ok();
  }));
  if (const json::value* texts = o.Get("texts")) {
    Obj t(*texts, Join(path, "texts"), Bad);
    CW_RETURN_IF_ERROR(t.Check());
    CW_RETURN_IF_ERROR(ReadTextMap(t, "partner_functions", c.texts.partner_functions));
    CW_RETURN_IF_ERROR(ReadTextMap(t, "text_ids", c.texts.text_ids));
    CW_RETURN_IF_ERROR(ReadTextMap(t, "date_types", c.texts.date_types));
    CW_RETURN_IF_ERROR(ReadTextMap(t, "priorities", c.texts.priorities));
    CW_RETURN_IF_ERROR(ReadTextMap(t, "impacts", c.texts.impacts));
    CW_RETURN_IF_ERROR(ReadTextMap(t, "urgencies", c.texts.urgencies));
    CW_RETURN_IF_ERROR(ReadTextMap(t, "classifications", c.texts.classifications));
    CW_RETURN_IF_ERROR(t.Done());
  }
  CW_RETURN_IF_ERROR(o.Done());
  return c;
}

json::value TomlToJson(const toml::node& node) {
  if (const toml::table* t = node.as_table()) {
    json::object o;
    for (const auto& [k, v] : *t) o[std::string(k.str())] = TomlToJson(v);
    return o;
  }
  if (const toml::array* a = node.as_array()) {
    json::array arr;
    for (const auto& v : *a) arr.push_back(TomlToJson(v));
    return arr;
  }
  if (auto s = node.value<std::string>(); s && node.is_string()) return json::string(*s);
  if (node.is_integer()) return *node.value<int64_t>();
  if (node.is_floating_point()) return *node.value<double>();
  if (node.is_boolean()) return *node.value<bool>();
  std::ostringstream text;  // dates and times: their TOML text
  node.visit([&](const auto& v) { text << v; });
  return json::string(text.str());
}

core::Result<Customizing> CustomizingFromToml(const toml::table& t, const std::string& path) {
  return CustomizingFromJson(TomlToJson(t), path);
}

json::value CustomizingToJson(const Customizing& c, bool with_secrets) {
  json::array destinations;
  for (const auto& d : c.destinations) {
    json::object o{{"name", d.name}, {"protocol", d.protocol}, {"host", d.host}, {"port", d.port},
                   {"path_prefix", d.path_prefix}, {"user", d.user}};
    if (with_secrets) {
      if (!d.password.empty()) o["password"] = d.password.Reveal();
    } else {
      o["password_set"] = !d.password.empty() || !d.password_env.empty();
    }
    if (!d.password_env.empty()) o["password_env"] = d.password_env;
    o["ca_file"] = d.ca_file;
    o["insecure"] = d.insecure;
    o["max_concurrent"] = d.max_concurrent;
    destinations.push_back(std::move(o));
  }
  json::array projects;
  for (const auto& p : c.projects) projects.push_back({{"id", p.id}, {"text", p.text}});
  json::array mappings;
  for (const auto& m : c.project_mappings)
    mappings.push_back({{"project", m.project},
                        {"destination", m.destination},
                        {"create_uri", m.create_uri},
                        {"create_method", m.create_method},
                        {"update_uri", m.update_uri},
                        {"update_method", m.update_method},
                        {"jump_in_url", m.jump_in_url},
                        {"profile", m.profile}});
  json::array profiles;
  for (const auto& p : c.profiles) {
    json::array types;
    for (const auto& s : p.process_types) {
      json::array fields;
      for (const auto& f : s.fields) {
        json::object fo{{"attribute", f.attribute}, {"rule", MappingRuleName(f.rule)}};
        if (f.rule == MappingRule::kSetSpecificValue) fo["value"] = f.value;
        fields.push_back(std::move(fo));
      }
      json::array inbound;
      for (const auto& m : s.inbound_status) inbound.push_back({{"external", m.external_status}, {"internal", m.internal_status}});
      types.push_back({{"process_type", s.process_type},
                       {"enabled", s.enabled},
                       {"jump_in_url", s.jump_in_url},
                       {"partner_function", s.partner_function},
                       {"fields", std::move(fields)},
                       {"partner_functions", json::value_from(s.partner_functions)},
                       {"text_ids", json::value_from(s.text_ids)},
                       {"date_types", json::value_from(s.date_types)},
                       {"inbound_status", std::move(inbound)}});
    }
    profiles.push_back({{"name", p.name}, {"description", p.description}, {"process_types", std::move(types)}});
  }
  json::array status_profiles;
  for (const auto& sp : c.status_profiles) {
    json::array statuses, transitions;
    for (const auto& s : sp.statuses) statuses.push_back({{"code", s.code}, {"text", s.text}});
    for (const auto& t : sp.transitions) transitions.push_back({{"from", t.from}, {"to", t.to}});
    status_profiles.push_back(
        {{"name", sp.name}, {"initial", sp.initial}, {"statuses", std::move(statuses)}, {"transitions", std::move(transitions)}});
  }
  json::array process_types;
  for (const auto& pt : c.process_types)
    process_types.push_back({{"code", pt.code}, {"text", pt.text}, {"status_profile", pt.status_profile}});
  json::array partners;
  for (const auto& bp : c.business_partners) {
    json::array ids;
    for (const auto& i : bp.identifications) ids.push_back({{"type", i.type}, {"number", i.number}});
    partners.push_back({{"number", bp.number}, {"name", bp.name}, {"email", bp.email}, {"identifications", std::move(ids)}});
  }
  json::object texts{{"partner_functions", TextMapJson(c.texts.partner_functions)},
                     {"text_ids", TextMapJson(c.texts.text_ids)},
                     {"date_types", TextMapJson(c.texts.date_types)},
                     {"priorities", TextMapJson(c.texts.priorities)},
                     {"impacts", TextMapJson(c.texts.impacts)},
                     {"urgencies", TextMapJson(c.texts.urgencies)},
                     {"classifications", TextMapJson(c.texts.classifications)}};
  return json::object{{"destinations", std::move(destinations)},
                      {"projects", std::move(projects)},
                      {"project_mappings", std::move(mappings)},
                      {"profiles", std::move(profiles)},
                      {"status_profiles", std::move(status_profiles)},
                      {"process_types", std::move(process_types)},
                      {"business_partners", std::move(partners)},
                      {"texts", std::move(texts)}};
}

}  // namespace causeway::services::ext_integration
