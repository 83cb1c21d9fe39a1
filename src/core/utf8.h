// UTF-8 hygiene for text that goes back on the wire: error messages echo what clients sent,
// and a response that is not valid UTF-8 (or, for XML, holds characters XML 1.0 forbids) is
// one a strict client cannot parse at all.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace causeway::core {

// `s` with every byte that does not start a well-formed UTF-8 sequence (overlong forms,
// surrogates and code points above U+10FFFF included) replaced by U+FFFD. When `for_xml`, also
// the C0 controls XML 1.0 forbids (all below U+0020 but tab, LF and CR).
std::string ValidUtf8(std::string_view s, bool for_xml = false);

// Length of the well-formed UTF-8 sequence at the start of `s` (1 for an invalid byte, 0 for
// an empty string).
size_t Utf8SequenceLength(std::string_view s);

}  // namespace causeway::core
