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

}  // namespace causeway::odata
