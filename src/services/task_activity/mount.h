// Wires ManageTaskActivityIn: migrations (soap 300–399, activities 400–499), demo master data,
// the SOAP engine over the service, and the routes:
//   /sap/bc/srt/scs/sap/managetaskactivityin[<suffix>]   the SOAP endpoint (guard target
//       MANAGETASKACTIVITYIN, no CSRF, blocking); the security gate runs inside the endpoint so
//       that a missing arrangement is answered with the SOAP "Authorization role missing" fault;
//   /_causeway/task-activity/…   control plane (CAUSEWAY_CONTROL): tasks, partners, error log.
#pragma once

#include <chrono>
#include <memory>
#include <string>

#include "core/clock.h"
#include "core/result.h"
#include "domain/activities/task_activities.h"
#include "http/router.h"
#include "soap/engine.h"
#include "store/database.h"

namespace causeway::services::task_activity {

struct Options {
  // A tenant-specific numeric suffix of the endpoint ("1" → …/managetaskactivityin1); the path
  // without it is served too.
  std::string endpoint_suffix;
  std::chrono::seconds response_retention{std::chrono::hours(24)};
  std::chrono::seconds id_retention{std::chrono::hours(24 * 7)};
  bool demo_master_data = false;  // insert the demo business partners (DemoPartners())
  std::string system_id = "CWY";
  std::string public_host;  // host[:port] for the WSDL address; empty: the Host header
};

inline constexpr char kGuardService[] = "MANAGETASKACTIVITYIN";
inline constexpr char kEndpointPath[] = "/sap/bc/srt/scs/sap/managetaskactivityin";

// The communication scenario that grants the service (C4C arrangements are built on
// customer-defined scenarios, so there is no fixed SAP_COM id to copy).
inline constexpr char kScenario[] = "CAUSEWAY_TASK_ACTIVITY";

class Module {
 public:
  virtual ~Module() = default;
  virtual activities::TaskActivities& activities() = 0;
  virtual const soap::Engine& engine() const = 0;
};

// `db`, `clock`, `guard` and `router` must outlive the returned module. `guard` may be null
// (then no authentication: tests only).
core::Result<std::unique_ptr<Module>> Mount(http::Router& router, http::RequestGuard* guard, store::Database& db,
                                            const core::Clock& clock, const Options& options);

}  // namespace causeway::services::task_activity
