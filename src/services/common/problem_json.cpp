#include "services/common/problem_json.h"

#include <boost/json.hpp>

namespace causeway::services {

http::Response JsonResponse(int status, const boost::json::value& v) {
  return http::Response(status, "application/json; charset=utf-8", boost::json::serialize(v));
}

http::Response ProblemJson(const core::Error& e) {
  return JsonResponse(e.HttpStatus(), {{"error", {{"code", e.GatewayCode()}, {"message", e.text}}}});
}

}  // namespace causeway::services
