// The ManageTaskActivityIn module: migrations (soap 300–399, activities 400–499), the scenario
// CAUSEWAY_TASK_ACTIVITY (C4C arrangements are built on customer-defined scenarios, so there is
// no fixed SAP_COM id to copy), demo master data and the demo user TASK_SYNC, its [task_activity]
// section, and the routes:
//   /sap/bc/srt/scs/sap/managetaskactivityin[<suffix>]   the SOAP endpoint (guard target
//       MANAGETASKACTIVITYIN, no CSRF; requests up to 16 KiB run on the I/O thread and are answered
//       once their transaction is durable); gate refusals come out as SOAP faults
//       ("Authorization role missing …");
//   /_causeway/task-activity/…   control plane (CAUSEWAY_CONTROL): tasks, partners, error log.
#pragma once

#include <chrono>
#include <memory>
#include <string>

#include "http/authority.h"
#include "services/common/module.h"
#include "soap/error_log.h"

namespace causeway::activities {
class TaskActivities;
}
namespace causeway::soap {
class Engine;
}

namespace causeway::services::task_activity {

inline constexpr char kGuardService[] = "MANAGETASKACTIVITYIN";
inline constexpr char kEndpointPath[] = "/sap/bc/srt/scs/sap/managetaskactivityin";
inline constexpr char kScenario[] = "CAUSEWAY_TASK_ACTIVITY";

struct Options {
  // A tenant-specific numeric suffix of the endpoint ("1" → …/managetaskactivityin1); the path
  // without it is served too.
  std::string endpoint_suffix;
  std::chrono::seconds response_retention{std::chrono::hours(24)};
  std::chrono::seconds id_retention{std::chrono::hours(24 * 7)};
  bool demo_master_data = false;  // insert the demo business partners (DemoPartners())
  soap::ErrorLogOptions error_log;  // error_log_retention_s, error_log_max_entries
  std::string system_id = "CWY";
};

// Reads [task_activity] (endpoint_suffix, response_retention_s, id_retention_s,
// demo_master_data, error_log_retention_s, error_log_max_entries); errors name the key.
core::Result<Options> ParseOptions(const toml::table& root);

class TaskActivityModule final : public Module {
 public:
  TaskActivityModule();
  ~TaskActivityModule() override;

  std::string_view Name() const override { return "task-activity"; }
  std::vector<std::string> ConfigSections() const override { return {"task_activity"}; }
  core::Status Configure(const toml::table& root, bool demo) override;
  security::ScenarioCatalog Scenarios() const override;
  std::vector<DemoUser> DemoUsers() const override;
  std::vector<store::Migration> Migrations() const override;
  core::Status Start(ModuleContext& ctx) override;
  std::vector<std::string> ServiceRoots() const override;
  std::vector<http::Endpoint> Endpoints() override;

  // After Start (tests, the CLI's stack).
  activities::TaskActivities& activities() { return *activities_; }
  const soap::Engine& engine() const { return *engine_; }

 private:
  Options options_;
  http::PublicHost public_host_;
  std::unique_ptr<activities::TaskActivities> activities_;
  std::unique_ptr<soap::Engine> engine_;
};

std::unique_ptr<Module> MakeTaskActivityModule();

}  // namespace causeway::services::task_activity
