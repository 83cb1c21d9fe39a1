// Maps a core::Error to Gateway's error response (spec §2.8): JSON or XML body, status from
// core::HttpStatusOf, `transactionid` (32 hex) and `timestamp` (YYYYMMDDhhmmss.fffffff, UTC).
#pragma once

#include <string_view>

#include "core/clock.h"
#include "core/error.h"
#include "http/message.h"
#include "odata/service.h"
#include "odata/writer.h"

namespace causeway::odata {

// A fresh stamp: random transaction id, `clock.Now()` as SAP long timestamp.
ErrorStamp NewErrorStamp(const core::Clock& clock);

// The complete HTTP response for `e` in `format` (XML: application/xml;charset=utf-8,
// JSON: application/json; charset=utf-8) with `dataserviceversion: 1.0`.
http::Response GatewayErrorResponse(const core::Error& e, Format format, const ServiceInfo& info,
                                    std::string_view language, const core::Clock& clock);

// The format an error for `req` is written in: `$format` in the raw query, else Accept, else
// Atom. Lenient (no validation), for errors raised before or instead of the full parse.
Format GuessFormat(const http::Request& req, std::string_view raw_query);

// Gateway's answer for a service root no service is registered under (HTTP 404,
// /IWFND/MED/170 "No service found for namespace '/<NS>/', name '<NAME>', version '<NNNN>'"),
// in the format the request asks for.
http::Response NoServiceFound(const http::Request& req, std::string_view raw_query, std::string_view namespace_segment,
                              std::string_view service, int version, const core::Clock& clock);

}  // namespace causeway::odata
