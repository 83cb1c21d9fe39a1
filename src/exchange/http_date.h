// HTTP dates (RFC 9110 §5.6.7), as found in Retry-After: recipients must accept all three forms.
#pragma once

#include <optional>
#include <string_view>

#include "core/clock.h"

namespace causeway::exchange {

// Parses "Sun, 06 Nov 1994 08:49:37 GMT" (IMF-fixdate), "Sunday, 06-Nov-94 08:49:37 GMT"
// (RFC 850; two-digit years are taken as 19xx from 70, else 20xx) and
// "Sun Nov  6 08:49:37 1994" (asctime). The weekday is not checked against the date.
// Returns nullopt for anything else, including out-of-range fields.
std::optional<core::SystemTime> ParseHttpDate(std::string_view text);

}  // namespace causeway::exchange
