#include "services/task_activity/task_activity_module.h"

#include "core/ascii.h"
#include "domain/activities/task_activities.h"
#include "domain/activities/task_repository.h"
#include "security/password_hash.h"
#include "services/common/config_table.h"
#include "services/task_activity/control_routes.h"
#include "services/task_activity/error_log_options.h"
#include "services/task_activity/task_activity_service.h"
#include "soap/engine.h"
#include "soap/error_log.h"

namespace causeway::services::task_activity {

core::Result<Options> ParseOptions(const toml::table& root) {
  Options o;
  CW_ASSIGN_OR_RETURN(ConfigTable section, ConfigTable::Section(root, "task_activity"));
  int64_t response_s = o.response_retention.count(), id_s = o.id_retention.count();
  constexpr int64_t kTenYears = int64_t{3650} * 86400;
  CW_RETURN_IF_ERROR(section.String("endpoint_suffix", o.endpoint_suffix));
  if (o.endpoint_suffix.find_first_not_of("0123456789") != std::string::npos)
    return ConfigError("[task_activity] endpoint_suffix must be digits", "task_activity.endpoint_suffix");
  CW_RETURN_IF_ERROR(section.Int("response_retention_s", 0, kTenYears, response_s));
  CW_RETURN_IF_ERROR(section.Int("id_retention_s", 0, kTenYears, id_s));
  CW_RETURN_IF_ERROR(section.Bool("demo_master_data", o.demo_master_data));
  CW_RETURN_IF_ERROR(ReadErrorLogOptions(section, o.error_log));
  CW_RETURN_IF_ERROR(section.Done());
  o.response_retention = std::chrono::seconds(response_s);
  o.id_retention = std::chrono::seconds(id_s);
  o.system_id = root["server"]["system_id"].value_or(o.system_id);
  return o;
}

TaskActivityModule::TaskActivityModule() = default;
TaskActivityModule::~TaskActivityModule() = default;

core::Status TaskActivityModule::Configure(const toml::table& root, bool demo) {
  CW_ASSIGN_OR_RETURN(options_, ParseOptions(root));
  options_.demo_master_data = options_.demo_master_data || demo;
  return core::Status::Ok();
}

security::ScenarioCatalog TaskActivityModule::Scenarios() const { return {{kScenario, {kGuardService}}}; }

std::vector<DemoUser> TaskActivityModule::DemoUsers() const {
  std::string role = "communication user, " + std::string(kScenario) + " (ManageTaskActivityIn)";
  return {{{.name = "TASK_SYNC", .kind = security::UserKind::kCommunication,
            .password_hash = security::HashPassword("Welcome1!", 10000), .scenarios = {kScenario}, .full_name = role},
           "Welcome1!", role}};
}

std::vector<store::Migration> TaskActivityModule::Migrations() const {
  std::vector<store::Migration> m = soap::SoapMigrations();
  for (const auto& a : activities::ActivityMigrations()) m.push_back(a);
  return m;
}

core::Status TaskActivityModule::Start(ModuleContext& ctx) {
  public_host_ = ctx.public_host;
  activities_ = std::make_unique<activities::TaskActivities>(ctx.db, ctx.clock);
  if (options_.demo_master_data) CW_RETURN_IF_ERROR(activities_->SeedDemoPartners());
  auto service = std::make_shared<TaskActivityService>(*activities_, options_.system_id);
  soap::EngineOptions engine_options;
  engine_options.clock = &ctx.clock;
  engine_options.idempotency.response_retention = options_.response_retention;
  engine_options.idempotency.id_retention = options_.id_retention;
  engine_options.system_id = options_.system_id;
  engine_options.error_log = options_.error_log;
  CW_ASSIGN_OR_RETURN(engine_, soap::Engine::Create(service, ctx.db, engine_options));
  return core::Status::Ok();
}

std::vector<std::string> TaskActivityModule::ServiceRoots() const {
  return {std::string(kEndpointPath) + options_.endpoint_suffix + "?wsdl"};
}

std::vector<http::Endpoint> TaskActivityModule::Endpoints() {
  const soap::Engine* engine = engine_.get();
  const std::string base_path = kEndpointPath;
  const std::string suffixed = base_path + options_.endpoint_suffix;
  http::Endpoint soap_endpoint{
      .key = base_path,
      .guard = {.service = kGuardService, .authenticate = true, .csrf = false},
      .handle = [engine, base_path, suffixed, host = public_host_](http::Request& req, const http::RouteMatch&) {
        // The prefix also matches longer paths: only the path itself and its suffixed form
        // (ICF answers any other path with its plain 404).
        std::string path = core::ToLower(req.Path());
        if (path != base_path && path != suffixed) return http::Response(404, "text/plain; charset=utf-8", "Not found");
        soap::CallContext ctx{req.user, req.sap_client, req.sap_language, http::BaseUrl(req, host)};
        return engine->Handle(req, ctx);
      },
      .render = {.error = [engine](const http::Request& req, const core::Error& e) { return engine->FaultResponse(req, e); }},
      // Bundles are committed without blocking (the answer waits through http::Response::after):
      // small requests are answered on the I/O thread, without the hop to the worker pool.
      .may_block = [engine](const http::Request& req) { return engine->MayBlock(req); }};
  return {std::move(soap_endpoint), ControlEndpoint(*activities_, engine_->error_log())};
}

std::unique_ptr<Module> MakeTaskActivityModule() { return std::make_unique<TaskActivityModule>(); }

}  // namespace causeway::services::task_activity
