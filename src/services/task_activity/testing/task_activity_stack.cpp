#include "services/task_activity/testing/task_activity_stack.h"

#include "store/migration.h"

namespace causeway::services::task_activity::testing {

core::Result<TaskActivityStack> StartTaskActivity(store::Database& db, const core::Clock& clock, http::Router& router,
                                                  security::UserDirectory* users) {
  TaskActivityStack s;
  if (!users) {
    s.no_users = std::make_unique<security::UserDirectory>(std::vector<security::UserConfig>{}, security::ScenarioCatalog{});
    users = s.no_users.get();
  }
  s.module = std::make_unique<TaskActivityModule>();
  CW_RETURN_IF_ERROR(s.module->Configure(toml::parse("[task_activity]\nendpoint_suffix = \"1\"\ndemo_master_data = true\n"),
                                         /*demo=*/false));
  CW_RETURN_IF_ERROR(store::Migrate(db, s.module->Migrations()));
  s.context = std::make_unique<ModuleContext>(ModuleContext{.db = db, .clock = clock, .users = *users});
  CW_RETURN_IF_ERROR(s.module->Start(*s.context));
  for (auto& e : s.module->Endpoints()) router.Add(std::move(e));
  return s;
}

}  // namespace causeway::services::task_activity::testing
