#include "services/case_exchange/cx_config.h"

#include <algorithm>
#include <functional>

#include "core/ascii.h"
#include "domain/changes/change_properties.h"
#include "services/case_exchange/outbox_publisher.h"
#include "services/common/config_table.h"

namespace causeway::services::case_exchange {
namespace {

// "<key>: <what>", target = the key (the house's helper, in this file's argument order).
core::Error KeyError(const std::string& key, const std::string& what) { return ConfigError(key + ": " + what, key); }

// Reads a string member; a member of another type is an error.
core::Result<std::string> Str(const toml::table& t, const std::string& path, const char* key, bool required = false) {
  const toml::node* n = t.get(key);
  if (!n) {
    if (required) return KeyError(path + "." + key, "is required");
    return std::string();
  }
  if (!n->is_string()) return KeyError(path + "." + key, "must be a string");
  return n->as_string()->get();
}

core::Result<std::vector<std::string>> Strings(const toml::table& t, const std::string& path, const char* key) {
  std::vector<std::string> out;
  const toml::node* n = t.get(key);
  if (!n) return out;
  const toml::array* a = n->as_array();
  if (!a) return KeyError(path + "." + key, "must be an array of strings");
  for (const auto& x : *a) {
    if (!x.is_string()) return KeyError(path + "." + key, "must be an array of strings");
    out.push_back(x.as_string()->get());
  }
  return out;
}

// A key none of the table's readers knows is an error (a misspelt key is not silently ignored).
core::Status OnlyKeys(const toml::table& t, const std::string& path, std::initializer_list<std::string_view> keys) {
  for (const auto& [key, value] : t)
    if (std::find(keys.begin(), keys.end(), key.str()) == keys.end())
      return KeyError(path + "." + std::string(key.str()), "is not a known setting");
  return core::Status::Ok();
}

// Each table of an array of tables, with its path for messages.
core::Status EachTable(const toml::table& t, const std::string& path, const char* key,
                       const std::function<core::Status(const toml::table&, const std::string&)>& fn) {
  const toml::node* n = t.get(key);
  if (!n) return core::Status::Ok();
  const toml::array* a = n->as_array();
  if (!a) return KeyError(path + "." + key, "must be an array of tables");
  for (size_t i = 0; i < a->size(); ++i) {
    const toml::table* item = (*a)[i].as_table();
    const std::string item_path = path + "." + key + "[" + std::to_string(i) + "]";
    if (!item) return KeyError(item_path, "must be a table");
    CW_RETURN_IF_ERROR(fn(*item, item_path));
  }
  return core::Status::Ok();
}

core::Result<int64_t> Int(const toml::table& t, const std::string& path, const char* key, int64_t fallback, int64_t min,
                          int64_t max) {
  const toml::node* n = t.get(key);
  if (!n) return fallback;
  if (!n->is_integer()) return KeyError(path + "." + key, "must be an integer");
  int64_t v = n->as_integer()->get();
  if (v < min || v > max)
    return KeyError(path + "." + key, "must be between " + std::to_string(min) + " and " + std::to_string(max));
  return v;
}

core::Result<TenantConfig> ParseTenant(const toml::table& t, const std::string& path) {
  TenantConfig tc;
  CW_RETURN_IF_ERROR(OnlyKeys(t, path, {"id", "name", "external_systems", "groups", "people"}));
  CW_ASSIGN_OR_RETURN(tc.id, Str(t, path, "id", true));
  CW_ASSIGN_OR_RETURN(tc.name, Str(t, path, "name"));
  if (auto st = changes::ValidateId(tc.id, "id"); !st.ok()) return KeyError(path + ".id", st.error().text);
  CW_RETURN_IF_ERROR(EachTable(t, path, "external_systems", [&](const toml::table& s, const std::string& p) -> core::Status {
    changes::ExternalSystem sys;
    CW_RETURN_IF_ERROR(OnlyKeys(s, p, {"id", "description", "authorized_user", "url", "user", "password"}));
    CW_ASSIGN_OR_RETURN(sys.id, Str(s, p, "id", true));
    CW_ASSIGN_OR_RETURN(sys.description, Str(s, p, "description"));
    CW_ASSIGN_OR_RETURN(sys.authorized_user, Str(s, p, "authorized_user", true));
    CW_ASSIGN_OR_RETURN(sys.url, Str(s, p, "url"));
    CW_ASSIGN_OR_RETURN(sys.push_user, Str(s, p, "user"));
    CW_ASSIGN_OR_RETURN(sys.push_password, Str(s, p, "password"));
    if (auto st = changes::ValidateSystem(sys); !st.ok()) return KeyError(p + "." + st.error().target, st.error().text);
    if (auto st = CheckPushTarget(tc.id, sys); !st.ok()) return KeyError(p + "." + st.error().target, st.error().text);
    if (std::any_of(tc.systems.begin(), tc.systems.end(), [&](const auto& o) { return o.id == sys.id; }))
      return KeyError(p + ".id", "external system " + sys.id + " appears twice in this tenant");
    tc.systems.push_back(std::move(sys));
    return core::Status::Ok();
  }));
  CW_RETURN_IF_ERROR(EachTable(t, path, "groups", [&](const toml::table& g, const std::string& p) -> core::Status {
    changes::Group grp;
    CW_RETURN_IF_ERROR(OnlyKeys(g, p, {"id", "name", "external_system"}));
    CW_ASSIGN_OR_RETURN(grp.id, Str(g, p, "id", true));
    CW_ASSIGN_OR_RETURN(grp.name, Str(g, p, "name", true));
    CW_ASSIGN_OR_RETURN(grp.external_system, Str(g, p, "external_system"));
    if (auto st = changes::ValidateGroup(grp, nullptr); !st.ok()) return KeyError(p + "." + st.error().target, st.error().text);
    if (std::any_of(tc.groups.begin(), tc.groups.end(), [&](const auto& o) { return o.id == grp.id; }))
      return KeyError(p + ".id", "group " + grp.id + " appears twice in this tenant");
    if (!grp.external_system.empty() &&
        std::none_of(tc.systems.begin(), tc.systems.end(), [&](const auto& s) { return s.id == grp.external_system; }))
      return KeyError(p + ".external_system", "names no external system of this tenant");
    tc.groups.push_back(std::move(grp));
    return core::Status::Ok();
  }));
  CW_RETURN_IF_ERROR(EachTable(t, path, "people", [&](const toml::table& x, const std::string& p) -> core::Status {
    PersonConfig pc;
    changes::Person& person = pc.person;
    CW_RETURN_IF_ERROR(OnlyKeys(
        x, p, {"id", "login", "first_name", "last_name", "email", "upn", "roles", "password_hash", "password"}));
    CW_ASSIGN_OR_RETURN(person.id, Str(x, p, "id", true));
    CW_ASSIGN_OR_RETURN(person.login, Str(x, p, "login"));
    CW_ASSIGN_OR_RETURN(person.first_name, Str(x, p, "first_name"));
    CW_ASSIGN_OR_RETURN(person.last_name, Str(x, p, "last_name"));
    CW_ASSIGN_OR_RETURN(person.email, Str(x, p, "email"));
    CW_ASSIGN_OR_RETURN(person.upn, Str(x, p, "upn"));
    CW_ASSIGN_OR_RETURN(person.roles, Strings(x, p, "roles"));
    CW_ASSIGN_OR_RETURN(person.password_hash, Str(x, p, "password_hash"));
    CW_ASSIGN_OR_RETURN(pc.password, Str(x, p, "password"));
    if (!pc.password.empty() && !person.password_hash.empty())
      return KeyError(p, "give password or password_hash, not both");
    if (auto st = changes::ValidatePerson(person); !st.ok()) return KeyError(p + "." + st.error().target, st.error().text);
    for (const PersonConfig& o : tc.people) {
      if (o.person.id == person.id) return KeyError(p + ".id", "person " + person.id + " appears twice in this tenant");
      // As logons compare logins (changes::Tenant::FindPersonByLogin).
      if (!person.login.empty() && core::IEquals(o.person.login, person.login))
        return KeyError(p + ".login", "login '" + person.login + "' is also person " + o.person.id +
                                             "'s; a login names one person of a tenant");
    }
    tc.people.push_back(std::move(pc));
    return core::Status::Ok();
  }));
  for (const auto& sys : tc.systems)
    if (std::none_of(tc.people.begin(), tc.people.end(), [&](const PersonConfig& pc) { return pc.person.login == sys.authorized_user; }))
      return KeyError(path + ".external_systems", "authorized user '" + sys.authorized_user + "' of " + sys.id +
                                                         " is no person's login in this tenant");
  return tc;
}

core::Result<changes::Workflow> ParseWorkflow(const toml::table& t, const std::string& path) {
  changes::Workflow w;
  CW_RETURN_IF_ERROR(OnlyKeys(t, path, {"change_type", "phases", "transitions"}));
  CW_ASSIGN_OR_RETURN(w.change_type, Str(t, path, "change_type", true));
  CW_RETURN_IF_ERROR(EachTable(t, path, "phases", [&](const toml::table& p, const std::string& pp) -> core::Status {
    changes::Phase ph;
    CW_RETURN_IF_ERROR(OnlyKeys(p, pp, {"id", "metaphase"}));
    CW_ASSIGN_OR_RETURN(ph.id, Str(p, pp, "id", true));
    CW_ASSIGN_OR_RETURN(ph.metaphase, Str(p, pp, "metaphase", true));
    w.phases.push_back(std::move(ph));
    return core::Status::Ok();
  }));
  CW_RETURN_IF_ERROR(EachTable(t, path, "transitions", [&](const toml::table& p, const std::string& pp) -> core::Status {
    changes::Transition tr;
    CW_RETURN_IF_ERROR(OnlyKeys(p, pp, {"from", "to", "requires", "automatic"}));
    CW_ASSIGN_OR_RETURN(tr.from, Str(p, pp, "from", true));
    CW_ASSIGN_OR_RETURN(tr.to, Str(p, pp, "to", true));
    CW_ASSIGN_OR_RETURN(tr.required, Strings(p, pp, "requires"));
    if (const toml::node* a = p.get("automatic")) {
      if (!a->is_boolean()) return KeyError(pp + ".automatic", "must be true or false");
      tr.automatic = a->as_boolean()->get();
    }
    w.transitions.push_back(std::move(tr));
    return core::Status::Ok();
  }));
  if (auto st = changes::ValidateWorkflow(w); !st.ok()) return KeyError(path + "." + st.error().target, st.error().text);
  return w;
}

}  // namespace

core::Result<Options> ParseOptions(const toml::table& root) {
  Options o;
  const toml::node* n = root.get("case_exchange");
  if (!n) return o;
  const toml::table* t = n->as_table();
  const std::string path = "case_exchange";
  if (!t) return KeyError(path, "must be a table");
  CW_RETURN_IF_ERROR(OnlyKeys(*t, path,
                              {"token_lifetime_s", "default_tenant", "page_size", "ems_page_size", "ems_max_page_size",
                               "max_file_bytes", "hash_iterations", "demo_tenant", "tenants", "workflows"}));
  CW_ASSIGN_OR_RETURN(int64_t lifetime, Int(*t, path, "token_lifetime_s", o.token_lifetime.count(), 1, 7 * 24 * 3600));
  o.token_lifetime = std::chrono::seconds(lifetime);
  CW_ASSIGN_OR_RETURN(o.default_tenant, Str(*t, path, "default_tenant"));
  CW_ASSIGN_OR_RETURN(o.page_size, Int(*t, path, "page_size", o.page_size, 1, 100000));
  CW_ASSIGN_OR_RETURN(o.ems_page_size, Int(*t, path, "ems_page_size", o.ems_page_size, 1, 100000));
  CW_ASSIGN_OR_RETURN(o.ems_max_page_size, Int(*t, path, "ems_max_page_size", o.ems_max_page_size, 1, 100000));
  CW_ASSIGN_OR_RETURN(o.max_file_bytes, Int(*t, path, "max_file_bytes", o.max_file_bytes, 1, int64_t{1} << 30));
  CW_ASSIGN_OR_RETURN(int64_t iterations, Int(*t, path, "hash_iterations", o.hash_iterations, 1000, 10000000));
  o.hash_iterations = static_cast<int>(iterations);
  if (const toml::node* d = t->get("demo_tenant")) {
    if (!d->is_boolean()) return KeyError(path + ".demo_tenant", "must be true or false");
    o.demo_tenant = d->as_boolean()->get();
  }
  CW_RETURN_IF_ERROR(EachTable(*t, path, "tenants", [&](const toml::table& x, const std::string& p) -> core::Status {
    CW_ASSIGN_OR_RETURN(TenantConfig tc, ParseTenant(x, p));
    for (const auto& other : o.tenants)
      if (other.id == tc.id) return KeyError(p + ".id", "tenant " + tc.id + " appears twice");
    o.tenants.push_back(std::move(tc));
    return core::Status::Ok();
  }));
  CW_RETURN_IF_ERROR(EachTable(*t, path, "workflows", [&](const toml::table& x, const std::string& p) -> core::Status {
    CW_ASSIGN_OR_RETURN(changes::Workflow w, ParseWorkflow(x, p));
    o.workflows.push_back(std::move(w));
    return core::Status::Ok();
  }));
  return o;
}

TenantConfig DemoTenant() {
  TenantConfig t;
  t.id = "100000002";
  t.name = "Causeway demo tenant";
  t.systems = {{"SNOW", "ServiceNow (demo peer)", "sx.snow", "", "", ""},
               {"JIRA", "Jira Service Management (demo peer)", "sx.jira", "", "", ""}};
  t.groups = {{"20001", "Change Advisory Board", ""},
              {"20002", "Network Operations", ""},
              {"20003", "ServiceNow Fulfillment", "SNOW"},
              {"20004", "Jira Service Desk", "JIRA"}};
  auto person = [](std::string id, std::string login, std::string first, std::string last,
                   std::vector<std::string> roles) {
    PersonConfig pc;
    pc.person = {std::move(id), login, std::move(first), std::move(last), login + "@demo.example", login + "@demo.example",
                 "", std::move(roles)};
    pc.password = "Welcome1!";
    return pc;
  };
  t.people = {person("10010", "ana.agent", "Ana", "Agent", {"agent"}),
              person("10020", "sx.snow", "ServiceNow", "Integration", {}),
              person("10030", "sx.jira", "Jira", "Integration", {}),
              person("10040", "rita.requester", "Rita", "Requester", {})};
  return t;
}

}  // namespace causeway::services::case_exchange
