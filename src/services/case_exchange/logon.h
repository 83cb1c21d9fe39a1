// The tenant's own authentication (spec B.3.1), not SAP Gateway's: the two token endpoints
// and the check of every REST request's token.
//
//   GET  /auth/authentication-endpoint/authenticate/login?login=<user>&password=<pwd>[&TENANTID=<t>]
//        (also HEAD: the same head, token cookie included; and POST with the same query)
//   POST /auth/authentication-endpoint/authenticate/token[?TENANTID=<t>]   {"Login":"…","Password":"…"}
//
// Both answer 200 with the bare token as a text/plain body (and set it as LWSSO_COOKIE_KEY for
// clients with a cookie jar); bad credentials get 401 with an empty body. The tenant is
// TENANTID (query, else cookie), else [case_exchange] default_tenant, else the only tenant.
// A REST request carries the token as the LWSSO_COOKIE_KEY or SMAX_AUTH_TOKEN cookie (quoted,
// several Cookie lines and stray attributes such as Path= are tolerated); it must have been
// issued for the tenant of the URL, be unexpired, and its person must still exist with the same
// login and password. Passwords are checked with the slow hash once per distinct credential;
// later logons with the same credential are answered from a cache (clients in the field log on
// before every operation).
//
// Thread-safe.
#pragma once

#include <atomic>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>

#include "domain/changes/change_desk.h"
#include "http/message.h"
#include "services/case_exchange/cx_config.h"
#include "services/case_exchange/token_codec.h"

namespace causeway::services::case_exchange {

class Logon {
 public:
  Logon(changes::ChangeDesk& desk, const TokenCodec& tokens, const Options& options)
      : desk_(desk), tokens_(tokens), options_(options) {}

  // `rest`: the path after /auth/authentication-endpoint/authenticate/.
  http::Response Handle(const http::Request& req, std::string_view rest);
  // The caller of a request to `tenant`; kUnauthorized CAUSEWAY/CX/131 (no token), 132
  // (invalid or expired), 133 (another tenant's token).
  core::Result<changes::Caller> Authenticate(const http::Request& req, std::string_view tenant) const;
  uint64_t password_checks() const { return password_checks_.load(); }

 private:
  // The token for these credentials, or nullopt.
  std::optional<std::string> Check(std::string_view tenant, std::string_view login, std::string_view password);
  std::string TenantOf(const http::Request& req, const std::optional<std::string>& query_tenant) const;

  changes::ChangeDesk& desk_;
  const TokenCodec& tokens_;
  const Options& options_;
  std::mutex mu_;
  std::unordered_map<std::string, std::string> verified_;  // GUARDED_BY(mu_): credential digest → hash it matched
  std::atomic<uint64_t> password_checks_{0};
};

}  // namespace causeway::services::case_exchange
