// The case exchange module: Causeway as the Service Management side of case exchange for
// changes (issue 16). Migrations 700-799 (domain/changes), the [case_exchange] section, the
// demo tenant, the outbox kinds cx.assign/accept/cancel/update, and the routes:
//   /auth/authentication-endpoint/authenticate/{login,token}   the tenant's logon (logon.h)
//   /rest/<tenant>/…                                           ces, ems, collaboration, frs (rest_api.h)
//   /_causeway/cx/…                                            control plane (control_routes.h)
// None of the tenant's routes goes through SAP Gateway's logon (guard.authenticate = false):
// they authenticate their own people by token. Everything runs on the worker pool.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "services/common/module.h"
#include "services/case_exchange/cx_config.h"

namespace causeway::changes {
class ChangeDesk;
}

namespace causeway::services::case_exchange {

class Logon;
class OutboxPublisher;
class RestApi;
class TokenCodec;

inline constexpr char kAuthPrefix[] = "/auth/authentication-endpoint/authenticate/";
inline constexpr char kRestPrefix[] = "/rest/";

class CaseExchangeModule final : public Module {
 public:
  CaseExchangeModule();
  ~CaseExchangeModule() override;

  std::string_view Name() const override { return "cx"; }
  std::vector<std::string> ConfigSections() const override { return {"case_exchange"}; }
  core::Status Configure(const toml::table& root, bool demo) override;
  std::vector<store::Migration> Migrations() const override;
  void AddMessageKinds(exchange::KindRegistry& kinds) const override;
  core::Status Start(ModuleContext& ctx) override;
  std::vector<http::Endpoint> Endpoints() override;
  std::vector<std::string> ServiceRoots() const override;
  std::string MetricsText() const override;
  void Refresh() override;
  void Stop() override;

  // After Start (tests, benchmarks).
  changes::ChangeDesk& desk() { return *desk_; }
  const Options& options() const { return options_; }

 private:
  core::Status ApplyConfiguration();

  Options options_;
  std::unique_ptr<changes::ChangeDesk> desk_;
  std::unique_ptr<TokenCodec> tokens_;
  std::unique_ptr<OutboxPublisher> publisher_;
  std::unique_ptr<Logon> logon_;
  std::unique_ptr<RestApi> rest_;
  bool inline_operations_ = false;  // SQLite: incoming operations are tried on the I/O thread
};

std::unique_ptr<Module> MakeCaseExchangeModule();

}  // namespace causeway::services::case_exchange
