// [case_exchange] of causeway.toml (docs/configuration.md, "Case exchange"): token lifetime,
// the default tenant of logons that name none, page sizes, and per tenant its people (with a
// password or password hash), groups and external systems; change workflows replacing the
// defaults of their type. The demo tenant (DemoTenant) is used in the embedded demo and with
// demo_tenant = true.
#pragma once

#include <chrono>
#include <string>
#include <vector>

#include <toml++/toml.h>

#include "core/result.h"
#include "domain/changes/directory.h"
#include "domain/changes/workflow.h"

namespace causeway::services::case_exchange {

struct PersonConfig {
  changes::Person person;  // password_hash set when the file gave one
  std::string password;    // plain, when the file gave one (hashed at start unless the stored hash matches)
};

struct TenantConfig {
  std::string id, name;
  std::vector<PersonConfig> people;
  std::vector<changes::Group> groups;
  std::vector<changes::ExternalSystem> systems;
};

struct Options {
  std::chrono::seconds token_lifetime{1800};
  std::string default_tenant;     // logons without TENANTID; empty: the only tenant, if one
  int64_t page_size = 4000;       // /ces size default (spec) and maximum
  int64_t ems_page_size = 100;    // EMS collection default
  int64_t ems_max_page_size = 5000;
  int64_t max_file_bytes = 16 << 20;
  int hash_iterations = 10000;    // for plain passwords of the file
  bool demo_tenant = false;
  std::vector<TenantConfig> tenants;
  std::vector<changes::Workflow> workflows;
};

// Errors: kBadRequest CAUSEWAY/CONFIG/001 naming the key ("case_exchange.tenants[0].people[1].login").
core::Result<Options> ParseOptions(const toml::table& root);

// The demo tenant 100000002: systems SNOW and JIRA, their groups, an agent and the systems'
// authorized users (README "Demo tenant"); every password Welcome1!.
TenantConfig DemoTenant();

}  // namespace causeway::services::case_exchange
