// Salted slow password hashes (PBKDF2-HMAC-SHA256 via OpenSSL).
// Encoded form: "pbkdf2-sha256$<iterations>$<salt base64>$<hash base64>", which config files
// may hold instead of a plain password (`causeway user hash` prints one).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace causeway::security {

constexpr int kDefaultPbkdf2Iterations = 60000;

std::string HashPassword(std::string_view password, int iterations = kDefaultPbkdf2Iterations);
// Constant-time check of `password` against an encoded hash; false for a malformed hash.
bool VerifyPassword(std::string_view password, std::string_view encoded);
bool LooksLikePasswordHash(std::string_view s);
// Spends the time of a VerifyPassword with the default cost and fails: a logon of a user that
// does not exist (or is locked) answers as late as a wrong password would, so the timing does
// not tell which user names exist.
void VerifyAgainstDecoy(std::string_view password);
// Slow hashes computed by this process so far (HashPassword, VerifyPassword, decoys).
uint64_t PasswordDerivations();

}  // namespace causeway::security
