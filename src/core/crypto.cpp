#include "core/crypto.h"

#include "core/sha256.h"

#include <openssl/crypto.h>

#include <cstring>
#include <memory>

namespace causeway::core {

std::string Sha256Hex(std::string_view data) {
  auto d = Sha256::Hash(data);
  return HexEncode(std::string_view(reinterpret_cast<const char*>(d.data()), d.size()));
}

struct HmacSha256Signer::State {
  Sha256 inner;  // after absorbing key ^ ipad
  Sha256 outer;  // after absorbing key ^ opad
};

HmacSha256Signer::HmacSha256Signer(std::string_view key) : state_(new State) {
  unsigned char k[Sha256::kBlockSize] = {};
  if (key.size() > Sha256::kBlockSize) {
    auto d = Sha256::Hash(key);
    std::memcpy(k, d.data(), d.size());
  } else {
    std::memcpy(k, key.data(), key.size());
  }
  unsigned char ipad[Sha256::kBlockSize], opad[Sha256::kBlockSize];
  for (size_t i = 0; i < Sha256::kBlockSize; ++i) {
    ipad[i] = k[i] ^ 0x36;
    opad[i] = k[i] ^ 0x5c;
  }
  state_->inner.Update(ipad, sizeof ipad);
  state_->outer.Update(opad, sizeof opad);
  OPENSSL_cleanse(k, sizeof k);
  OPENSSL_cleanse(ipad, sizeof ipad);
  OPENSSL_cleanse(opad, sizeof opad);
}

HmacSha256Signer::~HmacSha256Signer() {
  OPENSSL_cleanse(state_, sizeof *state_);
  delete state_;
}

std::string HmacSha256Signer::Sign(std::string_view data) const {
  Sha256 inner = state_->inner;
  inner.Update(data);
  auto ih = inner.Final();
  Sha256 outer = state_->outer;
  outer.Update(ih.data(), ih.size());
  auto out = outer.Final();
  return std::string(reinterpret_cast<const char*>(out.data()), out.size());
}

std::string HexEncode(std::string_view data) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out(data.size() * 2, '0');
  for (size_t i = 0; i < data.size(); ++i) {
    auto b = static_cast<unsigned char>(data[i]);
    out[2 * i] = kHex[b >> 4];
    out[2 * i + 1] = kHex[b & 15];
  }
  return out;
}

bool ConstantTimeEquals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  return CRYPTO_memcmp(a.data(), b.data(), a.size()) == 0;
}

}  // namespace causeway::core
