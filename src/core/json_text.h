// JSON string literals as every writer of Causeway emits them: quote and backslash escaped,
// \b \f \n \r \t for those control characters, the other control characters as \u00xx (lower-
// case hex), everything else — UTF-8 included — copied as it is. That is Boost.JSON's
// serializer's output too, so documents written by hand and by Boost.JSON stay byte-identical.
// The caller guarantees valid UTF-8 where it needs it (core::ValidUtf8).
#pragma once

#include <string>
#include <string_view>

namespace causeway::core {

// Appends `s` as a quoted JSON string.
void AppendJsonString(std::string& out, std::string_view s);

}  // namespace causeway::core
