#include "services/task_activity/control_routes.h"

#include <boost/json.hpp>

#include "core/time_format.h"
#include "core/utf8.h"
#include "domain/activities/task_repository.h"
#include "services/common/control_methods.h"
#include "services/common/problem_json.h"
#include "services/common/query_params.h"
#include "services/task_activity/partner_json.h"

namespace causeway::services::task_activity {
namespace json = boost::json;
namespace {

constexpr std::string_view kRoot = "/_causeway/task-activity/";

http::Response Json(int status, std::string body) {
  return http::Response(status, "application/json; charset=utf-8", std::move(body));
}

http::Response JsonError(const core::Error& e) { return ProblemJson(e); }

http::Response Tasks(activities::TaskActivities& acts, const http::Request& req, std::string_view rest) {
  if (ControlMethod(req) != "GET") return MethodNotAllowed({"GET"});
  if (rest.empty()) {
    auto query = QueryParams::Parse(req.Query(), kControlQueryMessages);
    if (!query.ok()) return JsonError(query.error());
    auto after = query->PageAfter();
    if (!after.ok()) return JsonError(after.error());
    auto limit = query->PageLimit();
    if (!limit.ok()) return JsonError(limit.error());
    auto list = acts.ListTasks(*after, static_cast<size_t>(*limit));
    if (!list.ok()) return JsonError(list.error());
    std::string body = "{\"tasks\":[";
    for (size_t i = 0; i < list->size(); ++i) body += (i ? "," : "") + activities::EncodeTask((*list)[i]);
    return Json(200, body + "]}");
  }
  auto t = acts.FindTask(rest);
  if (!t.ok()) return JsonError(t.error());
  if (!t->has_value())
    return JsonError(ControlError(core::Code::kNotFound, "001", "Activity task " + std::string(rest) + " does not exist"));
  return Json(200, activities::EncodeTask(**t));
}

http::Response Errors(const soap::ErrorLog& log, const http::Request& req, std::string_view rest) {
  if (ControlMethod(req) != "GET") return MethodNotAllowed({"GET"});
  if (rest.empty()) {
    auto query = QueryParams::Parse(req.Query(), kControlQueryMessages);
    if (!query.ok()) return JsonError(query.error());
    auto limit = query->PageLimit();
    if (!limit.ok()) return JsonError(limit.error());
    auto list = log.Recent(static_cast<size_t>(*limit));
    if (!list.ok()) return JsonError(list.error());
    std::string body = "{\"errors\":[";
    for (size_t i = 0; i < list->size(); ++i) body += (i ? "," : "") + ErrorLogEntryJson((*list)[i]);
    return Json(200, body + "]}");
  }
  auto e = log.Find(rest);
  if (!e.ok()) return JsonError(e.error());
  if (!e->has_value())
    return JsonError(ControlError(core::Code::kNotFound, "001", "No error log entry has transaction ID " + std::string(rest)));
  return Json(200, ErrorLogEntryJson(**e));
}

}  // namespace

std::string ErrorLogEntryJson(const soap::ErrorLogEntry& e) {
  return json::serialize(json::object{{"transaction_id", e.transaction_id},
                                      {"timestamp", core::FormatSapTimestampShort(e.logged_at)},
                                      {"logged_at", core::FormatIso8601(e.logged_at)},
                                      {"service", e.service},
                                      {"operation", core::ValidUtf8(e.operation)},
                                      {"user", core::ValidUtf8(e.user)},
                                      {"soap_version", e.soap_version},
                                      {"category", e.category},
                                      {"error_code", e.error_code},
                                      {"detail", core::ValidUtf8(e.detail)}});  // echoes the request
}

http::Endpoint ControlEndpoint(activities::TaskActivities& acts, const soap::ErrorLog& errors) {
  return {.key = std::string(kRoot),
          .guard = {.service = "CAUSEWAY_CONTROL", .authenticate = true, .csrf = false},
          .handle =
              [&acts, &errors](http::Request& req, const http::RouteMatch& m) {
                auto part = [&](std::string_view name) { return ControlSubresource(m.rest, name); };
                if (auto r = part("tasks")) return Tasks(acts, req, *r);
                if (auto r = part("partners"))
                  return PartnersResource({[&] { return acts.ListPartners(); },
                                           [&](const activities::Partner& p) { return acts.UpsertPartner(p); }},
                                          req, *r);
                if (auto r = part("errors")) return Errors(errors, req, *r);
                return JsonError(ControlError(core::Code::kNotFound, "001", "Unknown control resource"));
              },
          .render = ProblemJsonErrors(),
          .may_block = [](const http::Request&) { return true; }};
}

}  // namespace causeway::services::task_activity
