#include "services/common/problem_json.h"

#include <boost/json.hpp>

#include "core/utf8.h"

namespace causeway::services {

core::Error ControlError(core::Code code, const char* number, std::string text) {
  return core::MakeError(code, "CAUSEWAY/CONTROL", number, std::move(text));
}

http::Response JsonResponse(int status, const boost::json::value& v) {
  return http::Response(status, "application/json; charset=utf-8", boost::json::serialize(v));
}

http::Response ProblemJson(const core::Error& e) {
  // The text may echo what a client sent: Boost.JSON writes strings byte for byte.
  return JsonResponse(e.HttpStatus(), {{"error", {{"code", e.GatewayCode()}, {"message", core::ValidUtf8(e.text)}}}});
}

http::ErrorRenderer ProblemJsonErrors() {
  return {.error = [](const http::Request&, const core::Error& e) { return ProblemJson(e); },
          .challenge =
              [](const http::Request&, http::Response& r) {
                http::Response json =
                    ProblemJson(core::MakeError(core::Code::kUnauthorized, "CAUSEWAY/HTTP", "401",
                                                "Logon failed: give the user and password (HTTP Basic) of a user with "
                                                "the control plane's arrangement"));
                r.headers.Set("content-type", "application/json; charset=utf-8");
                r.body = std::move(json.body);
              }};
}

}  // namespace causeway::services
