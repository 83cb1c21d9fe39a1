// Persistence of activity tasks and the number range, in the caller's transaction (the domain
// operation owns it: one Database::Write per task). Each task is one row: the full state as a
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
core::Result<std::optional<Task>> FindById(store::Tx& tx, int64_t id);
core::Result<std::optional<Task>> FindByUuid(store::Tx& tx, std::string_view uuid);  // case-insensitive
core::Status Insert(store::Tx& tx, const Task& t);
core::Status Update(store::Tx& tx, const Task& t);
core::Status Delete(store::Tx& tx, int64_t id);
// Tasks with id > after_id, by id, at most `limit`.
core::Result<std::vector<Task>> List(store::Tx& tx, int64_t after_id, size_t limit);
// The next number of a number range object ("TASK"): UPDATE, then read back, in `tx`.
core::Result<int64_t> DrawNumber(store::Tx& tx, std::string_view object);
}  // namespace tasks

// The JSON document of a task (also what the control plane shows).
std::string EncodeTask(const Task& t);
core::Result<Task> DecodeTask(std::string_view json);

}  // namespace causeway::activities
