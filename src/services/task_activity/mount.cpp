#include "services/task_activity/mount.h"

#include <boost/json.hpp>

#include "core/ascii.h"
#include "domain/activities/task_repository.h"
#include "services/task_activity/control_routes.h"
#include "services/task_activity/task_activity_service.h"
#include "store/migration.h"

namespace causeway::services::task_activity {
namespace {

class ModuleImpl final : public Module {
 public:
  ModuleImpl(store::Database& db, const core::Clock& clock) : activities_(db, clock) {}
  activities::TaskActivities& activities() override { return activities_; }
  const soap::Engine& engine() const override { return *engine_; }

  activities::TaskActivities activities_;
  std::unique_ptr<soap::Engine> engine_;
};

// "https://host:port" as the client addressed us (or the configured public host).
std::string BaseUrl(const http::Request& req, const std::string& public_host) {
  std::string host = public_host;
  if (host.empty()) host = std::string(req.headers.Get("host").value_or("localhost"));
  return std::string(req.tls ? "https://" : "http://") + host;
}

}  // namespace

core::Result<std::unique_ptr<Module>> Mount(http::Router& router, http::RequestGuard* guard, store::Database& db,
                                            const core::Clock& clock, const Options& options) {
  CW_RETURN_IF_ERROR(store::Migrate(db, soap::SoapMigrations()));
  CW_RETURN_IF_ERROR(store::Migrate(db, activities::ActivityMigrations()));
  auto module = std::make_unique<ModuleImpl>(db, clock);
  if (options.demo_master_data) CW_RETURN_IF_ERROR(module->activities_.SeedDemoPartners());

  auto service = std::make_shared<TaskActivityService>(module->activities_, options.system_id);
  soap::EngineOptions engine_options;
  engine_options.clock = &clock;
  engine_options.idempotency.response_retention = options.response_retention;
  engine_options.idempotency.id_retention = options.id_retention;
  engine_options.system_id = options.system_id;
  CW_ASSIGN_OR_RETURN(module->engine_, soap::Engine::Create(service, db, engine_options));

  const soap::Engine* engine = module->engine_.get();
  const std::string base_path = kEndpointPath;
  const std::string suffixed = base_path + options.endpoint_suffix;
  const http::GuardTarget target{kGuardService, /*authenticate=*/true, /*csrf=*/false};
  // The router runs no gate for this endpoint (authenticate=false); the endpoint runs it itself
  // with a SOAP renderer for refusals, which the router's prefix endpoints cannot pass.
  router.AddPrefix(http::PrefixEndpoint{
      base_path,
      {kGuardService, /*authenticate=*/false, /*csrf=*/false},
      [engine, guard, target, base_path, suffixed, public_host = options.public_host](http::Request& req) {
        std::string path = core::ToLower(req.Path());
        if (path != base_path && path != suffixed) return http::Response(404, "text/plain; charset=utf-8", "Not found");
        if (guard) {
          auto fail = [&](const core::Error& e) { return engine->FaultResponse(req, e); };
          if (auto denied = guard->Admit(req, target, fail)) return std::move(*denied);
        }
        soap::CallContext ctx{req.user, req.sap_client, req.sap_language, BaseUrl(req, public_host)};
        http::Response res = engine->Handle(req, ctx);
        if (guard) guard->Finish(req, target, res);
        return res;
      },
      /*blocking=*/true});
  RegisterControlRoutes(router, module->activities_, engine->error_log());
  return std::unique_ptr<Module>(std::move(module));
}

}  // namespace causeway::services::task_activity
