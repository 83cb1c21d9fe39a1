#include "services/business_agreement/business_agreement_module.h"

#include "core/ascii.h"
#include "domain/agreements/agreement_repository.h"
#include "domain/agreements/business_agreements.h"
#include "security/password_hash.h"
#include "services/business_agreement/control_routes.h"
#include "services/business_agreement/message_monitor_routes.h"
#include "services/business_agreement/replication_service.h"
#include "services/common/config_table.h"
#include "services/task_activity/error_log_options.h"
#include "soap/engine.h"
#include "soap/inbound_processor.h"
#include "soap/message_monitor.h"
#include "soap/message_store.h"

namespace causeway::services::business_agreement {

core::Result<Options> ParseOptions(const toml::table& root) {
  Options o;
  CW_ASSIGN_OR_RETURN(ConfigTable section, ConfigTable::Section(root, "business_agreement"));
  CW_RETURN_IF_ERROR(section.String("endpoint_suffix", o.endpoint_suffix));
  if (o.endpoint_suffix.find_first_not_of("0123456789") != std::string::npos)
    return ConfigError("[business_agreement] endpoint_suffix must be digits", "business_agreement.endpoint_suffix");
  CW_RETURN_IF_ERROR(section.Bool("demo_master_data", o.demo_master_data));
  if (section.Has("node_id")) {
    CW_RETURN_IF_ERROR(section.String("node_id", o.node_id));
    if (o.node_id.empty()) return section.Error("node_id", "must be a non-empty string");
  }
  int64_t lease_s = 60, poll_s = 5, retention_h = 24 * 7;
  CW_RETURN_IF_ERROR(section.Int("workers", o.workers, 0, 1));
  CW_RETURN_IF_ERROR(section.Int("lease_s", 1, 86400, lease_s));
  CW_RETURN_IF_ERROR(section.Int("poll_s", 1, 3600, poll_s));
  CW_RETURN_IF_ERROR(section.Int("claim_batch", o.claim_batch, 1, 10000));
  CW_RETURN_IF_ERROR(section.Int("max_in_flight", o.max_in_flight, 1, 100000));
  CW_RETURN_IF_ERROR(section.Int("retention_h", 0, 24 * 3650, retention_h));
  CW_RETURN_IF_ERROR(task_activity::ReadErrorLogOptions(section, o.error_log));
  CW_RETURN_IF_ERROR(section.Done());
  o.lease = std::chrono::seconds(lease_s);
  o.poll = std::chrono::seconds(poll_s);
  o.retention = std::chrono::hours(retention_h);
  o.system_id = root["server"]["system_id"].value_or(o.system_id);
  return o;
}

BusinessAgreementModule::BusinessAgreementModule() = default;
BusinessAgreementModule::~BusinessAgreementModule() { Stop(); }

core::Status BusinessAgreementModule::Configure(const toml::table& root, bool demo) {
  CW_ASSIGN_OR_RETURN(options_, ParseOptions(root));
  options_.demo_master_data = options_.demo_master_data || demo;
  return core::Status::Ok();
}

security::ScenarioCatalog BusinessAgreementModule::Scenarios() const { return {{kScenario, {kGuardService}}}; }

std::vector<DemoUser> BusinessAgreementModule::DemoUsers() const {
  std::string role = "communication user, " + std::string(kScenario) + " (BusinessAgreementReplicationIn)";
  return {{{.name = "BUAG_REPL", .kind = security::UserKind::kCommunication,
            .password_hash = security::HashPassword("Welcome1!", 10000), .scenarios = {kScenario}, .full_name = role},
           "Welcome1!", role}};
}

std::vector<store::Migration> BusinessAgreementModule::Migrations() const { return agreements::AgreementMigrations(); }

core::Status BusinessAgreementModule::Start(ModuleContext& ctx) {
  public_host_ = ctx.public_host;
  // The SOAP tables and the business partners are other modules' migrations: say so clearly
  // when they are missing instead of failing on the first message.
  core::Status tables = ctx.db.Read([](store::Tx& tx) {
    return tx.Query("SELECT (SELECT COUNT(*) FROM activity_partners WHERE 1 = 0) + (SELECT COUNT(*) FROM "
                    "soap_messages WHERE 1 = 0)",
                    {}, [](const store::Row&) {});
  });
  if (!tables.ok())
    return core::MakeError(core::Code::kInternal, "CAUSEWAY/CONFIG", "001",
                           "business-agreement needs the tables of the SOAP engine and of the business partners "
                           "(migrations 0300-0313 and 0400, applied with the task-activity module): &1",
                           {tables.error().text});
  agreements_ = std::make_unique<agreements::BusinessAgreements>(ctx.db, ctx.clock);
  if (options_.demo_master_data) CW_RETURN_IF_ERROR(agreements_->SeedDemoPartners());
  messages_ = std::make_unique<soap::MessageStore>(ctx.db, ctx.clock);
  monitor_ = std::make_unique<soap::MessageMonitor>(*messages_, ctx.clock);
  auto service = std::make_shared<ReplicationService>(*agreements_);

  soap::ProcessorOptions p;
  p.node_id = options_.node_id.empty() ? ctx.node_id : options_.node_id;
  p.lease = options_.lease;
  p.poll = options_.poll;
  p.claim_batch = options_.claim_batch;
  p.max_in_flight = options_.max_in_flight;
  p.retention = options_.retention;
  p.start_thread = options_.workers > 0;
  CW_ASSIGN_OR_RETURN(processor_, soap::InboundProcessor::Start(service, *messages_, ctx.clock, p));

  soap::EngineOptions e;
  e.clock = &ctx.clock;
  e.system_id = options_.system_id;
  e.error_log = options_.error_log;
  e.messages = messages_.get();
  e.on_stored = [processor = processor_.get()] { processor->Notify(); };
  CW_ASSIGN_OR_RETURN(engine_, soap::Engine::Create(service, ctx.db, e));
  return core::Status::Ok();
}

std::vector<std::string> BusinessAgreementModule::ServiceRoots() const {
  return {std::string(kEndpointPath) + options_.endpoint_suffix + "?wsdl"};
}

std::vector<http::Endpoint> BusinessAgreementModule::Endpoints() {
  const soap::Engine* engine = engine_.get();
  const std::string base = kEndpointPath;
  const std::vector<std::string> paths = {base, base + "erp", base + options_.endpoint_suffix,
                                          base + "erp" + options_.endpoint_suffix};
  http::Endpoint soap_endpoint{
      .key = base,
      .guard = {.service = kGuardService, .authenticate = true, .csrf = false},
      .handle = [engine, paths, host = public_host_](http::Request& req, const http::RouteMatch&) {
        // The prefix also matches longer paths: only the interface's own (ICF answers any other
        // path with its plain 404).
        std::string path = core::ToLower(req.Path());
        if (std::find(paths.begin(), paths.end(), path) == paths.end())
          return http::Response(404, "text/plain; charset=utf-8", "Not found");
        soap::CallContext ctx{req.user, req.sap_client, req.sap_language, http::BaseUrl(req, host)};
        return engine->Handle(req, ctx);
      },
      .render = {.error = [engine](const http::Request& req, const core::Error& err) { return engine->FaultResponse(req, err); }},
      // Messages are stored without blocking (the 202 waits through http::Response::after):
      // small ones are answered on the I/O thread, without the hop to the worker pool.
      .may_block = [engine](const http::Request& req) { return engine->MayBlock(req); }};
  soap::InboundProcessor* processor = processor_.get();
  return {std::move(soap_endpoint), ControlEndpoint(*agreements_),
          MessageMonitorEndpoint(*messages_, *monitor_, [processor] { processor->Notify(); })};
}

std::string BusinessAgreementModule::MetricsText() const {
  if (!monitor_) return {};
  std::string out = monitor_->MetricsText();
  if (processor_) {
    out += "# HELP causeway_business_agreement_in_flight Stored messages whose processing is committing.\n"
           "# TYPE causeway_business_agreement_in_flight gauge\ncauseway_business_agreement_in_flight " +
           std::to_string(processor_->in_flight()) + "\n";
  }
  return out;
}

void BusinessAgreementModule::Stop() {
  if (processor_) processor_->Stop();
}

std::unique_ptr<Module> MakeBusinessAgreementModule() { return std::make_unique<BusinessAgreementModule>(); }

}  // namespace causeway::services::business_agreement
