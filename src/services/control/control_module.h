// The /_causeway/ control plane's own module: health (public), metrics (every module's text
// appended) and user administration, for users granted CAUSEWAY_CONTROL. Modules add their own
// routes under /_causeway/<name> (see common/module.h). Answers JSON or Prometheus text;
// errors as the JSON problem body (common/problem_json.h).
#pragma once

#include <functional>
#include <memory>
#include <string>

#include "http/metrics.h"
#include "http/server.h"
#include "security/gateway_guard.h"
#include "services/common/module.h"

namespace causeway::services::control {

inline constexpr char kControlService[] = "CAUSEWAY_CONTROL";

struct ControlDeps {
  std::string version;
  http::Metrics* metrics = nullptr;
  std::function<const http::ServerStats*()> server_stats;  // may return null before start
  security::GatewayGuard* guard = nullptr;                  // its credential cache is cleared on lock/unlock
  std::function<std::string()> module_metrics;             // every module's MetricsText()
};

// `deps` must outlive the module; its fields may be filled in until the server starts.
std::unique_ptr<Module> MakeControlModule(const ControlDeps& deps);

}  // namespace causeway::services::control
