// The tenant's own authentication tokens (spec B.3.1): what both token endpoints answer and
// clients send back as the LWSSO_COOKIE_KEY or SMAX_AUTH_TOKEN cookie. Stateless: a token
// carries tenant, person, login, issue and expiry times, a fingerprint of the person's
// password hash (a changed password ends the person's tokens) and a random nonce, signed with
// HMAC-SHA256 under a key every node shares (a setting in the store), so any node accepts any
// token and many tokens of one person are valid at once.
//
// Thread-safe.
#pragma once

#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "core/clock.h"
#include "core/crypto.h"
#include "core/result.h"
#include "store/database.h"

namespace causeway::services::case_exchange {

struct TokenClaims {
  std::string tenant, person_id, login;
  int64_t issued_ms = 0, expires_ms = 0;
  std::string password_fingerprint;
};

class TokenCodec {
 public:
  TokenCodec(std::string_view key, const core::Clock& clock, std::chrono::seconds lifetime)
      : signer_(key), clock_(clock), lifetime_(lifetime) {}

  std::string Issue(std::string_view tenant, std::string_view person_id, std::string_view login,
                    std::string_view password_hash) const;
  // nullopt when malformed, forged or expired.
  std::optional<TokenClaims> Verify(std::string_view token) const;
  static std::string Fingerprint(std::string_view password_hash);

 private:
  core::HmacSha256Signer signer_;
  const core::Clock& clock_;
  std::chrono::seconds lifetime_;
};

}  // namespace causeway::services::case_exchange
