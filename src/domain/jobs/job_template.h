// Job templates: what a job runs (steps) and which parameters it takes. Plain values; the
// engine owns the stored copies (JobEngine::UpsertTemplate / DeleteTemplate).
#pragma once

#include <chrono>
#include <map>
#include <string>
#include <vector>

#include "core/clock.h"
#include "core/result.h"
#include "domain/jobs/job_parameters.h"

namespace causeway::jobs {

// What a step does. Built-ins run inside the server; kCommand starts a process through the
// injected ProcessRunner.
enum class StepKind {
  kNoop,        // finishes at once
  kSleep,       // waits `sleep_parameter` seconds (engine clock), cancellable
  kFail,        // ends the step (and job) in A
  kLogCleanup,  // deletes finished jobs and their logs older than `days_parameter` days
  kCommand,     // runs argv; exit code mapped as documented in README.md
};
const char* StepKindName(StepKind k);  // "noop", "sleep", "fail", "log_cleanup", "command"
bool StepKindFromName(std::string_view name, StepKind* out);

struct StepDefinition {
  std::string catalog_entry_name;  // JobCatalogEntryName, e.g. "/IBP/R_LOG_DELETE"
  std::string text;                // JobCatalogEntryText
  StepKind kind = StepKind::kNoop;
  // kCommand only.
  std::vector<std::string> argv;
  std::map<std::string, std::string> env;
  std::string working_dir;              // empty: the server's working directory
  std::chrono::seconds timeout{0};      // 0: no timeout
  // kSleep / kLogCleanup: the job parameter (of this step) that holds the number.
  std::string sleep_parameter = "P_SECONDS";
  std::string days_parameter = "P_DAYS";
};

struct ParameterDefinition {
  std::string name;  // up to 38 characters, e.g. "P_DAYS"
  int step_nr = 1;   // 1-based step this parameter belongs to
  std::string text;
  bool mandatory = false;
  bool read_only = false;
  bool hidden = false;
  std::vector<ParameterRange> defaults;
};

struct JobTemplate {
  std::string name;          // JobTemplateName (up to 40), e.g. "/IBP/LOG_DELETION"
  std::string version = "0";  // JobTemplateVersion
  std::string text;          // JobTemplateText
  std::string report_name;   // JobReportName
  std::string user_name;     // JobUserName (usually empty)
  std::vector<StepDefinition> steps;
  std::vector<ParameterDefinition> parameters;
  std::string periodic_granularity;  // JobPeriodicGranularity ("" = not periodic)
  std::string periodic_value = "000";
  bool supports_test_mode = false;
  // Business users a SAP_COM_0064-only caller may schedule this template for; empty = anyone.
  // Callers with SAP_COM_0326 ignore it (spec §1.1).
  std::vector<std::string> allowed_users;
  core::SystemTime created_at{};
  std::string created_by = "SAP";
  core::SystemTime changed_at{};
  std::string changed_by = "SAP";

  const ParameterDefinition* FindParameter(int step_nr, std::string_view name) const;
};

// The rules every stored template obeys (name 1-40 characters of UTF-8 without control
// characters, at least one step, command steps with a program, parameters with a 1-38 character
// name of the same kind on an existing step): CAUSEWAY/JOBS/002 (400) naming the problem.
core::Status ValidateTemplate(const JobTemplate& t);

// A new customer template ID like "ZHDVKOF28IAPONUPTD3U3FCNCR": 'Z' + 25 upper-case
// alphanumerics (26 characters, the length seen on IBP tenants).
std::string GenerateTemplateId();

}  // namespace causeway::jobs
