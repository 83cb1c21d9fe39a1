// Reading error bodies: Gateway JSON/XML errors (spec §2.8) and HTML pages served where OData was
// expected (SAML login, proxy error page, ICF 401 page).
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace causeway::client {

struct GatewayError {
  std::string code;     // e.g. "APJ_RT/003"
  std::string message;  // e.g. "Job doesn't exist."
};

// `body` without a leading UTF-8 byte order mark and the whitespace after it: where its first
// character tells what kind of document it is.
std::string_view SkipBomAndSpace(std::string_view body);

// The Gateway error in `body` (JSON {"error":{…}} or XML <error>), or nullopt if it is not one.
std::optional<GatewayError> ParseGatewayError(std::string_view body);

// True when the response is an HTML document (by content type or by its first tag).
bool IsHtmlResponse(std::string_view body, std::string_view content_type);

// The <title> of an HTML page, whitespace-collapsed and cut to 80 characters; "" if none.
std::string HtmlTitle(std::string_view body);

// The first non-empty line of a plain-text body, cut to 200 characters (e.g. "CSRF token
// validation failed").
std::string FirstLine(std::string_view body);

}  // namespace causeway::client
