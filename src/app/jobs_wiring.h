// Wires the job domain to the store, the security layer and the router: builds the job
// engine (with the demo templates in demo mode) and mounts BC_EXT_APPJOB_MANAGEMENT.
#pragma once

#include <memory>
#include <string>

#include "app/config.h"
#include "core/clock.h"
#include "domain/jobs/job_engine.h"
#include "http/router.h"
#include "security/user_directory.h"
#include "store/database.h"

namespace causeway::app {

class JobsWiring {
 public:
  virtual ~JobsWiring() = default;
  // Job engine gauges for /_causeway/metrics (Prometheus text).
  virtual std::string MetricsText() const = 0;
  // The engine, for the control plane's template editing.
  virtual jobs::JobEngine& engine() = 0;
};

core::Result<std::unique_ptr<JobsWiring>> WireJobs(store::Database& db, const core::Clock& clock,
                                                   security::UserDirectory& users, const Config& config,
                                                   http::Router& router);

}  // namespace causeway::app
