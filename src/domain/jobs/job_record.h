// Private to the engine: what the API side and the worker side share — the jobs this node runs,
// the bounded read cache, the alarms its threads wait on, and the event counter waiters watch.
#pragma once

#include <atomic>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>
#include <vector>

#include "core/clock.h"
#include "domain/jobs/job_cache.h"
#include "domain/jobs/job_engine.h"

namespace causeway::jobs {

// A job this node claimed: from the claim until it ended (or was put back at shutdown).
struct JobEngine::ActiveJob {
  explicit ActiveJob(Job claimed) : key(claimed.key), job(std::move(claimed)) {}
  const JobKey key;
  mutable std::mutex state_mu;
  Job job;  // GUARDED_BY(state_mu); replaced only by its worker, after each durable transition
  int64_t start_seq = 0;  // the claim's "Job started" log line (Unclaim removes it)
  // A cancel or abort committed (on this node: its OnCommit; from another node: seen at a lease
  // renewal). Sticky: whatever order the worker and the canceler publish in, reads show c.
  std::atomic<bool> cancel_requested{false};
  std::atomic<bool> lease_lost{false};  // another node took the job over: stop, write nothing
  std::mutex process_mu;
  RunningProcess* process = nullptr;  // GUARDED_BY(process_mu): the running step's process, if any

  Job Snapshot() const {
    std::lock_guard lock(state_mu);
    Job j = job;
    if (j.status == JobStatus::kRunning && cancel_requested) j.status = JobStatus::kCanceling;
    return j;
  }
  void TerminateProcess() {
    std::lock_guard lock(process_mu);
    if (process != nullptr) process->Terminate();
  }
};

struct JobEngine::Hub {
  Hub(const core::Clock& clock, int worker_count, bool cache_reads, size_t cache_capacity)
      : workers(worker_count), dispatch(clock), sleepers(clock),
        cache(cache_reads ? std::make_unique<JobCache>(cache_capacity) : nullptr) {}

  const int workers;  // slots of this node

  // The dispatcher (claims, renewals, recovery) waits here: notified when a local schedule
  // committed, a slot freed up or a hold was released; stopped at shutdown.
  core::Alarm dispatch;
  // Sleeping built-ins wait here: notified when a cancel committed; stopped at shutdown.
  core::Alarm sleepers;
  std::unique_ptr<JobCache> cache;  // null: every read goes to the store

  mutable std::mutex active_mu;
  std::unordered_map<std::string, std::shared_ptr<ActiveJob>> active;  // GUARDED_BY(active_mu)
  // active.size(), readable without the lock: a status read (every JobStatusGet, on both I/O
  // threads) skips the shared lock while nothing runs here. Changed under active_mu, after the
  // job's state was published (see Finish), so a read that sees none finds it in the cache.
  std::atomic<size_t> active_count{0};
  void AddActive(std::shared_ptr<ActiveJob> rec) {
    std::string key = rec->key.Joined();
    std::lock_guard lock(active_mu);
    if (active.insert_or_assign(std::move(key), std::move(rec)).second) active_count.fetch_add(1);
  }
  void RemoveActive(const JobKey& key) {
    std::lock_guard lock(active_mu);
    if (active.erase(key.Joined()) != 0) active_count.fetch_sub(1);
  }

  // A job of this node committed and waits: wake the dispatcher if it has a free slot (if not,
  // the next job to end frees one and wakes it) and tell it a claim will find something.
  std::atomic<uint64_t> scheduled{0};  // jobs this engine scheduled (committed), for JobStatistics
  void JobWaiting() {
    waiting_here = true;
    if (static_cast<int>(ActiveCount()) < workers) dispatch.Notify();
  }
  std::atomic<bool> waiting_here{false};

  std::shared_ptr<ActiveJob> FindActive(const JobKey& key) const {
    if (active_count.load() == 0) return nullptr;
    std::lock_guard lock(active_mu);
    auto it = active.find(key.Joined());
    return it == active.end() ? nullptr : it->second;
  }
  size_t ActiveCount() const { return active_count.load(); }

  // A committed job, as this node publishes it: cached, and waiters woken.
  void Published(std::shared_ptr<const Job> job) {
    if (cache) cache->Publish(std::move(job));
    NotifyEvent();
  }
  void Removed(const JobKey& key) {
    if (cache) cache->Erase(key);
    NotifyEvent();
  }

  void NotifyEvent() {
    {
      std::lock_guard lock(events_mu);
      ++events_seq;
    }
    events_cv.notify_all();
  }
  mutable std::mutex events_mu;
  mutable std::condition_variable events_cv;
  uint64_t events_seq = 0;  // GUARDED_BY(events_mu)
};

// Log lines of one transition, all stamped with the transition's time.
class JobEngine::LogBuilder {
 public:
  explicit LogBuilder(core::SystemTime now) : now_(now) {}
  void Add(int step_nr, char type, std::string text) { lines_.push_back({0, step_nr, now_, type, std::move(text)}); }
  std::vector<LogLine>& lines() { return lines_; }
  core::SystemTime now() const { return now_; }

 private:
  core::SystemTime now_;
  std::vector<LogLine> lines_;
};

struct JobEngine::StepOutcome {
  JobStatus status = JobStatus::kFinished;
  int app_rc = 0;
  std::vector<std::pair<char, std::string>> log;  // (type, text)
};

}  // namespace causeway::jobs
