#include "app/jobs_wiring.h"

#include "app/odata_mount.h"
#include "domain/jobs/job_engine.h"
#include "domain/jobs/process_runner.h"
#include "services/appjob/appjob_service.h"
#include "services/appjob/demo_templates.h"

namespace causeway::app {
namespace {

// The job engine asks the security layer whether a JobUser is a business user.
class BusinessUsers final : public jobs::UserDirectory {
 public:
  explicit BusinessUsers(const security::UserDirectory& users) : users_(users) {}
  bool IsBusinessUser(std::string_view user) const override { return users_.IsBusinessUser(user); }

 private:
  const security::UserDirectory& users_;
};

class Jobs final : public JobsWiring {
 public:
  explicit Jobs(const security::UserDirectory& users) : business_users_(users) {}

  std::string MetricsText() const override {
    return "# HELP causeway_jobs Jobs known to the job engine (all statuses).\n# TYPE causeway_jobs gauge\n"
           "causeway_jobs " + std::to_string(engine_->JobCount()) + "\n";
  }
  jobs::JobEngine& engine() override { return *engine_; }

  BusinessUsers business_users_;
  jobs::PosixProcessRunner runner_;
  std::unique_ptr<jobs::JobEngine> engine_;
};

}  // namespace

core::Result<std::unique_ptr<JobsWiring>> WireJobs(store::Database& db, const core::Clock& clock,
                                                   security::UserDirectory& users, const Config& config,
                                                   http::Router& router) {
  auto wiring = std::make_unique<Jobs>(users);
  std::vector<jobs::JobTemplate> templates = config.job_templates;
  if (config.demo_templates) {
    for (auto& t : services::appjob::DemoTemplates()) templates.push_back(std::move(t));
  }
  jobs::EngineOptions options;
  options.workers = config.job_workers;
  CW_ASSIGN_OR_RETURN(wiring->engine_,
                      jobs::JobEngine::Open(db, clock, wiring->runner_, wiring->business_users_, std::move(templates), options));
  auto service = std::make_shared<services::appjob::AppJobService>(*wiring->engine_);
  CW_ASSIGN_OR_RETURN(std::unique_ptr<odata::Engine> engine, odata::Engine::Create(service, {.clock = &clock}));
  router.AddOData(MountOData(std::shared_ptr<const odata::Engine>(std::move(engine)), config.public_host));
  return std::unique_ptr<JobsWiring>(std::move(wiring));
}

}  // namespace causeway::app
