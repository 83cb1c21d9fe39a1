// Percent-encoding and -decoding of URL components, for every layer that reads or builds URLs
// (OData, the control plane and its command-line tools, REST surfaces, document links).
#pragma once

#include <string>
#include <string_view>

namespace causeway::core {

// %XX decoding; when `plus_is_space` (query strings, form fields), '+' becomes ' '. False on a
// malformed escape (then `out` holds garbage).
bool PercentDecode(std::string_view in, bool plus_is_space, std::string* out);

// %XX (upper-case hex) for every byte but RFC 3986's unreserved characters (ALPHA DIGIT - . _ ~)
// and those of `keep` ("/" for a path, OData's sub-delimiters for a key segment); independent
// of the locale.
std::string PercentEncode(std::string_view in, std::string_view keep = {});

}  // namespace causeway::core
