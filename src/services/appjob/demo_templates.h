// Job templates of the embedded demo (`causeway serve` without a config file): the two IBP
// templates of the seed guide, a customer template with a generated ID, a three-step chain,
// a failing job, a job that sleeps for a configurable time, a noop job and a shell command.
#pragma once

#include <vector>

#include "domain/jobs/job_template.h"

namespace causeway::services::appjob {

struct DemoOptions {
  int sleep_seconds = 60;  // default of ZCW_DEMO_SLEEP's P_SECONDS
};

std::vector<jobs::JobTemplate> DemoTemplates(const DemoOptions& options = {});

}  // namespace causeway::services::appjob
