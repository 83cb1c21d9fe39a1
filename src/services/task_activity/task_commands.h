// `causeway task list|show`: what a client's ManageTaskActivityIn calls stored, read from a
// running server's control plane (/_causeway/task-activity/tasks) and printed as JSON.
//   causeway task list --url http://127.0.0.1:8080 --admin CAUSEWAY_ADMIN [--after N] [--limit N]
//   causeway task show <ID or UUID> --url … --admin …
// The password comes from CAUSEWAY_PASSWORD. Exit codes: 0 ok, 1 server/transport error,
// 2 usage, 4 not found.
#pragma once

#include <memory>

#include <CLI/CLI.hpp>

namespace causeway::services::task_activity {

class TaskCommands {
 public:
  virtual ~TaskCommands() = default;
  virtual bool Selected() const = 0;
  virtual int Run() = 0;
};

std::shared_ptr<TaskCommands> AddTaskCommands(CLI::App& app);

}  // namespace causeway::services::task_activity
