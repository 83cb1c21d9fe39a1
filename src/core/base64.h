// Base64 (RFC 4648), standard and URL-safe. No OpenSSL dependency, so parsers that only need
// base64 (OData binary literals, fuzz targets) can use it alone.
#pragma once

#include <string>
#include <string_view>

namespace causeway::core {

std::string Base64Encode(std::string_view data);
std::string Base64UrlEncode(std::string_view data);  // no padding
// Accepts standard and URL-safe alphabets, with or without padding; false on invalid input.
bool Base64Decode(std::string_view in, std::string* out);
// Only what Base64UrlEncode writes: URL-safe alphabet, no padding, unused trailing bits zero.
// For values Causeway minted itself (session cookies): a lenient decoder maps several spellings
// to one value, so a cookie edited in its last character would still verify.
bool Base64UrlDecodeCanonical(std::string_view in, std::string* out);

}  // namespace causeway::core
