#include "domain/jobs/job_statistics.h"

#include <spdlog/spdlog.h>

#include <algorithm>

namespace causeway::jobs {

void JobStatistics::Note(uint64_t scheduled) {
  if (db_.dialect() != store::Dialect::kPostgres) return;
  if (!started_) {
    // What the tables held when last analyzed (-1: never); a restarted node does not analyze
    // a large store again for its first few jobs.
    started_ = true;
    counted_at_ = scheduled;
    (void)db_.Read([&](store::Tx& tx) {
      return tx.Query("SELECT reltuples FROM pg_class WHERE oid = 'jobs'::regclass", {},
                      [&](const store::Row& r) { baseline_ = static_cast<uint64_t>(std::max(0.0, r.Real(0))); });
    });
  }
  const uint64_t since = scheduled - counted_at_;
  if (since < std::max(first_, baseline_)) return;
  {
    std::lock_guard lock(mu_);
    if (running_) return;
    running_ = true;
  }
  baseline_ += since;
  counted_at_ = scheduled;
  db_.WriteAsync(
      [](store::Tx& tx) -> core::Status {
        CW_RETURN_IF_ERROR(tx.Exec("SET LOCAL lock_timeout = '200ms'"));
        return tx.Exec("ANALYZE jobs, job_steps, job_log");
      },
      [this](core::Status st) {
        if (st.ok()) ++analyses_;
        else spdlog::debug("jobs: the job tables were not analyzed now: {}", st.error().text);
        std::lock_guard lock(mu_);
        running_ = false;
        idle_.notify_all();
      });
}

JobStatistics::~JobStatistics() {
  std::unique_lock lock(mu_);
  idle_.wait(lock, [&] { return !running_; });
}

}  // namespace causeway::jobs
