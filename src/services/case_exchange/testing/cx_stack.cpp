#include "services/case_exchange/testing/cx_stack.h"

#include "security/password_hash.h"
#include "services/common/config_table.h"
#include "store/migration.h"

namespace causeway::services::case_exchange::testing {

core::Result<CxStack> StartCaseExchange(store::Database& db, const core::Clock& clock, std::string_view config_toml,
                                        exchange::Outbox* outbox, bool demo) {
  CxStack s;
  security::ScenarioCatalog catalog = {{"CAUSEWAY_CONTROL", {"CAUSEWAY_CONTROL"}}};
  s.users = std::make_unique<security::UserDirectory>(
      std::vector<security::UserConfig>{{.name = "ADMIN",
                                         .kind = security::UserKind::kCommunication,
                                         .password_hash = security::HashPassword("Admin1!", 1000),
                                         .scenarios = {"CAUSEWAY_CONTROL"}}},
      catalog);
  s.sessions = std::make_unique<security::SessionCodec>(std::string(64, 'k'), security::SessionPolicy{}, clock);
  s.guard = std::make_unique<security::GatewayGuard>(*s.users, *s.sessions, clock, security::GuardOptions{});
  s.router = std::make_unique<http::Router>(s.guard.get());
  CW_RETURN_IF_ERROR(store::Migrate(db, security::UserDirectory::Migrations()));
  s.module = std::make_unique<CaseExchangeModule>();
  toml::table root;
  try {
    root = toml::parse(config_toml);
  } catch (const toml::parse_error& e) {
    return ConfigError(std::string(e.description()));
  }
  CW_RETURN_IF_ERROR(s.module->Configure(root, demo));
  CW_RETURN_IF_ERROR(store::Migrate(db, s.module->Migrations()));
  s.context = std::make_unique<ModuleContext>(ModuleContext{.db = db, .clock = clock, .users = *s.users});
  s.context->outbox = outbox;
  CW_RETURN_IF_ERROR(s.module->Start(*s.context));
  for (auto& e : s.module->Endpoints()) s.router->Add(std::move(e));
  return s;
}

http::Response Call(http::Router& router, std::string method, std::string target, std::string body,
                    std::vector<std::pair<std::string, std::string>> headers, bool on_io_thread) {
  http::Request req;
  req.on_io_thread = on_io_thread;
  req.method = std::move(method);
  req.target = std::move(target);
  req.body = std::move(body);
  req.headers.Add("Host", "causeway.test");
  for (auto& [n, v] : headers) req.headers.Add(n, v);
  return router.Handle(req);
}

std::string LogOn(http::Router& router, std::string_view tenant, std::string_view login, std::string_view password) {
  std::string body = "{\"Login\":\"" + std::string(login) + "\",\"Password\":\"" + std::string(password) + "\"}";
  http::Response r = Call(router, "POST", "/auth/authentication-endpoint/authenticate/token?TENANTID=" + std::string(tenant),
                          body, {{"Content-Type", "application/json"}});
  return r.status == 200 ? std::string(r.body_view()) : std::string();
}

}  // namespace causeway::services::case_exchange::testing
