#include "security/password_hash.h"

#include <openssl/evp.h>

#include <atomic>
#include <charconv>

#include "core/crypto.h"
#include "core/random.h"

namespace causeway::security {
namespace {

constexpr std::string_view kScheme = "pbkdf2-sha256$";

std::atomic<uint64_t> derivations{0};

std::string Derive(std::string_view password, std::string_view salt, int iterations) {
  unsigned char out[32];
  derivations.fetch_add(1, std::memory_order_relaxed);
  PKCS5_PBKDF2_HMAC(password.data(), static_cast<int>(password.size()),
                    reinterpret_cast<const unsigned char*>(salt.data()), static_cast<int>(salt.size()), iterations,
                    EVP_sha256(), sizeof out, out);
  return std::string(reinterpret_cast<char*>(out), sizeof out);
}

}  // namespace

std::string HashPassword(std::string_view password, int iterations) {
  std::string salt(16, '\0');
  core::RandomBytes(salt.data(), salt.size());
  return std::string(kScheme) + std::to_string(iterations) + "$" + core::Base64Encode(salt) + "$" +
         core::Base64Encode(Derive(password, salt, iterations));
}

bool LooksLikePasswordHash(std::string_view s) { return s.substr(0, kScheme.size()) == kScheme; }

bool VerifyPassword(std::string_view password, std::string_view encoded) {
  if (!LooksLikePasswordHash(encoded)) return false;
  std::string_view rest = encoded.substr(kScheme.size());
  size_t a = rest.find('$');
  if (a == std::string_view::npos) return false;
  size_t b = rest.find('$', a + 1);
  if (b == std::string_view::npos) return false;
  int iterations = 0;
  auto [p, ec] = std::from_chars(rest.data(), rest.data() + a, iterations);
  if (ec != std::errc() || p != rest.data() + a || iterations < 1 || iterations > 10'000'000) return false;
  std::string salt, expected;
  if (!core::Base64Decode(rest.substr(a + 1, b - a - 1), &salt) || !core::Base64Decode(rest.substr(b + 1), &expected))
    return false;
  if (expected.size() != 32) return false;
  return core::ConstantTimeEquals(Derive(password, salt, iterations), expected);
}

uint64_t PasswordDerivations() { return derivations.load(std::memory_order_relaxed); }

void VerifyAgainstDecoy(std::string_view password) {
  static const std::string decoy = HashPassword(core::RandomHexUpper(16));
  (void)VerifyPassword(password, decoy);
}

}  // namespace causeway::security
