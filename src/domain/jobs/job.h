// A job run: plain value, copied out of the engine for every read (snapshots never change).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "core/clock.h"
#include "domain/jobs/job_parameters.h"
#include "domain/jobs/job_status.h"
#include "domain/jobs/job_template.h"

namespace causeway::jobs {

struct JobKey {
  std::string name;       // JobName: 32 upper-case hex characters
  std::string run_count;  // JobRunCount: 8 alphanumerics
  bool operator==(const JobKey&) const = default;
  std::string Joined() const { return name + "/" + run_count; }
};

struct StepRun {
  int step_nr = 1;
  StepDefinition definition;  // copied from the template at scheduling time
  JobStatus status = JobStatus::kReady;
  std::optional<core::SystemTime> started_at;
  std::optional<core::SystemTime> ended_at;
  int app_rc = 0;  // exit code of a command step, 0 for built-ins that succeed
};

struct Job {
  JobKey key;
  std::string text;           // JobText
  std::string template_name;  // JobTemplateName
  std::string template_text;
  std::string report_name;
  std::string job_user;  // business user the job runs as
  std::string creator;   // user who scheduled it (authorization owner)
  JobStatus status = JobStatus::kReady;
  core::SystemTime created_at{};
  core::SystemTime planned_start{};
  std::optional<core::SystemTime> started_at;
  std::optional<core::SystemTime> ended_at;
  int app_rc = 0;  // highest step return code
  std::vector<StepRun> steps;
  std::vector<ParameterValue> parameters;  // resolved: every value has its step_nr
  // Restart copies (spec §1.4.4).
  std::string orig_name;
  std::string orig_count;
  int restart_count = 0;
  std::string restart_mode;  // "", "E", "A"
};

// One job log line. Log lines live in the store only.
struct LogLine {
  int64_t seq = 0;   // 1-based, per job; assigned when the line is stored
  int step_nr = 0;   // 0 = job-level message
  core::SystemTime at{};
  char type = 'I';   // S, I, W, E, A (ABAP message types)
  std::string text;
};

// JobListGet filter. Empty fields do not filter; string fields accept '*' wildcards; text and
// creator are matched case-insensitively (ASCII).
struct JobFilter {
  std::string job_name;
  std::string text;
  std::string template_name;
  std::string creator;
  std::string report;
  std::string variant;  // jobs have no variants: a non-empty variant matches nothing
  std::optional<core::SystemTime> created_from;
  std::optional<core::SystemTime> created_to;
};

// JobName: 32 upper-case hex characters, the Unix milliseconds of `at` (12) then 80 random
// bits (20); JobRunCount: 8 random [A-Za-z0-9]. Without `at`: the system clock's now.
JobKey GenerateJobKey(core::SystemTime at);
JobKey GenerateJobKey();

// Oldest first: creation time, then the key in byte order (whatever the database's collation).
// The order claims hand jobs out in and JobListGet answers in.
void SortOldestFirst(std::vector<Job>& jobs);

}  // namespace causeway::jobs
