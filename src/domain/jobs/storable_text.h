// Text the store accepts on every back end. PostgreSQL refuses NUL characters and invalid UTF-8
// in text columns, SQLite stores any bytes; process output (and whatever a client sends as a
// job text) may hold both. Sanitizing before every write keeps the two back ends identical.
#pragma once

#include <string>
#include <string_view>

namespace causeway::jobs {

// `text` with every NUL and every ill-formed UTF-8 sequence (maximal subpart, as Unicode §3.9
// recommends: one replacement per broken sequence) replaced by U+FFFD. Valid text comes back
// unchanged.
std::string StorableText(std::string_view text);

}  // namespace causeway::jobs
