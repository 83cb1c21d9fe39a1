#include "services/outbox/outbox_module.h"

#include <boost/json.hpp>

#include "core/url.h"
#include "exchange/curl_http_client.h"
#include "exchange/outbox.h"
#include "exchange/outbox_admin.h"
#include "exchange/outbox_config.h"
#include "services/common/control_methods.h"
#include "services/common/problem_json.h"
#include "services/common/query_params.h"

namespace causeway::services::outbox {
namespace {

constexpr char kControlService[] = "CAUSEWAY_CONTROL";

http::Response Json(int status, const boost::json::value& v) { return JsonResponse(status, v); }

http::Response Answer(const core::Result<boost::json::value>& r) {
  if (!r.ok()) return ProblemJson(r.error());
  return Json(200, *r);
}

core::Error NotFound() {
  return ControlError(core::Code::kNotFound, "001", "Unknown control resource");
}

class OutboxModule final : public Module {
 public:
  std::string_view Name() const override { return "outbox"; }

  std::vector<std::string> ConfigSections() const override { return {"outbox"}; }

  core::Status Configure(const toml::table& root, bool) override {
    if (const toml::table* t = root["outbox"].as_table()) section_ = *t;
    // Checked now, so that a bad file fails before anything starts (paths resolve at Start).
    return exchange::ParseOutboxConfig(section_).ok() ? core::Status::Ok()
                                                      : exchange::ParseOutboxConfig(section_).error();
  }

  std::vector<store::Migration> Migrations() const override { return exchange::OutboxMigrations(); }

  core::Status Start(ModuleContext& ctx) override {
    CW_ASSIGN_OR_RETURN(exchange::OutboxOptions options, exchange::ParseOutboxConfig(section_, ctx.config_dir));
    options.kinds = ctx.message_kinds;
    if (!section_.contains("node_id")) options.node_id = ctx.node_id;
    options.deliver_at_open = false;  // AllStarted: once every module has set its destinations
    http_ = std::make_unique<exchange::CurlHttpClient>();
    CW_ASSIGN_OR_RETURN(outbox_, exchange::Outbox::Open(ctx.db, ctx.clock, *http_, std::move(options)));
    ctx.outbox = outbox_.get();
    return core::Status::Ok();
  }

  core::Status AllStarted(ModuleContext&) override {
    outbox_->StartDelivery();
    return core::Status::Ok();
  }

  std::vector<http::Endpoint> Endpoints() override {
    return {{.key = "/_causeway/outbox/",
             .guard = {.service = kControlService, .authenticate = true, .csrf = false},
             .handle = [this](http::Request& req, const http::RouteMatch& m) { return Route(req, m.rest); },
             .render = ProblemJsonErrors(),
             .may_block = [](const http::Request&) { return true; }}};
  }

  std::string MetricsText() const override {
    auto text = exchange::admin::MetricsText(*outbox_);
    return text.ok() ? *text : std::string();
  }

  void Stop() override {
    if (outbox_) outbox_->Stop();
    outbox_.reset();
    http_.reset();
  }

 private:
  //   GET  messages?destination=&key=&state=&after=&limit=     GET messages/{id}
  //   POST messages/{id}/retry | skip                          GET destinations
  //   POST destinations/{name}/pause | resume
  http::Response Route(http::Request& req, std::string_view rest) {
    auto split = [](std::string_view s) {
      std::vector<std::string_view> parts;
      while (!s.empty()) {
        size_t slash = s.find('/');
        parts.push_back(s.substr(0, slash));
        s = slash == std::string_view::npos ? std::string_view() : s.substr(slash + 1);
      }
      return parts;
    };
    const auto parts = split(rest);
    if (parts.empty()) return ProblemJson(NotFound());
    if (parts[0] == "messages") {
      if (parts.size() == 1) {
        if (ControlMethod(req) != "GET") return MethodNotAllowed({"GET"});
        auto query = QueryParams::Parse(req.Query(), kControlQueryMessages);
        if (!query.ok()) return ProblemJson(query.error());
        // Paging as on every control-plane list; the outbox refuses the names it does not know.
        auto after = query->PageAfter();
        if (!after.ok()) return ProblemJson(after.error());
        auto limit = query->PageLimit();
        if (!limit.ok()) return ProblemJson(limit.error());
        auto filter = exchange::admin::ParseListQuery(query->values());
        if (!filter.ok()) return ProblemJson(filter.error());
        filter->after = *after;
        filter->limit = static_cast<int>(*limit);
        return Answer(exchange::admin::ListMessages(*outbox_, *filter));
      }
      auto id = exchange::admin::ParseMessageId(parts[1]);
      if (!id.ok()) return ProblemJson(id.error());
      if (parts.size() == 2) {
        if (ControlMethod(req) != "GET") return MethodNotAllowed({"GET"});
        return Answer(exchange::admin::ShowMessage(*outbox_, *id));
      }
      if (parts.size() == 3 && (parts[2] == "retry" || parts[2] == "skip")) {
        if (req.method != "POST") return MethodNotAllowed({"POST"});
        return Answer(parts[2] == "retry" ? exchange::admin::RetryMessage(*outbox_, *id)
                                          : exchange::admin::SkipMessage(*outbox_, *id));
      }
      return ProblemJson(NotFound());
    }
    if (parts[0] == "destinations") {
      if (parts.size() == 1) {
        if (ControlMethod(req) != "GET") return MethodNotAllowed({"GET"});
        return Answer(exchange::admin::ListDestinations(*outbox_));
      }
      if (parts.size() == 3 && (parts[2] == "pause" || parts[2] == "resume")) {
        if (req.method != "POST") return MethodNotAllowed({"POST"});
        std::string name;
        if (!core::PercentDecode(parts[1], false, &name)) return ProblemJson(NotFound());
        return Answer(parts[2] == "pause" ? exchange::admin::PauseDestination(*outbox_, name)
                                          : exchange::admin::ResumeDestination(*outbox_, name));
      }
    }
    return ProblemJson(NotFound());
  }

  toml::table section_;
  std::unique_ptr<exchange::CurlHttpClient> http_;
  std::unique_ptr<exchange::Outbox> outbox_;
};

}  // namespace

std::unique_ptr<Module> MakeOutboxModule() { return std::make_unique<OutboxModule>(); }

}  // namespace causeway::services::outbox
