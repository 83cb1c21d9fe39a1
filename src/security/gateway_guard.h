// The security gate in front of every endpoint, with SAP Gateway/ICF behaviour
// (spec §2.2–2.4):
//   authenticate (client certificate, Basic, or session cookie) → lockout → session →
//   CSRF for modifying methods → authorize the service by the user's arrangements.
//
// Failures: 401 with `www-authenticate: Basic realm="SAP NetWeaver Application Server
// [<SID>/<client>]"`, an HTML page and `set-cookie: sap-usercontext=…`; 403 with
// `x-csrf-token: Required` and text/plain "CSRF token validation failed"; 403 in the service's
// error format for a missing arrangement. Never logs credentials, cookies or tokens.
#pragma once

#include <condition_variable>
#include <list>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>

#include "http/endpoint.h"
#include "security/session_codec.h"
#include "security/user_directory.h"

namespace causeway::security {

struct GuardOptions {
  std::string system_id = "CWY";  // SID in realm and cookie names
  // The clients of this system (three digits each); a logon to any other client fails (401),
  // as it does on a system where that client does not exist. Empty: default_client only.
  std::vector<std::string> clients;
  std::string default_client = "100";
  size_t credential_cache_size = 10000;
  std::chrono::seconds credential_cache_ttl{600};
};

class GatewayGuard final : public http::RequestGuard {
 public:
  GatewayGuard(UserDirectory& users, const SessionCodec& sessions, const core::Clock& clock, GuardOptions options);

  bool IsCheap(const http::Request& req) const override;
  std::optional<http::Response> Admit(http::Request& req, const http::GuardTarget& target,
                                      const http::ErrorRenderer& render) override;
  void Finish(const http::Request& req, const http::GuardTarget& target, http::Response& res) override;

  std::string SessionCookieName(std::string_view client) const;
  // Forgets cached credentials (after unlock/lock or a password change).
  void ClearCredentialCache();

 private:
  std::optional<std::string> CachedBasicUser(std::string_view authorization, uint64_t* version) const;
  void CacheBasicUser(std::string_view authorization, const std::string& user, uint64_t version);
  http::Response Unauthorized(const http::Request& req, const http::ErrorRenderer& render) const;
  bool ClientAvailable(std::string_view client) const;
  static bool IsModifying(std::string_view method);
  // The set-cookie value of a session cookie, without "; secure".
  std::string SessionSetCookie(const Session& s) const;
  struct IssuedSession {
    Session session;
    std::string set_cookie;  // SessionSetCookie(session)
  };
  UserDirectory::LogonResult CheckPasswordOnce(std::string key, std::string_view user,
                                              std::string_view password);
  const IssuedSession& SharedReadSession(const std::string& user, const std::string& client) const;

  UserDirectory& users_;
  const SessionCodec& sessions_;
  const core::Clock& clock_;
  GuardOptions options_;
  const uint64_t instance_;  // tells guards apart in the per-thread session memo

  // Verified Basic credentials: SHA-256(Authorization header) → user and password version.
  // Saves the slow hash on every request of clients that send Basic each time.
  struct CacheEntry {
    std::string user;
    uint64_t version;
    core::SystemTime expires;
    std::list<std::string>::iterator lru;
  };
  mutable std::mutex cache_mu_;
  std::unordered_map<std::string, CacheEntry> cache_;  // GUARDED_BY(cache_mu_)
  std::list<std::string> lru_;                         // GUARDED_BY(cache_mu_)

  // Slow password checks in progress, by credential key (see CheckPasswordOnce).
  struct Flight {
    std::mutex mu;
    std::condition_variable done_cv;
    bool done = false;  // GUARDED_BY(mu)
    bool ok = false;    // GUARDED_BY(mu)
  };
  std::mutex flights_mu_;
  std::unordered_map<std::string, std::shared_ptr<Flight>> flights_;  // GUARDED_BY(flights_mu_)
};

}  // namespace causeway::security
