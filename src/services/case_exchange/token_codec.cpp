#include "services/case_exchange/token_codec.h"

#include <charconv>
#include <vector>

#include "core/base64.h"
#include "core/random.h"

namespace causeway::services::case_exchange {
namespace {

constexpr std::string_view kVersion = "cx1";

std::vector<std::string_view> Split(std::string_view s, char sep) {
  std::vector<std::string_view> out;
  for (;;) {
    size_t p = s.find(sep);
    out.push_back(s.substr(0, p));
    if (p == std::string_view::npos) return out;
    s.remove_prefix(p + 1);
  }
}

std::optional<int64_t> ToInt(std::string_view s) {
  int64_t v = 0;
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || p != s.data() + s.size()) return std::nullopt;
  return v;
}

}  // namespace

std::string TokenCodec::Fingerprint(std::string_view password_hash) {
  return core::Sha256Hex(password_hash).substr(0, 16);
}

std::string TokenCodec::Issue(std::string_view tenant, std::string_view person_id, std::string_view login,
                              std::string_view password_hash) const {
  const int64_t now = core::ToUnixMillis(clock_.Now());
  const int64_t expires = now + std::chrono::duration_cast<std::chrono::milliseconds>(lifetime_).count();
  // Ids and logins are printable without '|' (directory.cpp), and base64url hides them anyway.
  std::string payload = std::string(kVersion) + "|" + std::string(tenant) + "|" + std::string(person_id) + "|" +
                        core::Base64UrlEncode(login) + "|" + std::to_string(now) + "|" + std::to_string(expires) + "|" +
                        Fingerprint(password_hash) + "|" + core::RandomHexUpper(8);
  std::string encoded = core::Base64UrlEncode(payload);
  return encoded + "." + core::Base64UrlEncode(signer_.Sign(encoded));
}

std::optional<TokenClaims> TokenCodec::Verify(std::string_view token) const {
  if (token.size() > 2048) return std::nullopt;
  size_t dot = token.find('.');
  if (dot == std::string_view::npos) return std::nullopt;
  std::string_view encoded = token.substr(0, dot);
  std::string signature;
  if (!core::Base64Decode(token.substr(dot + 1), &signature)) return std::nullopt;
  if (!core::ConstantTimeEquals(signature, signer_.Sign(encoded))) return std::nullopt;
  std::string payload;
  if (!core::Base64Decode(encoded, &payload)) return std::nullopt;
  auto parts = Split(payload, '|');
  if (parts.size() != 8 || parts[0] != kVersion) return std::nullopt;
  TokenClaims c;
  c.tenant = std::string(parts[1]);
  c.person_id = std::string(parts[2]);
  if (!core::Base64Decode(parts[3], &c.login)) return std::nullopt;
  auto issued = ToInt(parts[4]), expires = ToInt(parts[5]);
  if (!issued || !expires) return std::nullopt;
  c.issued_ms = *issued;
  c.expires_ms = *expires;
  c.password_fingerprint = std::string(parts[6]);
  if (core::ToUnixMillis(clock_.Now()) >= c.expires_ms) return std::nullopt;
  return c;
}

}  // namespace causeway::services::case_exchange
