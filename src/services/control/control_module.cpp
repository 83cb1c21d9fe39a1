#include "services/control/control_module.h"

#include <boost/json.hpp>

#include "core/url.h"
#include "security/password_hash.h"
#include "services/common/control_methods.h"
#include "services/common/problem_json.h"

namespace causeway::services::control {
namespace {

class ControlModule final : public Module {
 public:
  explicit ControlModule(const ControlDeps& deps) : deps_(deps) {}

  std::string_view Name() const override { return "control"; }
  core::Status Configure(const toml::table&, bool) override { return core::Status::Ok(); }
  security::ScenarioCatalog Scenarios() const override { return {{kControlService, {kControlService}}}; }
  std::vector<DemoUser> DemoUsers() const override {
    return {{{.name = "CAUSEWAY_ADMIN", .kind = security::UserKind::kCommunication,
              .password_hash = security::HashPassword("Admin1!", 10000), .scenarios = {kControlService},
              .full_name = "control plane (/_causeway/)"},
             "Admin1!", "control plane (/_causeway/)"}};
  }

  core::Status Start(ModuleContext& ctx) override {
    ctx_ = &ctx;
    started_ = ctx.clock.Now();
    return core::Status::Ok();
  }

  std::vector<http::Endpoint> Endpoints() override {
    std::vector<http::Endpoint> out;
    // Public, so that load balancers and the test harness can probe it.
    out.push_back(
        {.key = "/_causeway/health",
         .guard = {.service = kControlService, .authenticate = false, .csrf = false},
         .handle = [this](http::Request&,
                          const http::RouteMatch& m) { return m.rest.empty() ? Health() : ProblemJson(NotFound()); },
         .render = ProblemJsonErrors(),
         .methods = {"GET", "HEAD"},
         .may_block = [](const http::Request&) { return false; }});
    out.push_back({.key = "/_causeway/metrics",
                   .guard = {.service = kControlService, .authenticate = true, .csrf = false},
                   .handle =
                       [this](http::Request&, const http::RouteMatch& m) {
                         if (!m.rest.empty()) return ProblemJson(NotFound());
                         return http::Response(
                             200, "text/plain; version=0.0.4; charset=utf-8",
                             deps_.metrics->Render(deps_.server_stats ? deps_.server_stats() : nullptr,
                                                   deps_.module_metrics ? deps_.module_metrics() : ""));
                       },
                   .render = ProblemJsonErrors(),
                   .methods = {"GET", "HEAD"},
                   .may_block = [](const http::Request&) { return true; }});
    out.push_back({.key = "/_causeway/users",
                   .guard = {.service = kControlService, .authenticate = true, .csrf = false},
                   .handle = [this](http::Request& req, const http::RouteMatch& m) { return Users(req, m.rest); },
                   .render = ProblemJsonErrors(),
                   .may_block = [](const http::Request&) { return true; }});
    // Whatever else is under /_causeway/ and no module serves.
    out.push_back({.key = "/_causeway/",
                   .guard = {.service = kControlService, .authenticate = true, .csrf = false},
                   .handle = [](http::Request&, const http::RouteMatch&) { return ProblemJson(NotFound()); },
                   .render = ProblemJsonErrors(),
                   .may_block = [](const http::Request&) { return false; }});
    return out;
  }

 private:
  static core::Error NotFound() { return ControlError(core::Code::kNotFound, "001", "Unknown control resource"); }

  http::Response Health() const {
    std::string store = ctx_->db.Health();
    auto uptime = std::chrono::duration_cast<std::chrono::seconds>(ctx_->clock.Now() - started_).count();
    bool ok = store == "ok";
    return JsonResponse(ok ? 200 : 503, {{"status", ok ? "ok" : "degraded"},
                                         {"version", deps_.version},
                                         {"store", {{"kind", ctx_->db.Kind()}, {"state", store}}},
                                         {"uptime_s", uptime}});
  }

  // /_causeway/users  or  /_causeway/users/<NAME>/(unlock|lock)
  http::Response Users(http::Request& req, std::string_view rest) {
    auto& users = ctx_->users;
    if (rest.empty() || rest == "/") {
      if (ControlMethod(req) != "GET") return MethodNotAllowed({"GET"});
      boost::json::array arr;
      for (const auto& u : users.List())
        arr.push_back({{"name", u.name},
                       {"kind", u.kind == security::UserKind::kBusiness ? "business" : "communication"},
                       {"locked", u.locked},
                       {"scenarios", boost::json::value_from(u.scenarios)}});
      return JsonResponse(200, {{"users", arr}});
    }
    if (rest[0] != '/') return ProblemJson(NotFound());
    rest.remove_prefix(1);
    size_t slash = rest.find('/');
    if (slash == std::string_view::npos) return ProblemJson(NotFound());
    std::string name;  // percent-encoded in the path, as the `user` tool sends it
    if (!core::PercentDecode(rest.substr(0, slash), false, &name)) return ProblemJson(NotFound());
    std::string_view action = rest.substr(slash + 1);
    if (action != "unlock" && action != "lock") return ProblemJson(NotFound());
    if (req.method != "POST") return MethodNotAllowed({"POST"});
    core::Status st = action == "unlock" ? users.Unlock(name) : users.Lock(name);
    if (!st.ok()) return ProblemJson(st.error());
    if (deps_.guard) deps_.guard->ClearCredentialCache();
    auto u = users.Find(name);
    return JsonResponse(200, {{"name", u->name}, {"locked", u->locked}});
  }

  const ControlDeps& deps_;
  ModuleContext* ctx_ = nullptr;
  core::SystemTime started_{};
};

}  // namespace

std::unique_ptr<Module> MakeControlModule(const ControlDeps& deps) { return std::make_unique<ControlModule>(deps); }

}  // namespace causeway::services::control
