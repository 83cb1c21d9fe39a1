// The /_causeway/ control plane: health (public), metrics, user administration
// (unlock/lock/list) and job templates (list/read/create-or-replace/delete) for users granted
// the CAUSEWAY_CONTROL service. Answers JSON or Prometheus text; errors as
// {"error":{"code","message"}}.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "domain/jobs/job_engine.h"
#include "http/metrics.h"
#include "http/router.h"
#include "security/gateway_guard.h"
#include "security/user_directory.h"
#include "store/database.h"

namespace causeway::services::control {

inline constexpr char kControlService[] = "CAUSEWAY_CONTROL";

struct ControlDeps {
  std::string version;
  store::Database* db = nullptr;
  http::Metrics* metrics = nullptr;
  std::function<const http::ServerStats*()> server_stats;  // may return null before start
  security::UserDirectory* users = nullptr;
  security::GatewayGuard* guard = nullptr;
  std::function<std::string()> extra_metrics;  // appended to /metrics (e.g. job engine gauges)
  jobs::JobEngine* jobs = nullptr;             // null: no /_causeway/templates
  bool allow_command_templates = false;        // config [control] runtime_command_templates
};

// Registers the endpoints on `router`. `deps` must outlive the router.
void RegisterControlEndpoints(http::Router& router, const ControlDeps& deps);

}  // namespace causeway::services::control
