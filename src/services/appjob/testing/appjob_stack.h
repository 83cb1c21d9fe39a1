// Test support: the BC_EXT_APPJOB_MANAGEMENT stack as the service and golden tests need it —
// a temporary SQLite store, the job engine with the demo templates on a ManualClock, and the
// OData engine in front. ALICE is the only business user. Fixtures inherit from it and use the
// members directly.
#pragma once

#include <filesystem>
#include <memory>
#include <string>

#include "core/clock.h"
#include "core/result.h"
#include "domain/jobs/job_engine.h"
#include "domain/jobs/process_runner.h"
#include "odata/engine.h"
#include "store/sqlite/sqlite_database.h"

namespace causeway::services::appjob::testing {

class AliceIsTheBusinessUser final : public jobs::UserDirectory {
 public:
  bool IsBusinessUser(std::string_view u) const override { return u == "ALICE"; }
};

class AppJobStack {
 protected:
  explicit AppJobStack(core::SystemTime start) : clock_(start) {}
  ~AppJobStack();

  // Creates a fresh store under a temporary directory named after `name`, then OpenEngines().
  core::Status OpenStack(const std::string& name, jobs::EngineOptions options);
  // (Re)creates the job engine and the OData engine over the existing store, as a restart does.
  core::Status OpenEngines();
  // Stops the OData and job engines; the store stays (for simulated crashes and restarts).
  void CloseEngines();

  std::filesystem::path dir_;
  std::unique_ptr<store::sqlite::SqliteDatabase> db_;
  core::ManualClock clock_;
  jobs::PosixProcessRunner runner_{std::chrono::milliseconds(500)};
  AliceIsTheBusinessUser users_;
  jobs::EngineOptions options_;
  std::unique_ptr<jobs::JobEngine> jobs_;
  std::unique_ptr<odata::Engine> odata_;
};

}  // namespace causeway::services::appjob::testing
