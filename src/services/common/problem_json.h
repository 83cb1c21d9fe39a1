// The JSON error body of Causeway's own REST surfaces (the control plane):
// {"error":{"code":"<GatewayCode>","message":"<text>"}} with the error's HTTP status. One
// rendering of core::Error for every JSON endpoint (docs/errors.md).
#pragma once

#include <boost/json/value.hpp>
#include <string>

#include "core/error.h"
#include "http/endpoint.h"
#include "http/message.h"

namespace causeway::services {

// An error of the control plane: message class CAUSEWAY/CONTROL (docs/errors.md).
core::Error ControlError(core::Code code, const char* number, std::string text);

http::Response ProblemJson(const core::Error& e);
// How a JSON surface answers what the house renders for it: errors as ProblemJson, and the
// logon challenge (401, with the gate's www-authenticate and cookie) with a JSON body instead of
// ICF's HTML page, so that a script reading every answer as JSON can read this one too.
http::ErrorRenderer ProblemJsonErrors();
http::Response JsonResponse(int status, const boost::json::value& v);

}  // namespace causeway::services
