// The activity-task domain operations behind ManageTaskActivityIn: MaintainBundle and
// CheckMaintainBundle (spec A.2, A.3), reading tasks, and the business-partner master data.
//
// MaintainBundle processes each TaskChange on its own: the bundle is one Database::Write, and a
// store error in one task rolls back that task only (savepoints), so a task either commits
// completely or not at all, and the others go on (one durable commit per bundle, not per task). Business errors become Log
// items (severity 3, pointing back with the task's or child's sender technical ID); a task with
// an error writes nothing. CheckMaintainBundle runs the same code on a read snapshot: same
// messages, no number drawn, nothing written.
//
// Thread-safe. The overloads without a Tx block (store reads and durable writes): not for I/O
// threads.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "core/clock.h"
#include "core/result.h"
#include "domain/activities/partner.h"
#include "domain/activities/task.h"
#include "store/database.h"

namespace causeway::activities {

class TaskActivities {
 public:
  TaskActivities(store::Database& db, const core::Clock& clock) : db_(db), clock_(clock) {}

  // Never fails as a whole: store failures of one task become an error Log item for it.
  BundleResult MaintainBundle(const BundleRequest& request, const std::string& user);
  BundleResult CheckMaintainBundle(const BundleRequest& request, const std::string& user);

  // The same inside the caller's transaction `tx`, which the caller commits (the SOAP engine's,
  // which stores the idempotent response in it): each task inside its own savepoint. `tx` may
  // be run again from scratch (store/database.h). An error is a failed statement outside every
  // task's savepoint: the caller's transaction must roll back, and NotSaved() is the answer.
  // MaintainBundle needs a write transaction; CheckMaintainBundle writes nothing in any.
  core::Result<BundleResult> MaintainBundle(store::Tx& tx, const BundleRequest& request, const std::string& user);
  core::Result<BundleResult> CheckMaintainBundle(store::Tx& tx, const BundleRequest& request, const std::string& user);
  // The answer for a bundle whose transaction did not commit: a technical error item for every
  // task, result code 5.
  static BundleResult NotSaved(const BundleRequest& request, const core::Error& error);

  // Tasks with id > after_id, by id.
  core::Result<std::vector<Task>> ListTasks(int64_t after_id, size_t limit);
  // By numeric ID or UUID.
  core::Result<std::optional<Task>> FindTask(std::string_view id_or_uuid);

  core::Status UpsertPartner(const Partner& p);
  core::Result<std::vector<Partner>> ListPartners();
  // Inserts DemoPartners() that do not exist yet.
  core::Status SeedDemoPartners();

 private:
  BundleResult Run(const BundleRequest& request, const std::string& user, bool check);
  core::Result<BundleResult> RunIn(store::Tx& tx, const BundleRequest& request, const std::string& user, bool check);
  core::Result<BundleResult> RunTasks(store::Tx& tx, const BundleRequest& request, const std::string& user,
                                      core::SystemTime now, bool check, bool savepoint_per_task);

  store::Database& db_;
  const core::Clock& clock_;
};

}  // namespace causeway::activities
