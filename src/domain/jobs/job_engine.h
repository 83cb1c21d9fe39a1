// The job engine: templates, scheduling, workers that run job steps, cancel/abort/restart, and
// recovery of jobs whose node died — on a store that one node or several share.
//
// Units of work. Schedule, Restart, Cancel and Abort validate when called and then stage their
// store change with store::Transact: into the caller's current store::UnitOfWork (a request, a
// $batch change set), which commits or rolls back all of it together, or into a unit of their
// own that is committed before they return. Nothing of an operation is visible, run or
// terminated before its unit committed (OnCommit publishes it); a unit that rolls back leaves no
// trace. The job returned by Schedule/Restart is the one built locally, committed or not.
//
// Several nodes. Workers take waiting jobs from the store with a claim (oldest first; FOR UPDATE
// SKIP LOCKED on PostgreSQL) and hold a lease on each job while it runs, renewed every
// `lease_renewal` of the engine's Clock; each job runs on exactly one node. A job whose lease
// expired belongs to a node that died: any node ends it in A (recovery). A cancel of a job that
// runs on another node is stored (status c, cancel_requested) and reaches the process when its
// node renews the lease. Jobs scheduled elsewhere are found by a claim attempt every
// `claim_interval`; local schedules wake the workers at once. Every timer runs on the Clock
// (core::Alarm), so virtual time drives leases, sleeps and polls alike.
//
// Memory and reads. Only the jobs this node runs are held in memory. Reads go to the store,
// behind a bounded cache (`cache_reads`) when this engine is the store's only writer (SQLite):
// a cache hit never touches the store. When other nodes write the store too, the cache is kept
// by the store's change feed (`feed_cache`, PostgreSQL: a notice per committed change of a job
// or the templates evicts it on every node) and each read first waits for the feed's barrier
// (ChangeFeed::Sync, one round trip shared by concurrent reads), so writes of other nodes
// answered before the read are seen; while the feed is down every read is a store read. The
// memory used does not grow with the number of jobs stored.
//
// Threading: all public methods are thread-safe. Schedule/Cancel/Abort/Restart may block on the
// store (a durable write of their own unit, or reads), so call them from a worker thread, not an
// I/O thread; with cache_reads, GetStatus/GetJob of a cached job never block.
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
#include <vector>

#include "core/clock.h"
#include "core/result.h"
#include "domain/jobs/job.h"
#include "domain/jobs/job_repository.h"
#include "domain/jobs/job_statistics.h"
#include "domain/jobs/job_status_reads.h"
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
  int workers = 4;                      // jobs running in parallel on this node
  size_t step_output_limit = 64 * 1024;  // bytes of process output kept in the log per step
  // Environment every command step starts with (before step env and CW_* variables).
  std::vector<std::pair<std::string, std::string>> base_env = {{"PATH", "/usr/local/bin:/usr/bin:/bin"}};
  // How long Cancel/Abort with a unit of their own wait for a running job to stop.
  std::chrono::milliseconds cancel_wait{10000};

  // This node's name as the owner of leases; empty: a random one per Open.
  std::string node_id;
  // Leases, on the engine's Clock: how long a claim lasts without renewal, how often a running
  // job's lease is renewed (which is also how soon a cancel from another node reaches it).
  std::chrono::milliseconds lease{5000};
  std::chrono::milliseconds lease_renewal{500};
  // How often to look for jobs other nodes scheduled, and for jobs of dead nodes.
  std::chrono::milliseconds claim_interval{200};
  std::chrono::milliseconds recovery_interval{1000};
  // This engine is the store's only node (SQLite): at Open it ends every job left running, whose
  // lease a previous process of this node held, without waiting for the lease to expire.
  // Otherwise (nodes sharing PostgreSQL) such jobs end once their lease expired.
  bool take_over_at_start = true;
  // Reads through a bounded cache; only correct when this engine is the store's only writer.
  bool cache_reads = true;
  // Without cache_reads: a cache kept fresh by the store's change feed, if it has one.
  bool feed_cache = true;
  size_t cache_capacity = 4096;  // jobs
  // PostgreSQL: analyze the job tables once this many jobs were scheduled here, and again each
  // time as many as the tables held at the last analysis (job_statistics.h).
  uint64_t analyze_after_jobs = 1000;
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
  Job job;                            // as scheduled (status Y)
  std::vector<std::string> warnings;  // e.g. APJ_RT/074 texts
};

