// Hashing primitives used by security/ (kept here so store and exchange can use them too).
#pragma once

#include <string>
#include <string_view>

#include "core/base64.h"

namespace causeway::core {

std::string Sha256Hex(std::string_view data);
std::string HexEncode(std::string_view data);
// HMAC-SHA256 under a fixed key with the key schedule done once: signing is two SHA-256
// finalizations on copies of precomputed states (no per-call algorithm fetch or key setup).
// Sign() is thread-safe.
class HmacSha256Signer {
 public:
  explicit HmacSha256Signer(std::string_view key);
  ~HmacSha256Signer();
  HmacSha256Signer(const HmacSha256Signer&) = delete;
  HmacSha256Signer& operator=(const HmacSha256Signer&) = delete;
  std::string Sign(std::string_view data) const;  // raw 32 bytes

 private:
  struct State;
  State* state_;
};

// Constant-time equality for secrets.
bool ConstantTimeEquals(std::string_view a, std::string_view b);

}  // namespace causeway::core
