// Keeps PostgreSQL's statistics of the job tables in step with a store that fills up fast.
//
// PostgreSQL keeps a prepared statement's generic plan, made from its sixth run on, until the
// statistics of its tables change. Made while the job tables were small, the claim's plans read
// them whole: with a few thousand jobs stored, each claim cost 10-20 ms of PostgreSQL's time
// (auto_explain: a sequential scan of job_log for the last log numbers, a sort of every waiting
// job) until autovacuum analyzed the tables, up to a minute (autovacuum_naptime) after they
// grew: the whole of a burst on a fresh store (bench/results/jobs_postgres.md). So the engine
// analyzes them itself once the jobs this node scheduled since the last analysis reach the
// number the tables held then (at least `first`): a few times while a store fills up, hardly
// ever after. The analysis runs in the background (Database::WriteAsync, a short lock timeout:
// if autovacuum is at it, that one will do); the new statistics make every session plan
// again. SQLite plans each statement from its indexes alone: nothing to do there.
#pragma once

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <mutex>

#include "store/database.h"

namespace causeway::jobs {

class JobStatistics {
 public:
  JobStatistics(store::Database& db, uint64_t first) : db_(db), first_(first) {}
  ~JobStatistics();  // waits for an analysis in flight (its completion calls back here)
  // `scheduled`: the jobs this engine scheduled so far. Starts an analysis when one is due and
  // none is running. Called by one thread (the dispatcher); may read the store.
  void Note(uint64_t scheduled);
  uint64_t analyses() const { return analyses_.load(); }

 private:
  store::Database& db_;
  const uint64_t first_;
  bool started_ = false;      // dispatcher only: the baseline was read
  uint64_t baseline_ = 0;     // dispatcher only: jobs stored at the last analysis (estimate)
  uint64_t counted_at_ = 0;   // dispatcher only: `scheduled` at the last analysis
  std::mutex mu_;
  std::condition_variable idle_;
  bool running_ = false;  // GUARDED_BY(mu_)
  std::atomic<uint64_t> analyses_{0};
};

}  // namespace causeway::jobs
