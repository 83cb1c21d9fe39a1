#include "core/random.h"

#include <openssl/rand.h>

#include <stdexcept>

namespace causeway::core {

void RandomBytes(void* out, size_t n) {
  if (RAND_bytes(static_cast<unsigned char*>(out), static_cast<int>(n)) != 1)
    throw std::runtime_error("RAND_bytes failed");
}

std::string RandomHexUpper(size_t n) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string bytes(n, '\0');
  RandomBytes(bytes.data(), n);
  std::string out(n * 2, '0');
  for (size_t i = 0; i < n; ++i) {
    auto b = static_cast<unsigned char>(bytes[i]);
    out[2 * i] = kHex[b >> 4];
    out[2 * i + 1] = kHex[b & 15];
  }
  return out;
}

std::string RandomFromAlphabet(size_t len, std::string_view alphabet) {
  std::string out;
  out.reserve(len);
  // Rejection sampling keeps the distribution uniform for alphabets that do not divide 256.
  const unsigned limit = 256 - (256 % alphabet.size());
  while (out.size() < len) {
    unsigned char buf[64];
    RandomBytes(buf, sizeof buf);
    for (unsigned char b : buf) {
      if (b >= limit) continue;
      out += alphabet[b % alphabet.size()];
      if (out.size() == len) break;
    }
  }
  return out;
}

}  // namespace causeway::core
