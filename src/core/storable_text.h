// Text the store accepts on every back end. PostgreSQL refuses NUL characters and invalid UTF-8
// in text columns, SQLite stores any bytes; process output, and whatever a client sends in a
// key, a filter or a text, may hold both. Both back ends bind every text parameter through
// StorableText, so they store (and look up) the same text and neither fails on such bytes.
#pragma once

#include <string>
#include <string_view>

namespace causeway::core {

// `text` with every NUL and every ill-formed UTF-8 sequence (maximal subpart, as Unicode §3.9
// recommends: one replacement per broken sequence) replaced by U+FFFD. Valid text comes back
// unchanged.
std::string StorableText(std::string_view text);

// Whether StorableText(text) == text (no copy made).
bool IsStorableText(std::string_view text);

}  // namespace causeway::core
