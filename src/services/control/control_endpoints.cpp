#include "services/control/control_endpoints.h"

#include <boost/json.hpp>

#include <chrono>

#include "odata/uri_parser.h"
#include "services/control/template_json.h"

namespace causeway::services::control {
namespace {

const auto kStarted = std::chrono::steady_clock::now();

http::Response Json(int status, const boost::json::value& v) {
  return http::Response(status, "application/json; charset=utf-8", boost::json::serialize(v));
}

http::Response JsonError(const core::Error& e) {
  return Json(e.HttpStatus(), {{"error", {{"code", e.GatewayCode()}, {"message", e.text}}}});
}

http::Response Health(const ControlDeps& d) {
  std::string store = d.db ? d.db->Health() : "none";
  auto uptime = std::chrono::duration_cast<std::chrono::seconds>(std::chrono::steady_clock::now() - kStarted).count();
  bool ok = store == "ok";
  return Json(ok ? 200 : 503, {{"status", ok ? "ok" : "degraded"},
                               {"version", d.version},
                               {"store", {{"kind", d.db ? d.db->Kind() : "none"}, {"state", store}}},
                               {"uptime_s", uptime}});
}

http::Response Users(const ControlDeps& d, http::Request& req) {
  // /_causeway/users  or  /_causeway/users/<NAME>/(unlock|lock)
  std::string_view path = req.Path().substr(std::string_view("/_causeway/users").size());
  if (path.empty() || path == "/") {
    if (req.method != "GET") return JsonError(core::MakeError(core::Code::kMethodNotAllowed, "CAUSEWAY/CONTROL", "002", "Use GET"));
    boost::json::array arr;
    for (const auto& u : d.users->List())
      arr.push_back({{"name", u.name},
                     {"kind", u.kind == security::UserKind::kBusiness ? "business" : "communication"},
                     {"locked", u.locked},
                     {"scenarios", boost::json::value_from(u.scenarios)}});
    return Json(200, {{"users", arr}});
  }
  path.remove_prefix(1);
  size_t slash = path.find('/');
  if (slash == std::string_view::npos)
    return JsonError(core::MakeError(core::Code::kNotFound, "CAUSEWAY/CONTROL", "001", "Unknown control resource"));
  std::string name(path.substr(0, slash));
  std::string_view action = path.substr(slash + 1);
  if (req.method != "POST")
    return JsonError(core::MakeError(core::Code::kMethodNotAllowed, "CAUSEWAY/CONTROL", "002", "Use POST"));
  core::Status st;
  if (action == "unlock") st = d.users->Unlock(name);
  else if (action == "lock") st = d.users->Lock(name);
  else return JsonError(core::MakeError(core::Code::kNotFound, "CAUSEWAY/CONTROL", "001", "Unknown control resource"));
  if (!st.ok()) return JsonError(st.error());
  if (d.guard) d.guard->ClearCredentialCache();
  auto u = d.users->Find(name);
  return Json(200, {{"name", u->name}, {"locked", u->locked}});
}

core::Error NotFound(std::string text) {
  return core::MakeError(core::Code::kNotFound, "CAUSEWAY/CONTROL", "001", std::move(text));
}

// /_causeway/templates            GET: all templates
// /_causeway/templates/<name>     GET one, PUT (create or replace), DELETE
http::Response Templates(const ControlDeps& d, http::Request& req) {
  if (!d.jobs) return JsonError(NotFound("Unknown control resource"));
  std::string_view path = req.Path().substr(std::string_view("/_causeway/templates").size());
  if (path.empty() || path == "/") {
    if (req.method != "GET") return JsonError(core::MakeError(core::Code::kMethodNotAllowed, "CAUSEWAY/CONTROL", "002", "Use GET"));
    boost::json::array arr;
    for (const auto& t : d.jobs->Templates()) arr.push_back(TemplateToJson(t));
    return Json(200, {{"templates", arr}});
  }
  if (path[0] != '/') return JsonError(NotFound("Unknown control resource"));
  std::string name;
  // "/IBP/LOG_DELETION" travels as %2FIBP%2F…; '+' stays '+' as in any path.
  if (!odata::DecodeComponent(path.substr(1), /*plus_is_space=*/false, &name) || name.empty())
    return JsonError(core::MakeError(core::Code::kBadRequest, "CAUSEWAY/CONTROL", "010", "Malformed template name in the URL"));
  if (req.method == "GET") {
    auto t = d.jobs->FindTemplate(name);
    if (!t.ok()) return JsonError(NotFound("Job template " + name + " does not exist"));
    return Json(200, TemplateToJson(*t));
  }
  if (req.method == "PUT") {
    auto t = TemplateFromJson(req.body, name, d.allow_command_templates);
    if (!t.ok()) return JsonError(t.error());
    auto stored = d.jobs->UpsertTemplate(std::move(t).value(), req.user);
    if (!stored.ok()) return JsonError(stored.error());
    return Json(stored->created ? 201 : 200, TemplateToJson(stored->stored));
  }
  if (req.method == "DELETE") {
    core::Status st = d.jobs->DeleteTemplate(name);
    if (!st.ok()) return JsonError(st.error().code == core::Code::kBadRequest ? NotFound("Job template " + name + " does not exist")
                                                                              : st.error());
    http::Response r;
    r.status = 204;
    return r;
  }
  return JsonError(core::MakeError(core::Code::kMethodNotAllowed, "CAUSEWAY/CONTROL", "002", "Use GET, PUT or DELETE"));
}

}  // namespace

void RegisterControlEndpoints(http::Router& router, const ControlDeps& deps) {
  router.AddPrefix({"/_causeway/health", {kControlService, /*authenticate=*/false, /*csrf=*/false},
                    [&deps](http::Request&) { return Health(deps); }, /*blocking=*/false});
  router.AddPrefix({"/_causeway/", {kControlService, true, false},
                    [&deps](http::Request& req) {
                      std::string_view p = req.Path();
                      if (p == "/_causeway/metrics") {
                        std::string extra = deps.extra_metrics ? deps.extra_metrics() : std::string();
                        return http::Response(200, "text/plain; version=0.0.4; charset=utf-8",
                                              deps.metrics->Render(deps.server_stats ? deps.server_stats() : nullptr, extra));
                      }
                      if (p.substr(0, 16) == "/_causeway/users") return Users(deps, req);
                      if (p.substr(0, 20) == "/_causeway/templates") return Templates(deps, req);
                      return JsonError(core::MakeError(core::Code::kNotFound, "CAUSEWAY/CONTROL", "001",
                                                       "Unknown control resource"));
                    },
                    /*blocking=*/true});
}

}  // namespace causeway::services::control
