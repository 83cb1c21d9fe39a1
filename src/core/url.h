// Percent-decoding of URL components, for every layer that reads URLs (OData, the control
// plane, REST surfaces).
#pragma once

#include <string>
#include <string_view>

namespace causeway::core {

// %XX decoding; when `plus_is_space` (query strings, form fields), '+' becomes ' '. False on a
// malformed escape (then `out` holds garbage).
bool PercentDecode(std::string_view in, bool plus_is_space, std::string* out);

}  // namespace causeway::core
