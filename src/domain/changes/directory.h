// The master data of every tenant: people (who may log on, with a password hash), groups (a
// group naming an external system is an external group), external systems (System id,
// description, authorized user; optionally a URL operations are also pushed to), and the
// change workflows. A Directory is an immutable snapshot: ChangeDesk swaps in a new one when
// the master data changes, readers keep theirs as long as they need it.
#pragma once

#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"
#include "domain/changes/workflow.h"

namespace causeway::changes {

struct Person {
  std::string id;     // RequestedByPerson, Submitter.UserId
  std::string login;  // logon name; empty: cannot log on
  std::string first_name, last_name, email, upn;
  std::string password_hash;        // security/password_hash.h encoding; empty: cannot log on
  std::vector<std::string> roles;   // "agent": may write through EMS, comments and files
  std::string Name() const;         // "First Last", or the login
  bool HasRole(std::string_view role) const;
  friend bool operator==(const Person&, const Person&) = default;
};

struct Group {
  std::string id, name;
  std::string external_system;  // System id; empty: an internal group
  friend bool operator==(const Group&, const Group&) = default;
};

struct ExternalSystem {
  std::string id;               // System id, as sent in ext_properties.ExternalSystem
  std::string description;
  std::string authorized_user;  // login of the person the system acts as
  // Push: operations are also POSTed here through the outbox (empty: poll only).
  std::string url;
  std::string push_user, push_password;
  friend bool operator==(const ExternalSystem&, const ExternalSystem&) = default;
};

struct Tenant {
  std::string id, name;
  std::map<std::string, Person, std::less<>> people;  // by id
  std::map<std::string, Group, std::less<>> groups;   // by id
  std::map<std::string, ExternalSystem, std::less<>> systems;  // by System id

  const Person* FindPerson(std::string_view id) const;
  // The person with `login` (ASCII case-insensitive; at most one: PutPerson keeps logins unique),
  // other than `except_id`; null for an empty login.
  const Person* FindPersonByLogin(std::string_view login, std::string_view except_id = {}) const;
  const Group* FindGroup(std::string_view id) const;
  const ExternalSystem* FindSystem(std::string_view id) const;
  // The external system of group `group_id`, "" for an internal or unknown group.
  std::string SystemOfGroup(std::string_view group_id) const;
  // Systems whose authorized user is `login`.
  std::vector<const ExternalSystem*> SystemsAuthorizing(std::string_view login) const;
};

struct Directory {
  std::map<std::string, Tenant, std::less<>> tenants;
  WorkflowSet workflows;
  int64_t version = 0;  // cx_master_version when loaded

  const Tenant* FindTenant(std::string_view id) const;
};

// Checks of one master-data item (kBadRequest CAUSEWAY/CX/05x, target = the field):
// ids 1-64 printable characters without '/', known roles, a group's system existing in
// `tenant` (when given), a system's URL http(s).
core::Status ValidatePerson(const Person& p);
core::Status ValidateGroup(const Group& g, const Tenant* tenant);
core::Status ValidateSystem(const ExternalSystem& s);
core::Status ValidateId(std::string_view id, const char* field);

}  // namespace causeway::changes
