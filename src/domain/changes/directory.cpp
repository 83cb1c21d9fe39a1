#include "domain/changes/directory.h"

#include <algorithm>

#include "core/ascii.h"
#include "domain/changes/change_errors.h"

namespace causeway::changes {
namespace {

template <typename Map>
const typename Map::mapped_type* FindIn(const Map& m, std::string_view id) {
  auto it = m.find(id);
  return it == m.end() ? nullptr : &it->second;
}

const std::vector<std::string_view> kRoles = {"agent"};

}  // namespace

std::string Person::Name() const {
  std::string n = first_name;
  if (!last_name.empty()) n += (n.empty() ? "" : " ") + last_name;
  return n.empty() ? login : n;
}

bool Person::HasRole(std::string_view role) const {
  return std::find(roles.begin(), roles.end(), role) != roles.end();
}

const Person* Tenant::FindPerson(std::string_view id) const { return FindIn(people, id); }

const Person* Tenant::FindPersonByLogin(std::string_view login, std::string_view except_id) const {
  if (login.empty()) return nullptr;
  for (const auto& [id, p] : people)
    if (id != except_id && core::IEquals(p.login, login)) return &p;
  return nullptr;
}

const Group* Tenant::FindGroup(std::string_view id) const { return FindIn(groups, id); }
const ExternalSystem* Tenant::FindSystem(std::string_view id) const { return FindIn(systems, id); }

std::string Tenant::SystemOfGroup(std::string_view group_id) const {
  const Group* g = FindGroup(group_id);
  return g ? g->external_system : std::string();
}

std::vector<const ExternalSystem*> Tenant::SystemsAuthorizing(std::string_view login) const {
  std::vector<const ExternalSystem*> out;
  for (const auto& [id, s] : systems)
    if (!login.empty() && core::IEquals(s.authorized_user, login)) out.push_back(&s);
  return out;
}

const Tenant* Directory::FindTenant(std::string_view id) const { return FindIn(tenants, id); }

core::Status ValidateId(std::string_view id, const char* field) {
  if (id.empty() || id.size() > 64)
    return errors::MasterData(field, std::string(field) + " must have 1-64 characters");
  for (unsigned char ch : id)
    if (ch < 0x21 || ch == 0x7f || ch == '/' || ch == '\\' || ch == '%' || ch == '?' || ch == '#')
      return errors::MasterData(field, std::string(field) + " must not contain spaces, controls or / \\ % ? #");
  return core::Status::Ok();
}

core::Status ValidatePerson(const Person& p) {
  CW_RETURN_IF_ERROR(ValidateId(p.id, "id"));
  if (!p.login.empty()) CW_RETURN_IF_ERROR(ValidateId(p.login, "login"));
  for (const auto& r : p.roles)
    if (std::find(kRoles.begin(), kRoles.end(), r) == kRoles.end())
      return errors::MasterData("roles", "Unknown role '" + r + "'; roles: agent");
  return core::Status::Ok();
}

core::Status ValidateGroup(const Group& g, const Tenant* tenant) {
  CW_RETURN_IF_ERROR(ValidateId(g.id, "id"));
  if (g.name.empty()) return errors::MasterData("name", "A group needs a name");
  if (!g.external_system.empty() && tenant && !tenant->FindSystem(g.external_system))
    return errors::MasterData("external_system", "External system '" + g.external_system + "' is not defined");
  return core::Status::Ok();
}

core::Status ValidateSystem(const ExternalSystem& s) {
  CW_RETURN_IF_ERROR(ValidateId(s.id, "id"));
  if (s.authorized_user.empty()) return errors::MasterData("authorized_user", "An external system needs an authorized user");
  if (!s.url.empty() && !core::IStartsWith(s.url, "http://") && !core::IStartsWith(s.url, "https://"))
    return errors::MasterData("url", "url must start with http:// or https://");
  return core::Status::Ok();
}

}  // namespace causeway::changes