struct ScheduleCheck {
  bool successful = false;
  bool changed = false;
  std::string parameter_values;  // the (possibly adjusted) parameter string
  std::vector<DynamicProperty> dynamic_properties;
  std::vector<std::string> messages;  // errors and warnings
};

class JobEngine {
 public:
  // Applies the job migrations, upserts `config_templates`, ends jobs left running by dead
  // nodes (take_over_at_start: by any previous process) in status A with two log lines, and
  // starts the workers, which pick up jobs still waiting. Loads no jobs. The references must
  // outlive the engine.
  static core::Result<std::unique_ptr<JobEngine>> Open(store::Database& db, const core::Clock& clock,
                                                      ProcessRunner& runner, const UserDirectory& users,
                                                      std::vector<JobTemplate> config_templates,
                                                      EngineOptions options = {});
  // Stops claiming, terminates running steps (their jobs end in A, leases released) and puts
  // claimed jobs that had not started back in the queue.
  ~JobEngine();
  JobEngine(const JobEngine&) = delete;
  JobEngine& operator=(const JobEngine&) = delete;

  const std::string& node_id() const { return node_id_; }

  // --- templates (this node's copy; changes are written through) ---
  std::vector<JobTemplate> Templates() const;
  // Changes whenever a template is added, replaced or deleted (on a shared store also by another
  // node: these three read the stored templates version first and reload on a change), so
  // callers can cache views.
  uint64_t TemplatesVersion() const;
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
  // Stages the new job (status Y); it runs once its unit committed.
  core::Result<ScheduleResult> Schedule(const Caller& caller, const ScheduleRequest& req);
  // JobScheduleCheck: validation without side effects. Unknown template / invalid user are
  // errors; parameter problems come back as successful == false.
  core::Result<ScheduleCheck> CheckSchedule(const Caller& caller, const ScheduleRequest& req) const;
  core::Result<Job> GetJob(const Caller& caller, const JobKey& key) const;  // 003, 028
  // JobStatusGet fast path: the status only, without copying steps and parameters.
  core::Result<JobStatus> GetStatus(const Caller& caller, const JobKey& key) const;  // 003, 028
  // Not started: removed (a staged conditional delete; until the unit ends no worker starts
  // the job). Running: status c, its process group is terminated once the unit committed (on
  // whichever node runs it), and it ends in C. Finished, or canceling already: 040. A job that
  // changed between the call and the commit fails the unit with 040 (never overwritten). With
  // a unit of its own, returns once the job stopped (at most cancel_wait); inside a caller's
  // unit it returns at once (the job shows c until it stopped).
  core::Status Cancel(const Caller& caller, const JobKey& key);
  // Running jobs only (040 otherwise); as Cancel otherwise.
  core::Status Abort(const Caller& caller, const JobKey& key);
  // mode "E" (from the failed step) or "A" (after it). Stages and returns the new copy. A job
  // still canceling is waited for (at most cancel_wait) before its status is checked.
  core::Result<Job> Restart(const Caller& caller, const JobKey& key, std::string_view mode);
  // Jobs visible to `caller` that match `filter`, oldest first (a store query).
  core::Result<std::vector<Job>> ListJobs(const Caller& caller, const JobFilter& filter) const;
  core::Result<std::vector<LogLine>> JobLog(const Caller& caller, const JobKey& key) const;
  // Deletes finished jobs (terminal status) that ended before now - `age`, with their logs.
  core::Result<int> CleanupFinishedJobs(std::chrono::hours age);
  // Jobs in the store (all statuses, all nodes).
  core::Result<int64_t> JobCount() const;
  // Jobs this node holds in memory: claimed and running here (at most `workers`), and cached
  // snapshots (at most `cache_capacity`).
  size_t ActiveJobCount() const;
  size_t CachedJobCount() const;
  // Analyses of the job tables this engine ran (PostgreSQL, job_statistics.h).
  uint64_t TableAnalyses() const { return statistics_.analyses(); }

