// How the tenant's REST surfaces answer: JSON bodies, the error body every failure of a whole
// request uses, the HTTP Date header, and answering a modifying request only once what it
// staged is durable.
//
// Error body (B.3.3's errorDetails, with this project's message code added):
//   {"entities":[],"meta":{"completion_status":"FAILED",
//                          "errorDetails":{"httpStatus":404,"message":"…","code":"CAUSEWAY/CX/002"}}}
#pragma once

#include <boost/json.hpp>

#include <functional>
#include <string_view>
#include <vector>

#include "core/error.h"
#include "http/message.h"
#include "store/database.h"

namespace causeway::services::case_exchange {

http::Response JsonAnswer(int status, const boost::json::value& v);
// The same for a body already written as JSON text.
http::Response JsonTextAnswer(int status, std::string body);
boost::json::object ErrorDetails(const core::Error& e);
http::Response RestError(const core::Error& e);
// IMF-fixdate of the second `ms` falls in ("Wed, 01 May 2024 08:00:00 GMT").
std::string HttpDate(int64_t ms);
// services::AnswerAfterCommit, committing what `handle` staged whatever the answer's status (a
// refused incoming operation is still logged), RestError(the commit's failure) if it fails.
http::Response AnswerWhenDurable(store::Database& db, const std::function<http::Response()>& handle);

}  // namespace causeway::services::case_exchange

namespace causeway::services::case_exchange {

// One entry of a per-entity result list (ems/bulk's entity_result_list, POST /ces's entities):
// {"entity":{"entity_type":…,"properties":{…}},"completion_status":"OK"} or, failed, with
// "completion_status":"FAILED" and "errorDetails".
boost::json::object EntityResult(std::string_view entity_type, boost::json::object properties, const core::Status& status);
// {"completion_status":"OK"} when every status is OK, else "FAILED" with the first failure's
// errorDetails.
boost::json::object ResultMeta(const std::vector<core::Status>& statuses);

}  // namespace causeway::services::case_exchange
