// SHA-256 (FIPS 180-4) as a plain value type: no allocation, copyable state. Used on the
// request path (credential-cache keys, session and CSRF HMACs) where OpenSSL 3's EVP layer
// costs more in context handling than the hash itself. Uses the CPU's SHA extensions when it
// has them (env CAUSEWAY_NO_SHA_NI=1 forces the portable code). Verified against the NIST vectors.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <string_view>

namespace causeway::core {

class Sha256 {
 public:
  static constexpr size_t kBlockSize = 64;
  static constexpr size_t kDigestSize = 32;
  using Digest = std::array<unsigned char, kDigestSize>;

  Sha256();
  void Update(const void* data, size_t n);
  void Update(std::string_view s) { Update(s.data(), s.size()); }
  Digest Final();  // the object must not be used afterwards
  static Digest Hash(std::string_view s);
  // The portable block function, so tests can check both paths give the same state.
  void CompressPortableForTest(const unsigned char* block);
  const std::array<uint32_t, 8>& StateForTest() const { return h_; }

 private:
  void Compress(const unsigned char* block);
  void CompressPortable(const unsigned char* block);
  std::array<uint32_t, 8> h_;
  std::array<unsigned char, kBlockSize> buf_{};
  size_t buf_len_ = 0;
  uint64_t total_ = 0;
};

}  // namespace causeway::core
