#include "core/random.h"

#include <openssl/rand.h>

#include <algorithm>
#include <cstring>
#include <stdexcept>

#include <openssl/crypto.h>

namespace causeway::core {

void RandomBytes(void* out, size_t n) {
  // OpenSSL's DRBG costs microseconds per call (locking, reseed checks); small requests (ids,
  // session keys) are served from a per-thread buffer of its output, refilled 4 KiB at a time.
  constexpr size_t kPool = 4096;
  thread_local unsigned char pool[kPool];
  thread_local size_t available = 0;
  auto* dst = static_cast<unsigned char*>(out);
  if (n > kPool / 4) {
    if (RAND_bytes(dst, static_cast<int>(n)) != 1) throw std::runtime_error("RAND_bytes failed");
    return;
  }
  while (n > 0) {
    if (available == 0) {
      if (RAND_bytes(pool, static_cast<int>(kPool)) != 1) throw std::runtime_error("RAND_bytes failed");
      available = kPool;
    }
    size_t take = std::min(n, available);
    unsigned char* src = pool + (kPool - available);
    std::memcpy(dst, src, take);
    OPENSSL_cleanse(src, take);  // handed-out bytes must not be handed out or leak again
    available -= take;
    dst += take;
    n -= take;
  }
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
