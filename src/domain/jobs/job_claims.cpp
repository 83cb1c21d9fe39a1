// The dispatcher side of JobEngine: which jobs this node runs. Claims of waiting jobs, renewal of
// the leases of the jobs it runs (which is also how a cancel from another node reaches them),
// recovery of jobs whose node died, and putting claimed jobs back at shutdown.
#include <algorithm>
#include <climits>

#include "core/log.h"
#include "domain/jobs/job_engine.h"
#include "domain/jobs/job_errors.h"
#include "domain/jobs/job_leases.h"
#include "domain/jobs/job_record.h"

namespace causeway::jobs {
namespace {

// Jobs of dead nodes ended per transaction.
constexpr int64_t kRecoveryBatch = 100;
// Jobs a claim locks when instant ones need no worker (ClaimWaiting).
constexpr int64_t kInstantBatch = 32;

int64_t Ms(core::SystemTime t) { return core::ToUnixMillis(t); }

}  // namespace

void JobEngine::StartThreads() {
  const int n = std::max(1, options_.workers);
  for (int i = 0; i < n; ++i) workers_.emplace_back([this] { WorkerLoop(); });
  // The first deadlines count from Open, not from whenever the thread gets to run (a virtual
  // clock may have moved by then).
  dispatcher_ = std::thread([this, start = Now()] { DispatchLoop(start); });
}

JobEngine::~JobEngine() {
  feed_.reset();  // its thread calls into hub_ and templates_dirty_
  shutting_down_ = true;
  hub_->dispatch.Stop();  // no more claims, renewals or recovery
  if (dispatcher_.joinable()) dispatcher_.join();
  {
    std::lock_guard lock(queue_mu_);
    stopping_ = true;
  }
  queue_cv_.notify_all();
  // Terminate running processes so that workers return promptly; their jobs end in A.
  {
    std::lock_guard lock(hub_->active_mu);
    for (auto& [k, rec] : hub_->active) rec->TerminateProcess();
  }
  hub_->sleepers.Stop();
  for (auto& t : workers_) t.join();
  // Claimed but never started: back to the queue, for the next start or another node.
  for (const auto& rec : queue_) {
    Unclaim(*rec);
    Finish(rec, /*publish=*/false);
  }
  queue_.clear();
}

void JobEngine::DispatchLoop(core::SystemTime start) {
  Hub& hub = *hub_;
  core::SystemTime next_renewal = start + options_.lease_renewal;
  core::SystemTime next_recovery = start + options_.recovery_interval;
  for (;;) {
    // Armed before looking for work: a schedule that commits meanwhile still wakes the wait.
    const uint64_t armed = hub.dispatch.Arm();
    if (hub.dispatch.stopped()) return;
    const core::SystemTime now = Now();
    if (now >= next_renewal) {
      RenewLeases();
      next_renewal = now + options_.lease_renewal;
    }
    if (now >= next_recovery) {
      if (core::Status st = RecoverOrphans(false); !st.ok())
        spdlog::warn("jobs: recovery of jobs of dead nodes failed: {}", st.error().text);
      next_recovery = now + options_.recovery_interval;
    }
    // Every wake looks for waiting jobs while a slot is free: a local schedule or a freed slot
    // notified us, or the claim interval passed (jobs other nodes scheduled).
    statistics_.Note(hub.scheduled.load());
    const int slots = std::max(1, options_.workers) - static_cast<int>(hub.ActiveCount());
    if (slots > 0) ClaimWaiting(slots);
    core::SystemTime deadline = std::min(next_renewal, next_recovery);
    if (std::max(1, options_.workers) > static_cast<int>(hub.ActiveCount()))
      deadline = std::min(deadline, now + options_.claim_interval);
    if (!hub.dispatch.WaitUntil(deadline, armed)) return;
  }
}

int JobEngine::ClaimWaiting(int slots) {
  const int64_t now_ms = Ms(Now());
  // Look before writing: an idle node polls every claim_interval and must not write to find
  // nothing. A job of this node that committed since the last claim needs no look.
  if (!hub_->waiting_here.exchange(false)) {
    bool any = false;
    core::Status probe = db_.Read([&](store::Tx& tx) -> core::Status {
      CW_ASSIGN_OR_RETURN(any, leases::AnyWaiting(tx, now_ms));
      return core::Status::Ok();
    });
    if (!probe.ok()) {
      spdlog::warn("jobs: cannot look for waiting jobs: {}", probe.error().text);
      return 0;
    }
    if (!any) return 0;
  }
  const core::SystemTime started = Now();
  std::vector<Job> claimed;
  std::vector<int64_t> start_seqs;
  std::vector<Job> ended;
  bool more = false;
  // Claim and start in one transaction: a claimed job is running (R) under this node's lease.
  // A job of instant built-ins only (noop, fail) also runs to its end in it, lease released:
  // nothing could happen between its start and its end that a worker would see (the claim
  // locks its row), and the job costs one write instead of two. Instant jobs need no worker, so
  // a claim locks up to kInstantBatch jobs and takes them oldest first while they are instant or
  // a worker is free; at the first job it cannot start it stops, and that job and the ones after
  // it stay waiting, untouched (their row locks end with the transaction). In a flood of
  // instant jobs one transaction runs 32 of them instead of one per worker.
  core::Status st = db_.Write([&](store::Tx& tx) -> core::Status {
    claimed.clear();
    start_seqs.clear();
    ended.clear();
    std::vector<Job> jobs;
    const int64_t limit = std::max<int64_t>(slots, kInstantBatch);
    CW_ASSIGN_OR_RETURN(jobs, leases::LockWaiting(tx, db_.dialect(), now_ms, limit));
    more = static_cast<int64_t>(jobs.size()) == limit;
    std::vector<repository::JobLines> logs;
    std::vector<bool> instant;
    int free_workers = slots;
    size_t taken = 0;
    for (; taken < jobs.size(); ++taken) {
      Job& j = jobs[taken];
      const bool runs_instantly = RunsInstantly(j);
      if (!runs_instantly && free_workers == 0) {
        more = true;  // this one and the younger ones wait for a worker
        break;
      }
      if (!runs_instantly) --free_workers;
      const Job waiting = j;
      j.status = JobStatus::kRunning;
      j.started_at = started;
      logs.push_back({j.key, {{0, 0, started, 'I', "Job started"}}});
      instant.push_back(runs_instantly);
      if (runs_instantly) RunInstantly(j, logs.back().lines);
      // The lease is taken with the start, in one row version (an instant job has none left).
      CW_RETURN_IF_ERROR(repository::WriteChanges(
          tx, waiting, j,
          runs_instantly ? repository::LeaseChange::Release()
                         : repository::LeaseChange::Take(node_id_, now_ms + options_.lease.count())));
    }
    jobs.resize(taken);
    CW_ASSIGN_OR_RETURN(std::vector<int64_t> seqs, repository::AppendLogs(tx, logs));
    for (size_t i = 0; i < jobs.size(); ++i) {
      if (instant[i]) {
        ended.push_back(std::move(jobs[i]));
      } else {
        claimed.push_back(std::move(jobs[i]));
        start_seqs.push_back(seqs[i]);
      }
    }
    return core::Status::Ok();
  });
  if (!st.ok()) {
    spdlog::warn("jobs: cannot claim waiting jobs: {}", st.error().text);
    return 0;
  }
  for (Job& j : ended) hub_->Published(std::make_shared<const Job>(std::move(j)));
  // More may be waiting: look again now if a worker is still free for them (instant jobs
  // freed theirs at once); a job that ends frees one and wakes the dispatcher as well.
  if (more && static_cast<int>(claimed.size()) < slots) {
    hub_->waiting_here = true;
    hub_->dispatch.Notify();
  }
  for (size_t i = 0; i < claimed.size(); ++i) {
    auto rec = std::make_shared<ActiveJob>(std::move(claimed[i]));
    rec->start_seq = start_seqs[i];
    hub_->AddActive(rec);
    {
      std::lock_guard lock(queue_mu_);
      queue_.push_back(std::move(rec));
    }
    queue_cv_.notify_one();
  }
  if (!claimed.empty()) hub_->NotifyEvent();
  return static_cast<int>(claimed.size() + ended.size());
}

void JobEngine::RenewLeases() {
  std::vector<std::shared_ptr<ActiveJob>> recs;
  {
    std::lock_guard lock(hub_->active_mu);
    for (const auto& [k, rec] : hub_->active) recs.push_back(rec);
  }
  if (recs.empty()) return;
  const int64_t until = Ms(Now()) + options_.lease.count();
  std::vector<std::optional<leases::Held>> held;
  std::vector<bool> taken;
  core::Status st = db_.Write([&](store::Tx& tx) -> core::Status {
    held.assign(recs.size(), std::nullopt);
    taken.assign(recs.size(), false);
    for (size_t i = 0; i < recs.size(); ++i) {
      CW_ASSIGN_OR_RETURN(held[i], leases::Renew(tx, recs[i]->key, node_id_, until));
      // No lease of ours: the job just ended here (its worker released it), or another node
      // took it over.
      if (!held[i]) {
        CW_ASSIGN_OR_RETURN(bool other, leases::HeldByAnother(tx, recs[i]->key, node_id_));
        taken[i] = other;
      }
    }
    return core::Status::Ok();
  });
  if (!st.ok()) {
    spdlog::warn("jobs: cannot renew the leases of {} jobs: {}", recs.size(), st.error().text);
    return;
  }
  bool woke = false;
  for (size_t i = 0; i < recs.size(); ++i) {
    ActiveJob& rec = *recs[i];
    if (taken[i]) {
      // Another node ended it after our lease expired (this node stalled): stop, write nothing.
      if (!rec.lease_lost.exchange(true)) {
        spdlog::warn("jobs: job {} was taken over by another node; stopping it here", rec.key.Joined());
        rec.TerminateProcess();
        woke = true;
      }
    } else if (held[i]->cancel_requested && !rec.cancel_requested.exchange(true)) {
      // Canceled on another node: the process group stops here.
      rec.TerminateProcess();
      woke = true;
    }
  }
  if (woke) {
    hub_->sleepers.Notify();
    hub_->NotifyEvent();
  }
}

core::Status JobEngine::RecoverOrphans(bool take_over) {
  const core::SystemTime now = Now();
  const int64_t now_ms = Ms(now);
  // Taking over (a sole node restarting): every lease counts as expired, also our own.
  const int64_t free_at = take_over ? INT64_MAX : now_ms;
  if (!take_over) {
    bool any = false;
    CW_RETURN_IF_ERROR(db_.Read([&](store::Tx& tx) -> core::Status {
      CW_ASSIGN_OR_RETURN(any, leases::AnyOrphaned(tx, free_at));
      return core::Status::Ok();
    }));
    if (!any) return core::Status::Ok();
  }
  const std::string why = take_over ? "The server stopped while the job was running; the job was ended at restart."
                                    : "The server stopped while the job was running; the job was ended by node " +
                                          node_id_ + " after the lease of its node expired.";
  for (;;) {
    std::vector<Job> ended;
    int64_t claimed_count = 0;
    CW_RETURN_IF_ERROR(db_.Write([&](store::Tx& tx) -> core::Status {
      ended.clear();
      // Holds of staged cancels died with the previous process as well.
      if (take_over) CW_RETURN_IF_ERROR(leases::FreeWaitingLeases(tx));
      CW_ASSIGN_OR_RETURN(std::vector<Job> jobs, leases::ClaimOrphaned(tx, db_.dialect(), node_id_, free_at,
                                                                         now_ms + options_.lease.count(),
                                                                         kRecoveryBatch));
      claimed_count = static_cast<int64_t>(jobs.size());
      for (Job& j : jobs) {
        // Ours and still running here (a renewal came late): the claim just renewed it.
        if (hub_->FindActive(j.key) != nullptr) continue;
        // A cancel that was answered (status c) is kept: the job ends in C, as it would have
        // once its process stopped, and not in A, which a scheduler reruns.
        const bool canceling = j.status == JobStatus::kCanceling;
        const JobStatus end = canceling ? JobStatus::kCanceled : JobStatus::kFailed;
        Job after = j;
        for (StepRun& step : after.steps) {
          if (!IsActive(step.status)) continue;
          step.status = end;
          step.ended_at = now;
        }
        after.status = end;
        after.ended_at = now;
        CW_RETURN_IF_ERROR(repository::WriteChanges(tx, j, after, repository::LeaseChange::Release()));
        std::vector<LogLine> lines;
        if (canceling) {
          lines = {{0, 0, now, 'W', why + " It was being canceled."}, {0, 0, now, 'I', "Job ended with status C"}};
        } else {
          lines = {{0, 0, now, 'A', ApjText("001")}, {0, 0, now, 'E', why}};
        }
        CW_RETURN_IF_ERROR(repository::AppendLog(tx, j.key, std::move(lines)));
        ended.push_back(std::move(after));
      }
      return core::Status::Ok();
    }));
    for (Job& j : ended) {
      spdlog::warn("jobs: job {} ended in {}: its node stopped while it was running", j.key.Joined(), Letter(j.status));
      hub_->Published(std::make_shared<const Job>(std::move(j)));
    }
    if (claimed_count < kRecoveryBatch || ended.empty()) return core::Status::Ok();
  }
}

void JobEngine::Unclaim(const ActiveJob& rec) {
  core::Status st =
      db_.Write([&](store::Tx& tx) { return leases::Unclaim(tx, rec.key, node_id_, rec.start_seq); });
  if (!st.ok())
    spdlog::warn("jobs: cannot put job {} back in the queue: {} (it ends in A once its lease expired)",
                 rec.key.Joined(), st.error().text);
}

}  // namespace causeway::jobs
