// Persistence of activity tasks and the number range, in the caller's transaction (the domain
// operation owns it: one transaction per bundle). Each task is one row: the full state as a
// JSON document (task_codec.*) plus the columns lists use.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "core/result.h"
#include "domain/activities/task.h"
#include "store/database.h"
#include "store/migration.h"

namespace causeway::activities {

// The embedded migrations of migrations/*.sql (range 400-499).
const std::vector<store::Migration>& ActivityMigrations();

namespace tasks {
// `lock`: the row stays locked until the transaction ends (FOR UPDATE; PostgreSQL only).
core::Result<std::optional<Task>> FindById(store::Tx& tx, int64_t id, bool lock = false);
core::Result<std::optional<Task>> FindByUuid(store::Tx& tx, std::string_view uuid, bool lock = false);  // any case
core::Status Insert(store::Tx& tx, const Task& t);
core::Status Update(store::Tx& tx, const Task& t);
core::Status Delete(store::Tx& tx, int64_t id);
// Tasks with id > after_id, by id, at most `limit`.
core::Result<std::vector<Task>> List(store::Tx& tx, int64_t after_id, size_t limit);
// The numbers one transaction draws from a number range object, in order: Open() reads the
// range with an UPDATE (on PostgreSQL that locks its row until the transaction ends, so
// concurrent transactions draw one after the other); Next() is the number the next draw gets,
// Take() draws it, Close() writes the range back once. So a bundle changes the range's row
// twice in all, not once per task inside the task's savepoint (which journaled the row's page
// for every task). Open() must run outside any savepoint the caller may roll back (a rolled
// back savepoint would release the row lock on PostgreSQL). Not thread-safe; one per run of
// the transaction.
class NumberRange {
 public:
  NumberRange(store::Tx& tx, std::string object) : tx_(tx), object_(std::move(object)) {}
  // A store error is returned (the transaction cannot go on); a missing range object is not:
  // Next() reports it (CAUSEWAY/ACTIVITY/901) to each draw.
  core::Status Open();
  core::Result<int64_t> Next() const;
  void Take() { ++taken_; }
  core::Status Close();

 private:
  store::Tx& tx_;
  std::string object_;
  std::optional<int64_t> first_;  // the range's next_number when opened
  bool opened_ = false;
  int64_t taken_ = 0;
};
}  // namespace tasks

// The JSON document of a task (also what the control plane shows).
std::string EncodeTask(const Task& t);
core::Result<Task> DecodeTask(std::string_view json);

}  // namespace causeway::activities
