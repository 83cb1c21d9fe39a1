// The job engine: templates, scheduling, a worker pool that runs job steps, cancel/abort/
// restart, recovery after a crash, and an in-memory index of every job for fast reads.
//
// Durability: every call that changes state (Schedule, Cancel, Abort, Restart, template
// upsert/delete) returns only after the change is durable (store::Database::Write). Workers
// write each step transition through as well.
//
// Threading: all public methods are thread-safe. Schedule/Cancel/Abort/Restart block on a
// durable write, so call them from a worker thread, not an I/O thread. GetJob is a hash lookup
// plus a copy under a per-job mutex and never touches the store.
//
// Authorization (spec §1.1): a Caller without SAP_COM_0326 (all_jobs == false) may read and
// act only on jobs it created, and may schedule only templates whose allowed_users admit the
// job user; with SAP_COM_0326 it may act on any job and schedule for any business user.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <shared_mutex>
#include <string>
#include <thread>
#include <unordered_map>
#include <vector>

#include "core/clock.h"
#include "core/result.h"
#include "domain/jobs/job.h"
#include "domain/jobs/job_repository.h"
#include "domain/jobs/process_runner.h"
#include "store/database.h"

namespace causeway::jobs {

// Implemented by the wiring (security layer): is `user` an existing business user?
class UserDirectory {
 public:
  virtual ~UserDirectory() = default;
  virtual bool IsBusinessUser(std::string_view user) const = 0;
};

struct Caller {
  std::string user;       // the authenticated (communication) user
  bool all_jobs = false;  // has scenario SAP_COM_0326
};

struct EngineOptions {
  int workers = 4;                      // jobs running in parallel
  size_t step_output_limit = 64 * 1024;  // bytes of process output kept in the log per step
  // Environment every command step starts with (before step env and CW_* variables).
  std::vector<std::pair<std::string, std::string>> base_env = {{"PATH", "/usr/local/bin:/usr/bin:/bin"}};
  // How often a sleeping built-in re-reads the Clock (virtual clocks move without notice;
  // NotifyClockChanged() wakes sleepers at once).
  std::chrono::milliseconds clock_poll{200};
  // How long Cancel/Abort wait for a running job to reach C before answering.
  std::chrono::milliseconds cancel_wait{10000};
};

struct ScheduleRequest {
  std::string template_name;
  std::string text;
  std::string job_user;                 // empty: the caller
  std::string parameter_values;         // JobParameterValues (either shape, spec §1.7)
  std::string parameter_values_simple;  // JobParameterValuesSimple; wins over the above per parameter
  bool test_mode = false;               // "reserved"; accepted and ignored
};

struct ScheduleResult {
  Job job;                            // snapshot right after scheduling (status Y or R)
  std::vector<std::string> warnings;  // e.g. APJ_RT/074 texts
};

struct ScheduleCheck {
  bool successful = false;
  bool changed = false;
  std::string parameter_values;  // the (possibly adjusted) parameter string
  std::vector<DynamicProperty> dynamic_properties;
  std::vector<std::string> messages;  // errors and warnings
};

// JobListGet filter. Empty fields do not filter; string fields accept '*' wildcards; text is
// matched case-insensitively.
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

class JobEngine {
 public:
  // Applies the job migrations, upserts `config_templates`, loads every job, ends jobs that
  // were running when the process died (status A, with a log line) and starts the workers,
  // which pick up jobs still waiting. The references must outlive the engine.
  static core::Result<std::unique_ptr<JobEngine>> Open(store::Database& db, const core::Clock& clock,
                                                      ProcessRunner& runner, const UserDirectory& users,
                                                      std::vector<JobTemplate> config_templates,
                                                      EngineOptions options = {});
  // Stops the workers; running steps are terminated and their jobs end in A.
  ~JobEngine();
  JobEngine(const JobEngine&) = delete;
  JobEngine& operator=(const JobEngine&) = delete;

  // --- templates ---
  std::vector<JobTemplate> Templates() const;
  // Changes whenever a template is added, replaced or deleted, so callers can cache views.
  uint64_t TemplatesVersion() const { return templates_version_.load(std::memory_order_acquire); }
  core::Result<JobTemplate> FindTemplate(std::string_view name) const;  // APJ_RT/015
  // Creates or replaces a template (ValidateTemplate first); keeps the creation info of an
  // existing one. Returns the stored template and whether it is new.
  struct UpsertedTemplate {
    JobTemplate stored;
    bool created = false;
  };
  core::Result<UpsertedTemplate> UpsertTemplate(JobTemplate t, std::string_view actor);
  core::Status DeleteTemplate(std::string_view name);  // APJ_RT/015 if unknown
  // TemplateValuesGet: every parameter with its default.
  core::Result<std::vector<ParameterValue>> TemplateParameterValues(std::string_view template_name) const;

