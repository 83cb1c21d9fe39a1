// Word-at-a-time scans for the first byte a serializer must escape. Feeds are mostly plain
// ASCII, so the writers copy whole runs and only fall back to byte-by-byte work at a hit.
#pragma once

#include <cstdint>
#include <cstring>
#include <string_view>

namespace causeway::core::scan {

inline constexpr uint64_t kOnes = 0x0101010101010101ULL;
inline constexpr uint64_t kHighs = 0x8080808080808080ULL;

// Non-zero iff some byte of `w` is below `n` (n ≤ 128; exact for "is there any").
inline uint64_t AnyBelow(uint64_t w, uint8_t n) { return (w - kOnes * n) & ~w & kHighs; }
// Non-zero iff some byte of `w` equals `c`.
inline uint64_t AnyEqual(uint64_t w, uint8_t c) {
  uint64_t x = w ^ (kOnes * c);
  return (x - kOnes) & ~x & kHighs;
}

inline uint64_t Load(const char* p) {
  uint64_t w;
  std::memcpy(&w, p, sizeof w);
  return w;
}

// Index of the first '"', '\\' or control character (< 0x20), or s.size().
inline size_t FirstJsonSpecial(std::string_view s) {
  size_t i = 0;
  for (; i + 8 <= s.size(); i += 8) {
    uint64_t w = Load(s.data() + i);
    if (AnyBelow(w, 0x20) | AnyEqual(w, '"') | AnyEqual(w, '\\')) break;
  }
  for (; i < s.size(); ++i) {
    auto c = static_cast<unsigned char>(s[i]);
    if (c < 0x20 || c == '"' || c == '\\') return i;
  }
  return i;
}

// Index of the first '&', '<', '>', control character (< 0x20; tab/LF/CR included, the caller
// decides) or — with `attribute` — '"', or s.size().
inline size_t FirstXmlCandidate(std::string_view s, bool attribute) {
  size_t i = 0;
  for (; i + 8 <= s.size(); i += 8) {
    uint64_t w = Load(s.data() + i);
    uint64_t hit = AnyBelow(w, 0x20) | AnyEqual(w, '&') | AnyEqual(w, '<') | AnyEqual(w, '>');
    if (attribute) hit |= AnyEqual(w, '"');
    if (hit) break;
  }
  for (; i < s.size(); ++i) {
    auto c = static_cast<unsigned char>(s[i]);
    if (c < 0x20 || c == '&' || c == '<' || c == '>' || (attribute && c == '"')) return i;
  }
  return i;
}

}  // namespace causeway::core::scan
