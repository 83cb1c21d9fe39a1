#include "services/ext_integration/ext_integration_module.h"

#include <spdlog/spdlog.h>

#include <boost/json.hpp>

#include "core/random.h"
#include "domain/workitems/demo_data.h"
#include "domain/workitems/object_repository.h"
#include "domain/workitems/workitems_errors.h"
#include "security/password_hash.h"
#include "services/common/odata_endpoint.h"
#include "services/common/problem_json.h"
#include "services/ext_integration/control_routes.h"
#include "services/ext_integration/customizing_codec.h"
#include "services/ext_integration/document_endpoint.h"
#include "services/ext_integration/fb_runtime.h"
#include "services/ext_integration/payload_builder.h"
#include "services/ext_integration/push_kinds.h"
#include "services/ext_integration/status_service.h"

namespace causeway::services::ext_integration {
namespace {

constexpr char kControlService[] = "CAUSEWAY_CONTROL";
constexpr char kLinkKeySetting[] = "document_link_key";

class ExtIntegrationModule final : public Module {
 public:
  std::string_view Name() const override { return "fb"; }

  std::vector<std::string> ConfigSections() const override { return {"ext_integration"}; }

  core::Status Configure(const toml::table& root, bool demo) override {
    CW_ASSIGN_OR_RETURN(runtime_.options, ParseFbOptions(root));
    runtime_.options.demo = runtime_.options.demo || demo;
    return core::Status::Ok();
  }

  security::ScenarioCatalog Scenarios() const override { return {{kScenario, {kServiceName}}}; }

  std::vector<DemoUser> DemoUsers() const override {
    std::string role = std::string("communication user, ") + kScenario + " (EXT_INTEGRATION_SRV)";
    return {{{.name = "FB_CONNECTOR", .kind = security::UserKind::kCommunication,
              .password_hash = security::HashPassword("Welcome1!", 10000), .scenarios = {kScenario},
              .full_name = role},
             "Welcome1!", role}};
  }

  void AddMessageKinds(exchange::KindRegistry& kinds) const override {
    for (auto& [name, kind] : PushKinds(send_context_)) kinds[name] = kind;
  }

  std::vector<store::Migration> Migrations() const override { return workitems::WorkItemMigrations(); }

  core::Status Start(ModuleContext& ctx) override {
    FbRuntime& rt = runtime_;
    rt.db = &ctx.db;
    rt.clock = &ctx.clock;
    rt.outbox = ctx.outbox;
    rt.users = &ctx.users;
    rt.public_host = ctx.public_host;
    rt.builder = std::make_unique<JsonPayloadBuilder>();
    rt.items = std::make_unique<workitems::WorkItems>(
        ctx.db, ctx.clock, ctx.outbox, *rt.builder,
        workitems::WorkItemsOptions{.max_document_bytes = rt.options.max_document_bytes,
                                    .sap_client = rt.options.sap_client,
                                    .system_guid = rt.options.system_guid});
    CW_RETURN_IF_ERROR(rt.items->Open());
    CW_ASSIGN_OR_RETURN(std::string key, rt.items->SharedSetting(kLinkKeySetting, [] { return core::RandomHexUpper(32); }));
    rt.links = std::make_shared<const DocumentLinks>(key, rt.options.link_validity, rt.options.system_id);
    send_context_->Set(rt.links, &ctx.clock);

    CW_RETURN_IF_ERROR(LoadCustomizing());
    if (rt.options.demo) CW_RETURN_IF_ERROR(workitems::SeedDemoObjects(*rt.items));

    auto service = std::make_shared<StatusService>(*rt.items, ctx.db, rt.options.gateway_hub_detail);
    CW_ASSIGN_OR_RETURN(std::unique_ptr<odata::Engine> engine, odata::Engine::Create(service, {.clock = &ctx.clock}));
    odata_ = std::shared_ptr<const odata::Engine>(std::move(engine));
    return core::Status::Ok();
  }

