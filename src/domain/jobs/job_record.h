// Private to the engine: one job's in-memory state and the helpers both engine .cpp files use.
#pragma once

#include <memory>
#include <mutex>
#include <string>

#include "domain/jobs/job_engine.h"

namespace causeway::jobs {

struct JobEngine::JobRecord {
  // Serializes state transitions of this job; held across the store write of a transition
  // (never while a step executes). Lock order: transition_mu -> state_mu.
  std::mutex transition_mu;
  mutable std::mutex state_mu;
  Job job;                    // GUARDED_BY(state_mu); written only under transition_mu as well
  int64_t last_log_seq = 0;   // GUARDED_BY(transition_mu)
  bool removed = false;       // GUARDED_BY(transition_mu): cancelled before it started
  std::atomic<bool> cancel_requested{false};
  std::atomic<bool> enqueued{false};
  std::mutex process_mu;
  RunningProcess* process = nullptr;  // GUARDED_BY(process_mu): the running step's process, if any

  Job Snapshot() const {
    std::lock_guard lock(state_mu);
    return job;
  }
};

// Collects log lines for one transition, numbering them after the job's last line.
class JobEngine::LogBuilder {
 public:
  LogBuilder(int64_t last_seq, core::SystemTime now) : next_(last_seq + 1), now_(now) {}
  void Add(int step_nr, char type, std::string text) {
    lines_.push_back({next_++, step_nr, now_, type, std::move(text)});
  }
  std::vector<LogLine>& lines() { return lines_; }
  int64_t last_seq() const { return next_ - 1; }

 private:
  int64_t next_;
  core::SystemTime now_;
  std::vector<LogLine> lines_;
};

struct JobEngine::StepOutcome {
  JobStatus status = JobStatus::kFinished;
  int app_rc = 0;
  std::vector<std::pair<char, std::string>> log;  // (type, text)
};

inline std::string IndexKey(const JobKey& k) { return k.name + "/" + k.run_count; }

}  // namespace causeway::jobs