  // --- jobs ---
  core::Result<ScheduleResult> Schedule(const Caller& caller, const ScheduleRequest& req);
  // JobScheduleCheck: validation without side effects. Unknown template / invalid user are
  // errors; parameter problems come back as successful == false.
  core::Result<ScheduleCheck> CheckSchedule(const Caller& caller, const ScheduleRequest& req) const;
  core::Result<Job> GetJob(const Caller& caller, const JobKey& key) const;  // 003, 028
  // JobStatusGet fast path: the status only, without copying steps and parameters.
  core::Result<JobStatus> GetStatus(const Caller& caller, const JobKey& key) const;  // 003, 028
  // Not started: removed. Running: process group terminated, ends in C. Finished: 040.
  core::Status Cancel(const Caller& caller, const JobKey& key);
  // Running jobs only (040 otherwise); ends in C.
  core::Status Abort(const Caller& caller, const JobKey& key);
  // mode "E" (from the failed step) or "A" (after it). Returns the new copy.
  core::Result<Job> Restart(const Caller& caller, const JobKey& key, std::string_view mode);
  // Jobs visible to `caller`, oldest first.
  std::vector<Job> ListJobs(const Caller& caller, const JobFilter& filter) const;
  core::Result<std::vector<LogLine>> JobLog(const Caller& caller, const JobKey& key) const;
  // Deletes finished jobs (terminal status) that ended before now - `age`, with their logs.
  core::Result<int> CleanupFinishedJobs(std::chrono::hours age);

  // --- events ---
  // Blocks until `condition` holds (evaluated after every job state change) or `timeout`
  // passes; returns the last evaluation. For tests, the sandbox and long polls.
  bool WaitUntil(const std::function<bool()>& condition, std::chrono::milliseconds timeout) const;
  // Waits until the job is in a terminal state (or gone); returns the last snapshot seen.
  std::optional<Job> WaitForTerminal(const JobKey& key, std::chrono::milliseconds timeout) const;
  // Wakes sleeping built-ins after a virtual clock jump.
  void NotifyClockChanged();
  size_t JobCount() const;

 private:
  struct JobRecord;
  class LogBuilder;
  struct StepOutcome;

  JobEngine(store::Database& db, const core::Clock& clock, ProcessRunner& runner, const UserDirectory& users,
            EngineOptions options);
  core::Status Load(std::vector<JobTemplate> config_templates);
  void StartWorkers();
  void WorkerLoop();
  void RunJob(const std::shared_ptr<JobRecord>& rec);
  StepOutcome ExecuteStep(JobRecord& rec, const Job& job, const StepRun& step);
  StepOutcome RunCommand(JobRecord& rec, const Job& job, const StepRun& step);
  StepOutcome RunSleep(JobRecord& rec, const Job& job, const StepRun& step);
  StepOutcome RunLogCleanup(const Job& job, const StepRun& step);

  // Under rec.transition_mu: applies `mutate` to a copy of the job, writes it through and
  // publishes it. On a store error nothing is published.
  core::Status Transition(JobRecord& rec, const std::function<void(Job&, LogBuilder&)>& mutate);
  core::Status StopRunning(const Caller& caller, const JobKey& key, bool remove_waiting);
  core::Result<ScheduleRequest> ValidateSchedule(const Caller& caller, const ScheduleRequest& req,
                                                 JobTemplate* tmpl, std::string* job_user) const;
  std::shared_ptr<JobRecord> Find(const JobKey& key) const;
  core::Status Insert(Job job, std::vector<LogLine> log);
  void Enqueue(std::shared_ptr<JobRecord> rec);
  void NotifyEvent() const;
  bool Visible(const Caller& caller, const Job& job) const;

  store::Database& db_;
  mutable JobRepository repo_;  // stateless; JobLog() reads through it
  const core::Clock& clock_;
  ProcessRunner& runner_;
  const UserDirectory& users_;
  const EngineOptions options_;

  mutable std::shared_mutex templates_mu_;
  std::map<std::string, JobTemplate, std::less<>> templates_;  // GUARDED_BY(templates_mu_)
  std::atomic<uint64_t> templates_version_{1};
  std::mutex template_write_mu_;  // serializes template writes (held across the store write)

  mutable std::shared_mutex index_mu_;
  std::unordered_map<std::string, std::shared_ptr<JobRecord>> index_;  // GUARDED_BY(index_mu_)

  std::mutex queue_mu_;
  std::condition_variable queue_cv_;
  std::deque<std::shared_ptr<JobRecord>> queue_;  // GUARDED_BY(queue_mu_)
  bool stopping_ = false;                         // GUARDED_BY(queue_mu_)
  std::atomic<bool> shutting_down_{false};
  std::vector<std::thread> workers_;

  std::mutex wake_mu_;
  std::condition_variable wake_cv_;  // sleeping built-ins

  mutable std::mutex events_mu_;
  mutable std::condition_variable events_cv_;
  mutable uint64_t events_seq_ = 0;  // GUARDED_BY(events_mu_)
};

}  // namespace causeway::jobs
