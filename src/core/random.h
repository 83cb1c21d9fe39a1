// Cryptographically strong random identifiers (OpenSSL RAND_bytes).
#pragma once

#include <string>

namespace causeway::core {

// `n` random bytes as upper-case hex (2n characters).
std::string RandomHexUpper(size_t n);
// A string of `len` characters drawn uniformly from `alphabet`.
std::string RandomFromAlphabet(size_t len, std::string_view alphabet);
void RandomBytes(void* out, size_t n);

}  // namespace causeway::core
