// OData V2 URI literals (spec §2.7) for function-import parameters in the query string.
#pragma once

#include <string>
#include <string_view>

#include "core/result.h"

namespace causeway::client {


// Edm.String literal ready for a query string: single quotes doubled, the content
// percent-encoded, wrapped in literal quotes. "It's" -> 'It%27%27s'.
std::string StringLiteral(std::string_view value);

// Edm.DateTime literal from "YYYY-MM-DD", "YYYY-MM-DDTHH:MM" or "YYYY-MM-DDTHH:MM:SS" (a space
// may replace the T). Returns datetime'YYYY-MM-DDTHH:MM:SS'. kBadRequest on any other input.
core::Result<std::string> DateTimeLiteral(std::string_view value);

// "/Date(1492098664000)/" or "/Date(1492098664000+0000)/" -> "2017-04-13T15:51:04Z";
// anything else is returned unchanged (Atom already carries ISO text).
std::string FormatODataDateTime(std::string_view value);

}  // namespace causeway::client
