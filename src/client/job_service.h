// Typed calls of BC_EXT_APPJOB_MANAGEMENT v0002 (spec §1.4) over an ODataSession. Every method
// returns the session's errors unchanged (see csrf_session.h) or kInternal for a response that
// cannot be read.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "client/csrf_session.h"
#include "core/result.h"

namespace causeway::client {

struct ScheduledJob {
  std::string job_name;
  std::string job_run_count;
  char status = '\0';  // '\0' when the server sent an empty JobStatus
};

struct JobStepInfo {
  int step = 0;
  char status = '\0';
  std::string start;  // ISO-8601 UTC or as sent
  std::string app_rc;
};

struct JobInfo {
  char job_status = '\0';
  std::string scheduled, start, end;
  std::vector<JobStepInfo> steps;  // ordered by step number
};

struct JobTemplate {
  std::string name;
  std::string text;
  std::string step_count;
};

struct JobListEntry {
  std::string job_name, job_run_count, job_text, template_name, creator, created;
  char status = '\0';
};

struct ScheduleRequest {
  std::string template_name;
  std::string job_text;
  std::string job_user;
  std::string parameters_simple;  // JobParameterValuesSimple JSON, "" for template defaults
};

struct JobListFilter {
  std::string from, to;  // user input for DateTimeLiteral(); both required by the CLI
  std::string job_text, template_name, creator, job_name;
};

struct JobLogMessage {
  int step = 0;
  char type = '\0';  // S, I, W, E, A
  std::string text;
};

class JobService {
 public:
  explicit JobService(ODataSession& session) : session_(session) {}
  // See ODataSession::SetDeadline: the bound every call's answer is waited for in.
  void SetDeadline(std::optional<std::chrono::steady_clock::time_point> deadline) { session_.SetDeadline(deadline); }

  // POST JobSchedule. Not retried: a lost response leaves the job's fate unknown.
  core::Result<ScheduledJob> Schedule(const ScheduleRequest& request);
  core::Result<ScheduledJob> Status(const std::string& name, const std::string& count);
  core::Result<JobInfo> Info(const std::string& name, const std::string& count);
  // The job's log messages, step by step (JobHeaderSet with $expand of its steps' logs, as
  // BTP clients read them). Servers without JobHeaderSet answer an error.
  core::Result<std::vector<JobLogMessage>> Log(const std::string& name, const std::string& count);
  // POST JobCancel / JobAbort. A non-zero ReturnCode in a 200 body is kBadRequest.
  core::Status Cancel(const std::string& name, const std::string& count);
  core::Status Abort(const std::string& name, const std::string& count);
  // POST JobRestart; `mode` "E" (from the failed step) or "A" (after it). Returns the new job.
  core::Result<ScheduledJob> Restart(const std::string& name, const std::string& count,
                                     const std::string& mode);
  // GET JobTemplateSet, with $filter=substringof('<pattern>',JobTemplateText) when given.
  core::Result<std::vector<JobTemplate>> Templates(const std::string& text_pattern);
  // GET JobListGet with datetime'…' literals for CreationTimeFrom/To.
  core::Result<std::vector<JobListEntry>> List(const JobListFilter& filter);

 private:
  core::Status FuncImpReturn(const char* function, const std::string& name,
                             const std::string& count);
  ODataSession& session_;
};

// True when `error` is the Gateway's "job does not exist" (APJ_RT/003 or /039): a job cancelled
// before it started is deleted and disappears.
bool IsJobGone(const core::Error& error);

}  // namespace causeway::client
