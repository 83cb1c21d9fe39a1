// `job run`: schedule a template, wait for an end state, report. The scheduler's "workaround
// program" (seed §Workarounds), with cancellation on timeout and on SIGTERM/SIGINT.
#pragma once

#include <chrono>
#include <optional>
#include <string>

#include "client/exit_codes.h"
#include "client/job_service.h"
#include "client/progress_reporter.h"
#include "client/stop_signal.h"

namespace causeway::client {

struct RunOptions {
  ScheduleRequest schedule;
  std::optional<std::chrono::milliseconds> timeout;  // from scheduling; none = wait forever
  bool leave_on_timeout = false;                     // --on-timeout leave
  std::chrono::milliseconds poll_initial{200};
  std::chrono::milliseconds poll_max{30000};
  std::chrono::milliseconds cancel_wait{60000};  // bound on waiting for the cancel to show
  // Bound on polling while the status cannot be read (connection errors, 5xx, unreadable answer)
  // or is not a known status letter; then the run ends with the last error's code (7/9).
  std::chrono::milliseconds lost_wait{300000};
  bool steps_every_poll = false;                 // JobinfoGet on every poll (terminal display)
  uint64_t jitter_seed = 0;                      // 0: random
};

struct RunSummary {
  ScheduledJob job;           // empty names when scheduling failed
  char final_status = '\0';   // last status seen ('\0' none)
  std::optional<JobInfo> info;
  ExitCode exit_code = ExitCode::kInternal;
  std::string message;        // one line for humans
  std::string started_at, ended_at;
  std::chrono::milliseconds elapsed{0};
  bool cancel_requested = false;
  bool cancel_confirmed = false;
  int signal = 0;
};

// Runs the whole cycle. Never throws; every outcome is in the summary's exit_code/message.
RunSummary RunJob(JobService& service, Sleeper& sleeper, ProgressReporter& progress,
                  const RunOptions& options);

}  // namespace causeway::client
