#include "core/storable_text.h"

#include "core/text_scan.h"
#include "core/utf8.h"

namespace causeway::core {
namespace {

bool IsContinuation(unsigned char c) { return (c & 0xC0) == 0x80; }

// Length of the well-formed sequence starting at s[i] (Unicode Table 3-7), or 0 with
// `*bad` = the length of its maximal ill-formed subpart (at least 1).
size_t SequenceLength(std::string_view s, size_t i, size_t* bad) {
  const auto c = static_cast<unsigned char>(s[i]);
  size_t need = 0;
  unsigned char lo = 0x80, hi = 0xBF;  // range of the second byte
  if (c >= 0x01 && c <= 0x7F) return 1;
  if (c >= 0xC2 && c <= 0xDF) {
    need = 1;
  } else if (c >= 0xE0 && c <= 0xEF) {
    need = 2;
    if (c == 0xE0) lo = 0xA0;
    if (c == 0xED) hi = 0x9F;  // no surrogates
  } else if (c >= 0xF0 && c <= 0xF4) {
    need = 3;
    if (c == 0xF0) lo = 0x90;
    if (c == 0xF4) hi = 0x8F;  // nothing above U+10FFFF
  } else {
    *bad = 1;  // NUL, a stray continuation byte, C0/C1, F5..FF
    return 0;
  }
  size_t n = 1;
  for (; n <= need; ++n) {
    if (i + n >= s.size()) break;
    const auto b = static_cast<unsigned char>(s[i + n]);
    const bool ok = n == 1 ? (b >= lo && b <= hi) : IsContinuation(b);
    if (!ok) break;
  }
  if (n == need + 1) return n;
  *bad = n;
  return 0;
}

// Length of the storable prefix of `text`.
size_t StorablePrefix(std::string_view text) {
  size_t i = 0;
  size_t bad = 0;
  while (i < text.size()) {
    // Eight bytes at a time while they are ASCII without NUL: bound documents are mostly that,
    // and the byte loop was 1.5% of a ManageTaskActivityIn request's CPU.
    while (i + 8 <= text.size()) {
      const uint64_t w = scan::Load(text.data() + i);
      if ((w & scan::kHighs) | scan::AnyBelow(w, 1)) break;
      i += 8;
    }
    if (i == text.size()) break;
    if (static_cast<unsigned char>(text[i]) - 1u < 0x7Fu) {  // ASCII but NUL, the usual case
      ++i;
      continue;
    }
    const size_t len = SequenceLength(text, i, &bad);
    if (len == 0) break;
    i += len;
  }
  return i;
}

}  // namespace

bool IsStorableText(std::string_view text) { return StorablePrefix(text) == text.size(); }

std::string StorableText(std::string_view text) {
  size_t i = StorablePrefix(text);
  size_t bad = 0;
  if (i == text.size()) return std::string(text);
  std::string out(text.substr(0, i));
  while (i < text.size()) {
    const size_t len = SequenceLength(text, i, &bad);
    if (len == 0) {
      out += kUtf8Replacement;
      i += bad;
    } else {
      out.append(text.substr(i, len));
      i += len;
    }
  }
  return out;
}

}  // namespace causeway::core
