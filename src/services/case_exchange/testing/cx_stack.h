// Test support: the case exchange module started on a store (platform and its migrations
// applied) from a configuration text, with its endpoints on a router behind the real security
// gate (user ADMIN / Admin1! holds CAUSEWAY_CONTROL for the control plane), as `serve` does.
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "http/router.h"
#include "security/gateway_guard.h"
#include "security/session_codec.h"
#include "security/user_directory.h"
#include "services/case_exchange/case_exchange_module.h"

namespace causeway::services::case_exchange::testing {

struct CxStack {
  std::unique_ptr<security::UserDirectory> users;
  std::unique_ptr<security::SessionCodec> sessions;
  std::unique_ptr<security::GatewayGuard> guard;
  std::unique_ptr<http::Router> router;
  std::unique_ptr<ModuleContext> context;
  std::unique_ptr<CaseExchangeModule> module;
};

// Everything passed must outlive the stack. `outbox` may be null.
core::Result<CxStack> StartCaseExchange(store::Database& db, const core::Clock& clock, std::string_view config_toml,
                                        exchange::Outbox* outbox = nullptr, bool demo = false);

// A request through the router (Host set); the body as given.
http::Response Call(http::Router& router, std::string method, std::string target, std::string body = {},
                    std::vector<std::pair<std::string, std::string>> headers = {}, bool on_io_thread = false);
// The token of a logon through POST …/authenticate/token; "" when refused.
std::string LogOn(http::Router& router, std::string_view tenant, std::string_view login, std::string_view password);

}  // namespace causeway::services::case_exchange::testing
