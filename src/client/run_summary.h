// The --json summary of `job run` (one JSON object on stdout).
#pragma once

#include <string>

#include "client/job_runner.h"

namespace causeway::client {

// {"job_name","job_run_count","template","status","status_text","exit_code","exit_reason",
//  "message","started_at","ended_at","elapsed_ms","cancel_requested","cancel_confirmed",
//  "signal","steps":[{"step","status","start","app_rc"}]}
std::string RunSummaryJson(const RunSummary& summary, const std::string& template_name);

}  // namespace causeway::client
