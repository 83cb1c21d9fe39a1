#include "app/modules.h"

#include <gtest/gtest.h>

#include <set>

#include "services/control/control_module.h"

namespace causeway::app {
namespace {

TEST(ModulesTest, DemoHasUsersForEveryRole) {
  auto modules = ServiceModules();
  services::control::ControlDeps deps;
  modules.push_back(services::control::MakeControlModule(deps));
  std::set<std::string> names;
  size_t users = 0;
  for (auto& m : modules) {
    ASSERT_TRUE(m->Configure(toml::table{}, /*demo=*/true).ok()) << m->Name();
    for (const auto& u : m->DemoUsers()) {
      names.insert(u.user.name);
      ++users;
    }
  }
  EXPECT_GE(users, 4u);
  EXPECT_EQ(names.size(), users) << "demo user names must be unique";
  for (const char* who : {"JOB_SCHEDULER", "JOB_ADMIN", "PLANNER", "CAUSEWAY_ADMIN"}) EXPECT_TRUE(names.count(who)) << who;
}

TEST(ModulesTest, ModuleNamesAndScenariosDoNotClash) {
  auto modules = ServiceModules();
  std::set<std::string> names, scenarios;
  for (auto& m : modules) {
    EXPECT_TRUE(names.insert(std::string(m->Name())).second) << m->Name();
    for (const auto& [id, services] : m->Scenarios()) EXPECT_TRUE(scenarios.insert(id).second) << id;
  }
  EXPECT_TRUE(scenarios.count("SAP_COM_0064"));
}

}  // namespace
}  // namespace causeway::app
