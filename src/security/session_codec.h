// Stateless security sessions and CSRF tokens, verifiable on any node that shares the secret.
//
// A session cookie value carries (session id, user, client, issued, last seen) and an
// HMAC-SHA256 over them. The CSRF token is an HMAC of the session id, so it is valid exactly as
// long as its session and needs no server-side state. Tokens look like SAP's: 24 base64
// characters ending in "==".
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

#include "core/clock.h"
#include "core/crypto.h"

namespace causeway::security {

struct Session {
  std::string id;      // random, 22 characters
  std::string user;
  std::string client;
  int64_t issued_s = 0;
  int64_t seen_s = 0;
};

struct SessionPolicy {
  std::chrono::seconds idle_timeout{30 * 60};
  std::chrono::seconds absolute_timeout{8 * 3600};
  std::chrono::seconds refresh_after{60};  // re-issue the cookie when `seen` is older than this
};

class SessionCodec {
 public:
  SessionCodec(std::string_view secret, SessionPolicy policy, const core::Clock& clock)
      : signer_(secret), policy_(policy), clock_(clock) {}

  Session NewSession(std::string user, std::string client) const;
  std::string Encode(const Session& s) const;
  // Verifies signature and expiry; nullopt if forged, malformed or expired.
  std::optional<Session> Decode(std::string_view cookie_value) const;
  // True if the cookie should be re-issued with a fresh `seen` time.
  bool NeedsRefresh(const Session& s) const;
  Session Touch(Session s) const;

  std::string CsrfToken(const Session& s) const;
  bool CsrfValid(const Session& s, std::string_view token) const;

  const SessionPolicy& policy() const { return policy_; }
  int64_t NowSeconds() const;

 private:
  core::HmacSha256Signer signer_;
  SessionPolicy policy_;
  const core::Clock& clock_;
};

}  // namespace causeway::security
