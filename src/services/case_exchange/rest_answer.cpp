#include "services/case_exchange/rest_answer.h"

#include <array>

#include "core/time_format.h"
#include "core/utf8.h"
#include "services/common/unit_of_work_answer.h"

namespace causeway::services::case_exchange {
namespace json = boost::json;

http::Response JsonAnswer(int status, const json::value& v) { return JsonTextAnswer(status, json::serialize(v)); }

http::Response JsonTextAnswer(int status, std::string body) {
  return http::Response(status, "application/json; charset=utf-8", std::move(body));
}

json::object ErrorDetails(const core::Error& e) {
  return {{"httpStatus", e.HttpStatus()}, {"message", core::ValidUtf8(e.text)}, {"code", e.GatewayCode()}};
}

http::Response RestError(const core::Error& e) {
  return JsonAnswer(e.HttpStatus(), json::object{{"entities", json::array()},
                                                 {"meta", {{"completion_status", "FAILED"}, {"errorDetails", ErrorDetails(e)}}}});
}

std::string HttpDate(int64_t ms) {
  static constexpr std::array<const char*, 7> kDays = {"Thu", "Fri", "Sat", "Sun", "Mon", "Tue", "Wed"};
  static constexpr std::array<const char*, 12> kMonths = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                                          "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  int64_t secs = ms >= 0 ? ms / 1000 : (ms - 999) / 1000;
  int64_t days = secs >= 0 ? secs / 86400 : (secs - 86399) / 86400;
  int64_t rem = secs - days * 86400;
  int64_t y = 0;
  unsigned m = 0, d = 0;
  core::CivilFromDays(days, &y, &m, &d);
  char buf[40];
  std::snprintf(buf, sizeof buf, "%s, %02u %s %04lld %02lld:%02lld:%02lld GMT", kDays[((days % 7) + 7) % 7], d,
                kMonths[m - 1], static_cast<long long>(y), static_cast<long long>(rem / 3600),
                static_cast<long long>(rem / 60 % 60), static_cast<long long>(rem % 60));
  return buf;
}

http::Response AnswerWhenDurable(store::Database& db, const std::function<http::Response()>& handle) {
  return AnswerAfterCommit(db, handle, {.commit_refusals = true, .on_failure = RestError});
}

}  // namespace causeway::services::case_exchange

namespace causeway::services::case_exchange {

json::object EntityResult(std::string_view entity_type, json::object properties, const core::Status& status) {
  json::object r;
  r["entity"] = json::object{{"entity_type", entity_type}, {"properties", std::move(properties)}};
  r["completion_status"] = status.ok() ? "OK" : "FAILED";
  if (!status.ok()) r["errorDetails"] = ErrorDetails(status.error());
  return r;
}

json::object ResultMeta(const std::vector<core::Status>& statuses) {
  for (const auto& s : statuses)
    if (!s.ok()) return {{"completion_status", "FAILED"}, {"errorDetails", ErrorDetails(s.error())}};
  return {{"completion_status", "OK"}};
}

}  // namespace causeway::services::case_exchange