  // --- events ---
  // Blocks until `condition` holds or `timeout` (real time) passes; returns the last evaluation.
  // `condition` is evaluated after every job state change of this node and at least every
  // 100 ms (for changes other nodes make). For tests, the sandbox and long polls.
  bool WaitUntil(const std::function<bool()>& condition, std::chrono::milliseconds timeout) const;
  // Waits until the job is in a terminal state (or gone); returns the last snapshot seen.
  std::optional<Job> WaitForTerminal(const JobKey& key, std::chrono::milliseconds timeout) const;

 private:
  struct ActiveJob;
  struct Hub;
  class LogBuilder;
  struct StepOutcome;
  using Mutation = std::function<void(Job&, LogBuilder&, bool cancel_requested)>;

  JobEngine(store::Database& db, const core::Clock& clock, ProcessRunner& runner, const UserDirectory& users,
            EngineOptions options);
  core::Status LoadTemplates(std::vector<JobTemplate> config_templates);
  core::SystemTime Now() const;  // the Clock, to the millisecond the store keeps

  // --- API side (job_engine.cpp) ---
  core::Result<ScheduleRequest> ValidateSchedule(const Caller& caller, const ScheduleRequest& req,
                                                 JobTemplate* tmpl, std::string* job_user) const;
  // The job as this node knows it: its own running copy, the cache, or the store. Null if none.
  core::Result<std::shared_ptr<const Job>> Lookup(const JobKey& key) const;
  void StartFeed();
  core::Status StageNewJob(const Job& job, std::vector<LogLine> log);
  core::Status StopJob(const Caller& caller, const JobKey& key, bool cancel);
  core::Status CancelWaiting(const Caller& caller, const JobKey& key);
  core::Status CancelRunning(const Caller& caller, const JobKey& key);
  bool InCallersUnit() const;
  bool Visible(const Caller& caller, const Job& job) const;

  // --- worker side (job_runner.cpp, job_claims.cpp) ---
  void StartThreads();
  // The dispatcher thread: claims, lease renewals and recovery, each on its own deadline on the
  // Clock from `start`, waiting on Hub::dispatch in between.
  void DispatchLoop(core::SystemTime start);
  void WorkerLoop();
  // Claims the oldest waiting jobs, starts them in the store and queues them for the `slots`
  // free workers; a job that RunsInstantly ends in the same transaction instead and needs no
  // worker (up to kInstantBatch jobs per claim). Returns how many it claimed.
  int ClaimWaiting(int slots);
  void RenewLeases();
  // Ends jobs of dead nodes in A. `take_over`: every job left running, whatever its lease.
  core::Status RecoverOrphans(bool take_over);
  void Unclaim(const ActiveJob& rec);
  void RunJob(const std::shared_ptr<ActiveJob>& rec);
  // Writes `working` (the job after the steps ran so far) and `lines`, then what `last` adds if
  // given, under this node's lease (renewed on the way); on success that is the job's state.
  // `release`: the job ended, its lease goes. A lost lease sets rec.lease_lost.
  core::Status Transition(ActiveJob& rec, const Job& working, const std::vector<LogLine>& lines,
                          const Mutation& last, bool release);
  // The job left this node: publishes its last state (`publish`) and frees its slot.
  void Finish(const std::shared_ptr<ActiveJob>& rec, bool publish);
  // The step loop's pieces, shared by RunJob and RunInstantly. StepStarted marks the step
  // running at `now` and returns its "Step n started" line; StepEnded records its outcome at
  // `now` and appends the outcome's lines and "Step n ended …"; EndJob sets the job's end
  // status (from its steps, a cancel, or a shutdown between steps), return code and end time
  // and adds the closing lines.
  static LogLine StepStarted(StepRun& step, core::SystemTime now);
  static void StepEnded(StepRun& step, StepOutcome outcome, core::SystemTime now, std::vector<LogLine>& lines);
  static void EndJob(Job& job, LogBuilder& log, bool cancel_requested, bool shutting_down);
  // Whether every step that runs is an instant built-in (noop, fail; skipped steps aside): such
  // a job runs from start to end inside the transaction that claims it (ClaimWaiting).
  static bool RunsInstantly(const Job& job);
  // Runs such a job (started, status R) to its end in memory, appending to `lines` exactly what
  // a worker would log for it.
  void RunInstantly(Job& job, std::vector<LogLine>& lines) const;
  static StepOutcome InstantOutcome(StepKind kind);
  StepOutcome ExecuteStep(ActiveJob& rec, const Job& job, const StepRun& step);
  StepOutcome RunCommand(ActiveJob& rec, const Job& job, const StepRun& step);
  StepOutcome RunSleep(ActiveJob& rec, const Job& job, const StepRun& step);
  StepOutcome RunLogCleanup(const Job& job, const StepRun& step);

