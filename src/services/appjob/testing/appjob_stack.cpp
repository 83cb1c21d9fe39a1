#include "services/appjob/testing/appjob_stack.h"

#include <unistd.h>

#include "services/appjob/appjob_service.h"
#include "services/appjob/demo_templates.h"

namespace causeway::services::appjob::testing {

AppJobStack::~AppJobStack() {
  CloseEngines();
  db_.reset();
  if (!dir_.empty()) std::filesystem::remove_all(dir_);
}

core::Status AppJobStack::OpenStack(const std::string& name, jobs::EngineOptions options) {
  options_ = options;
  dir_ = std::filesystem::temp_directory_path() / ("cw_appjob_" + std::to_string(::getpid()) + "_" + name);
  std::filesystem::remove_all(dir_);
  std::filesystem::create_directories(dir_);
  CW_ASSIGN_OR_RETURN(db_, store::sqlite::SqliteDatabase::Open({.path = (dir_ / "db.sqlite").string()}));
  return OpenEngines();
}

core::Status AppJobStack::OpenEngines() {
  CW_ASSIGN_OR_RETURN(jobs_, jobs::JobEngine::Open(*db_, clock_, runner_, users_, DemoTemplates(), options_));
  CW_ASSIGN_OR_RETURN(std::shared_ptr<AppJobService> service, AppJobService::Create(*jobs_, *db_));
  CW_ASSIGN_OR_RETURN(odata_, odata::Engine::Create(std::move(service), {.clock = &clock_}));
  return core::Status::Ok();
}

void AppJobStack::CloseEngines() {
  odata_.reset();
  jobs_.reset();
}

}  // namespace causeway::services::appjob::testing
