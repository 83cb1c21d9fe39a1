// Test support: the ManageTaskActivityIn module started on a store (migrations applied, demo
// master data, endpoint suffix "1") with its endpoints mounted on a router, as `serve` does.
#pragma once

#include <memory>

#include "http/router.h"
#include "services/task_activity/task_activity_module.h"

namespace causeway::services::task_activity::testing {

struct TaskActivityStack {
  std::unique_ptr<security::UserDirectory> no_users;  // when the caller brings none
  std::unique_ptr<ModuleContext> context;
  std::unique_ptr<TaskActivityModule> module;
};

// `users` may be null (an empty directory is made). Everything passed must outlive the stack.
core::Result<TaskActivityStack> StartTaskActivity(store::Database& db, const core::Clock& clock, http::Router& router,
                                                  security::UserDirectory* users = nullptr);

}  // namespace causeway::services::task_activity::testing
