#include "services/business_agreement/message_monitor_routes.h"

#include <boost/json.hpp>

#include <charconv>
#include <map>

#include "core/time_format.h"
#include "core/utf8.h"
#include "services/common/control_methods.h"
#include "services/common/problem_json.h"
#include "services/common/query_params.h"

namespace causeway::services::business_agreement {
namespace json = boost::json;
namespace {

core::Error UnknownMessage(std::string_view id) {
  return ControlError(core::Code::kNotFound, "001", "No message has the ID " + std::string(id));
}

http::Response Json(int status, const json::value& v) { return JsonResponse(status, v); }

// What an operator may do with an entry in its status.
json::array Actions(const soap::MonitorEntry& e) {
  json::array a;
  if (e.synchronous) return a;
  if (e.status == "error") a.insert(a.end(), {"restart", "cancel", "release"});
  if (e.status == "waiting") a.insert(a.end(), {"cancel", "release"});
  if (e.status == "received" && !e.in_process) a.emplace_back("cancel");
  return a;
}

json::object EntryObject(const soap::MonitorEntry& e) {
  json::object o{{"id", e.id},
                 {"kind", e.synchronous ? "sync" : "async"},
                 {"received_at", core::FormatIso8601(e.time)},
                 {"service", e.service},
                 {"operation", core::ValidUtf8(e.operation)},
                 {"user", core::ValidUtf8(e.user)},
                 {"soap_version", e.soap_version},
                 {"status", e.status}};
  if (e.synchronous) {
    o["read_only"] = true;
    o["category"] = e.category;
    o["error_code"] = e.error_code;
    o["detail"] = core::ValidUtf8(e.detail);  // echoes the request
  } else {
    o["message_id"] = core::ValidUtf8(e.message_id);
    o["message_uuid"] = core::ValidUtf8(e.message_uuid);
    o["object_key"] = core::ValidUtf8(e.object_key);
    o["seq"] = e.seq;
    o["attempts"] = e.attempts;
    o["in_process"] = e.in_process;
    if (e.finished_at) o["finished_at"] = core::FormatIso8601(*e.finished_at);
    if (!e.waiting_for.empty()) o["waiting_for"] = e.waiting_for;
  }
  o["actions"] = Actions(e);
  return o;
}

json::array LogArray(const std::vector<soap::StoredLogItem>& log) {
  json::array a;
  for (const soap::StoredLogItem& s : log)
    a.push_back(json::object{{"attempt", s.attempt},
                             {"logged_at", core::FormatIso8601(s.logged_at)},
                             {"type_id", s.item.type_id},
                             {"severity", static_cast<int>(s.item.severity)},
                             {"sender_id", core::ValidUtf8(s.item.sender_id)},
                             {"note", core::ValidUtf8(s.item.note)}});
  return a;
}

http::Response List(const soap::MessageMonitor& monitor, const http::Request& req) {
  auto q = QueryParams::Parse(req.Query(), kControlQueryMessages);
  if (!q.ok()) return ProblemJson(q.error());
  soap::MonitorFilter f;
  auto get = [&](const char* name) { return q->GetOr(name, std::string()); };
  f.kind = get("kind");
  f.service = get("service");
  f.operation = get("operation");
  f.status = get("status");
  f.user = get("user");
  f.object_key = get("object_key");
  f.message_id = get("message_id");
  f.cursor = get("cursor");
  for (const char* name : {"from", "to"}) {
    std::string v = get(name);
    if (v.empty()) continue;
    auto t = core::ParseIso8601(v);
    if (!t) return ProblemJson(ControlError(core::Code::kBadRequest, "010", std::string(name) + " must be an ISO 8601 "
                                                                                               "date-time"));
    (std::string_view(name) == "from" ? f.from : f.to) = *t;
  }
  auto limit = q->PageLimit(f.limit);  // the monitor's page: 50 unless asked
  if (!limit.ok()) return ProblemJson(limit.error());
  f.limit = static_cast<int>(*limit);
  auto page = monitor.List(f);
  if (!page.ok()) return ProblemJson(page.error());
  json::array entries;
  for (const soap::MonitorEntry& e : page->entries) entries.push_back(EntryObject(e));
  return Json(200, json::object{{"messages", std::move(entries)}, {"next_cursor", page->next_cursor}});
}

http::Response Summary(const soap::MessageMonitor& monitor) {
  auto counts = monitor.Counts();
  if (!counts.ok()) return ProblemJson(counts.error());
  json::array a;
  for (const soap::StatusCount& c : *counts)
    a.push_back(json::object{{"service", c.service}, {"kind", c.synchronous ? "sync" : "async"},
                             {"status", c.status}, {"count", c.count}});
  return Json(200, json::object{{"counts", std::move(a)}});
}

http::Response One(soap::MessageStore& messages, const soap::MessageMonitor& monitor, std::string_view id) {
  auto entry = monitor.Find(id);
  if (!entry.ok()) return ProblemJson(entry.error());
  if (!*entry) return ProblemJson(UnknownMessage(id));
  if ((*entry)->synchronous) return Json(200, EntryObject(**entry));
  int64_t number = 0;
  std::from_chars(id.data(), id.data() + id.size(), number);
  auto log = messages.Log(number);
  if (!log.ok()) return ProblemJson(log.error());
  json::object o = EntryObject(**entry);
  o["log"] = LogArray(*log);
  return Json(200, o);
}

// The number of the asynchronous message `id` names. Not a number: a synchronous fault's
// transaction ID (`only_async` then says what such an entry cannot do) or no message at all.
core::Result<int64_t> AsyncNumber(const soap::MessageMonitor& monitor, std::string_view id, const char* only_async) {
  int64_t number = 0;
  auto [p, ec] = std::from_chars(id.data(), id.data() + id.size(), number);
  if (ec == std::errc() && p == id.data() + id.size()) return number;
  auto entry = monitor.Find(id);
  if (!entry.ok()) return entry.error();
  if (!*entry) return UnknownMessage(id);
  return ControlError(core::Code::kNotFound, "001", only_async);
}

http::Response Payload(soap::MessageStore& messages, const soap::MessageMonitor& monitor, std::string_view id) {
  auto number = AsyncNumber(monitor, id, "Only asynchronous messages have a stored payload");
  if (!number.ok()) return ProblemJson(number.error());
  auto m = messages.Find(*number, true);
  if (!m.ok()) return ProblemJson(m.error());
  if (!*m) return ProblemJson(UnknownMessage(id));
  return http::Response(200, "text/xml; charset=utf-8", (*m)->payload);
}

http::Response Act(soap::MessageStore& messages, const soap::MessageMonitor& monitor, const http::Request& req,
                   std::string_view id, std::string_view action, const std::function<void()>& after) {
  auto number = AsyncNumber(monitor, id, "Only asynchronous messages can be restarted, cancelled or released");
  if (!number.ok()) return ProblemJson(number.error());
  core::Result<soap::StoredMessage> r = action == "restart"  ? messages.Restart(*number, req.user)
                                        : action == "cancel" ? messages.Cancel(*number, req.user)
                                                             : messages.Release(*number, req.user);
  if (!r.ok()) return ProblemJson(r.error());
  if (after) after();
  return One(messages, monitor, std::to_string(r->id));
}

}  // namespace

std::string MonitorEntryJson(const soap::MonitorEntry& e, const std::vector<soap::StoredLogItem>* log) {
  json::object o = EntryObject(e);
  if (log) o["log"] = LogArray(*log);
  return json::serialize(o);
}

http::Endpoint MessageMonitorEndpoint(soap::MessageStore& messages, const soap::MessageMonitor& monitor,
                                      std::function<void()> after_action) {
  return {.key = kMonitorPath,
          .guard = {.service = "CAUSEWAY_CONTROL", .authenticate = true, .csrf = false},
          .handle =
              [&messages, &monitor, after = std::move(after_action)](http::Request& req, const http::RouteMatch& m) {
                std::string_view rest = m.rest;
                if (!rest.empty() && rest[0] != '/')
                  return ProblemJson(ControlError(core::Code::kNotFound, "001", "Unknown control resource"));
                if (!rest.empty()) rest.remove_prefix(1);
                if (rest.empty() || rest == "summary") {
                  if (ControlMethod(req) != "GET") return MethodNotAllowed({"GET"});
                  return rest.empty() ? List(monitor, req) : Summary(monitor);
                }
                size_t slash = rest.find('/');
                std::string_view id = rest.substr(0, slash);
                std::string_view sub = slash == std::string_view::npos ? std::string_view() : rest.substr(slash + 1);
                if (sub.empty() || sub == "payload") {
                  if (ControlMethod(req) != "GET") return MethodNotAllowed({"GET"});
                  return sub.empty() ? One(messages, monitor, id) : Payload(messages, monitor, id);
                }
                if (sub == "restart" || sub == "cancel" || sub == "release") {
                  if (req.method != "POST") return MethodNotAllowed({"POST"});
                  return Act(messages, monitor, req, id, sub, after);
                }
                return ProblemJson(ControlError(core::Code::kNotFound, "001", "Unknown control resource"));
              },
          .render = ProblemJsonErrors(),
          .may_block = [](const http::Request&) { return true; }};
}

}  // namespace causeway::services::business_agreement
