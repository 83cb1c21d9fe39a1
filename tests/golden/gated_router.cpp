#include "gated_router.h"

#include <vector>

#include "security/password_hash.h"

namespace causeway::golden {

GatedRouter::GatedRouter(const core::Clock& clock, const std::string& user, const std::string& scenario,
                         const std::string& guard_service) {
  // 1000 rounds: the hash is checked on every Basic logon of a run, the strength is irrelevant here.
  const std::string hash = security::HashPassword("Welcome1!", 1000);
  security::ScenarioCatalog catalog = {{scenario, {guard_service}}, {"CAUSEWAY_CONTROL", {"CAUSEWAY_CONTROL"}}};
  users_ = std::make_unique<security::UserDirectory>(
      std::vector<security::UserConfig>{{.name = user, .password_hash = hash, .scenarios = {scenario}},
                                        {.name = "NOARR", .password_hash = hash},
                                        {.name = "ADMIN", .password_hash = hash, .scenarios = {"CAUSEWAY_CONTROL"}}},
      catalog);
  sessions_ = std::make_unique<security::SessionCodec>(std::string(64, 'k'), security::SessionPolicy{}, clock);
  guard_ = std::make_unique<security::GatewayGuard>(*users_, *sessions_, clock, security::GuardOptions{});
  router_ = std::make_unique<http::Router>(guard_.get());
}

}  // namespace causeway::golden