  store::Database& db_;
  const core::Clock& clock_;
  ProcessRunner& runner_;
  const UserDirectory& users_;
  const EngineOptions options_;
  const std::string node_id_;
  std::shared_ptr<Hub> hub_;  // shared with OnCommit/OnRollback callbacks, which may outlive a call
  mutable StatusReads status_reads_;  // GetStatus without the cache
  JobStatistics statistics_;          // the dispatcher's; outlives it (declared before the threads)
  // Nodes sharing the store: the feed that evicts what other nodes changed (null otherwise).
  std::unique_ptr<store::ChangeFeed> feed_;
  mutable std::atomic<bool> templates_dirty_{true};  // with feed_: a template notice came
  // With feed_: true once every change committed before the call is in the cache; false (the
  // feed is down) means read the store. Without feed_: whether the cache is on.
  core::Result<bool> CacheCurrent() const;
  // The feed's barrier (feed_ set): true once every notice committed before the call arrived.
  // Where the thread must not wait (core/blocking.h) it parks the request on the barrier, or
  // answers core::WouldBlock() where it cannot park.
  core::Result<bool> FeedCurrent() const;
  core::Result<std::shared_ptr<const Job>> Lookup(const JobKey& key, bool cache_current) const;

  mutable std::shared_mutex templates_mu_;
  mutable std::map<std::string, JobTemplate, std::less<>> templates_;  // GUARDED_BY(templates_mu_)
  mutable std::atomic<uint64_t> templates_version_{1};
  mutable int64_t stored_templates_version_ = 0;  // GUARDED_BY(templates_mu_): the store's, as loaded
  // Other processes write the store (no read cache): reload templates another node changed.
  // Reloads the templates if another node changed them. Only core::WouldBlock() is returned (a
  // store that cannot be read leaves this node's copy and logs it).
  core::Status RefreshTemplates() const;
  std::mutex template_write_mu_;  // serializes template writes

  std::atomic<uint64_t> holds_{0};  // numbers the holds of staged cancels

  std::mutex queue_mu_;
  std::condition_variable queue_cv_;
  std::deque<std::shared_ptr<ActiveJob>> queue_;  // GUARDED_BY(queue_mu_): claimed, not started
  bool stopping_ = false;                         // GUARDED_BY(queue_mu_)
  std::atomic<bool> shutting_down_{false};
  std::vector<std::thread> workers_;
  std::thread dispatcher_;
};

}  // namespace causeway::jobs