  std::vector<http::Endpoint> Endpoints() override {
    std::vector<http::Endpoint> out;
    // A status update stages its checks and writes in the request's unit (they run in the
    // commit): answered from the I/O thread once durable.
    http::Endpoint odata = ODataEndpoint({.engine = odata_,
                                          .db = runtime_.db,
                                          .public_host = runtime_.public_host,
                                          .inline_writes = [](const http::Request&) { return true; }});
    // Errors raised in the commit (the status checks run there) get the service's shape too.
    odata.render.error = [engine = odata_, hub = runtime_.options.gateway_hub_detail](const http::Request& req,
                                                                                      const core::Error& e) {
      return engine->ErrorResponse(req, req.Query(), AsServiceError(e, hub));
    };
    out.push_back(std::move(odata));
    for (std::string_view path : {kDocumentsPath, kContentServerPath}) {
      out.push_back({.key = std::string(path),
                     .guard = {.service = kServiceName, .authenticate = false, .csrf = false},
                     .handle = [this](http::Request& req, const http::RouteMatch&) { return ServeDocument(runtime_, req); },
                     .methods = {"GET", "HEAD"},
                     .may_block = [](const http::Request&) { return true; },
                     .label = "SolmanDocuments"});
    }
    out.push_back({.key = "/_causeway/fb/",
                   .guard = {.service = kControlService, .authenticate = true, .csrf = false},
                   .handle = [this](http::Request& req,
                                    const http::RouteMatch& m) { return HandleControl(runtime_, req, m.rest); },
                   .render = ProblemJsonErrors(),
                   .may_block = [](const http::Request&) { return true; }});
    return out;
  }

  std::vector<std::string> ServiceRoots() const override { return {"/sap/opu/odata/SALM/EXT_INTEGRATION_SRV/"}; }

  std::string MetricsText() const override {
    return "# HELP causeway_fb_document_downloads_total Document and attachment downloads served.\n"
           "# TYPE causeway_fb_document_downloads_total counter\n"
           "causeway_fb_document_downloads_total " + std::to_string(runtime_.downloads.load()) + "\n"
           "# HELP causeway_fb_document_downloads_refused_total Document links refused (tampered, expired, unknown).\n"
           "# TYPE causeway_fb_document_downloads_refused_total counter\n"
           "causeway_fb_document_downloads_refused_total " + std::to_string(runtime_.downloads_refused.load()) + "\n";
  }

  void Stop() override {}

  void Refresh() override {
    core::Status st = runtime_.Refresh();
    std::string failure = st.ok() ? std::string() : st.error().text;
    // Once per failure, not once a second: the next success or another failure logs again.
    if (failure != refresh_failure_ && !failure.empty())
      spdlog::warn("focused build: the customizing another node stored is not applied: {}", failure);
    refresh_failure_ = std::move(failure);
  }

 private:
  // The configuration's customizing (written at every start), else the stored one, else the
  // demo's (stored), else none: then nothing can be created until the control plane sets one.
  core::Status LoadCustomizing() {
    FbRuntime& rt = runtime_;
    if (rt.options.customizing) return rt.ApplyCustomizing(*rt.options.customizing, "causeway.toml");
    CW_ASSIGN_OR_RETURN(auto stored, rt.items->StoredCustomizing());
    if (stored) return rt.Refresh();
    if (rt.options.demo) return rt.ApplyCustomizing(workitems::DemoCustomizing(rt.options.demo_tool_url), "demo");
    return core::Status::Ok();
  }

  FbRuntime runtime_;
  std::string refresh_failure_;  // the last Refresh's error text (only the refresh thread calls it)
  std::shared_ptr<SendContext> send_context_ = std::make_shared<SendContext>();
  std::shared_ptr<const odata::Engine> odata_;
};

}  // namespace

std::unique_ptr<Module> MakeExtIntegrationModule() { return std::make_unique<ExtIntegrationModule>(); }

}  // namespace causeway::services::ext_integration
