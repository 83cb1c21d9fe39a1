// UTF-8 hygiene for text that goes back on the wire: error messages echo what clients sent,
// and a response that is not valid UTF-8 (or, for XML, holds characters XML 1.0 forbids) is
// one a strict client cannot parse at all.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace causeway::core {

// U+FFFD REPLACEMENT CHARACTER in UTF-8: what stands for a byte that cannot be kept.
inline constexpr std::string_view kUtf8Replacement = "\xEF\xBF\xBD";

// `s` with every byte that does not start a well-formed UTF-8 sequence (overlong forms,
// surrogates and code points above U+10FFFF included) replaced by U+FFFD. When `for_xml`, also
// the C0 controls XML 1.0 forbids (all below U+0020 but tab, LF and CR).
std::string ValidUtf8(std::string_view s, bool for_xml = false);

// Length of the well-formed UTF-8 sequence at the start of `s` (1 for an invalid byte, 0 for
// an empty string).
size_t Utf8SequenceLength(std::string_view s);

// `s` without a leading UTF-8 byte order mark (EF BB BF). RFC 8259 §8.1 lets a JSON parser
// ignore one, and files saved by Windows editors carry it (curl --data-binary @file.json, the
// job client's parameter files); Boost.JSON would call it a syntax error.
inline std::string_view WithoutUtf8Bom(std::string_view s) {
  if (s.size() >= 3 && s[0] == '\xEF' && s[1] == '\xBB' && s[2] == '\xBF') s.remove_prefix(3);
  return s;
}

}  // namespace causeway::core
