// The worker side of JobEngine: the pool, the step loop and the step kinds.
#include <algorithm>
#include <charconv>

#include "core/log.h"
#include "domain/jobs/job_engine.h"
#include "domain/jobs/job_errors.h"
#include "domain/jobs/job_leases.h"
#include "domain/jobs/job_record.h"

namespace causeway::jobs {
namespace {

// Documented in README.md ("Exit codes").
constexpr int kExitWarning = 3;
constexpr int kExitUserError = 4;

std::optional<int64_t> ParameterNumber(const Job& job, int step_nr, std::string_view name) {
  for (const auto& p : job.parameters) {
    if (p.step_nr != step_nr || p.name != name || p.ranges.empty()) continue;
    const std::string& low = p.ranges.front().low;
    int64_t n = 0;
    auto [ptr, ec] = std::from_chars(low.data(), low.data() + low.size(), n);
    if (ec != std::errc() || ptr != low.data() + low.size() || n < 0) return std::nullopt;
    return n;
  }
  return std::nullopt;
}

bool HasParameter(const Job& job, int step_nr, std::string_view name) {
  for (const auto& p : job.parameters)
    if (p.step_nr == step_nr && p.name == name && !p.ranges.empty() && !p.ranges.front().low.empty()) return true;
  return false;
}

// Built-ins that end at once: their start and end are written together with what follows.
// Every other step's start is written before it runs, so readers see it running.
bool Instant(StepKind kind) { return kind == StepKind::kNoop || kind == StepKind::kFail; }

bool Ran(JobStatus s) { return s == JobStatus::kFinished || s == JobStatus::kWarning; }

core::Error LeaseLost(const JobKey& key) {
  return JobsError(core::Code::kConflict, "001", "job &1 is no longer leased to this node", {key.Joined()});
}

}  // namespace

void JobEngine::WorkerLoop() {
  for (;;) {
    std::shared_ptr<ActiveJob> rec;
    {
      std::unique_lock lock(queue_mu_);
      queue_cv_.wait(lock, [&] { return stopping_ || !queue_.empty(); });
      // Claimed jobs still queued at shutdown go back to the store's queue (~JobEngine).
      if (stopping_) return;
      rec = std::move(queue_.front());
      queue_.pop_front();
    }
    RunJob(rec);
  }
}

core::Status JobEngine::Transition(ActiveJob& rec, const Job& working, const std::vector<LogLine>& lines,
                                   const Mutation& last, bool release) {
  Job before;
  {
    std::lock_guard lock(rec.state_mu);
    before = rec.job;
  }
  const core::SystemTime now = Now();
  const int64_t until = core::ToUnixMillis(now) + options_.lease.count();
  Job after;
  bool lost = false;
  bool cancel_seen = false;
  core::Status st = db_.Write([&](store::Tx& tx) -> core::Status {
    lost = false;
    // Renewing the lease locks the job's row: a cancel (another transaction) waits for this one
    // or this one for it, and the status read here is current.
    CW_ASSIGN_OR_RETURN(std::optional<leases::Held> held, leases::Renew(tx, rec.key, node_id_, until));
    if (!held) {
      lost = true;
      return LeaseLost(rec.key);
    }
    cancel_seen = held->cancel_requested;
    after = working;
    // A cancel stored c; never write R over it.
    if (held->status == JobStatus::kCanceling && after.status == JobStatus::kRunning)
      after.status = JobStatus::kCanceling;
    std::vector<LogLine> all = lines;
    if (last) {
      LogBuilder log(now);
      last(after, log, cancel_seen || rec.cancel_requested);
      all.insert(all.end(), log.lines().begin(), log.lines().end());
    }
    CW_RETURN_IF_ERROR(repository::WriteChanges(
        tx, before, after, release ? repository::LeaseChange::Release() : repository::LeaseChange::Keep()));
    CW_RETURN_IF_ERROR(repository::AppendLog(tx, rec.key, all));
    return core::Status::Ok();
  });
  if (!st.ok()) {
    if (lost) rec.lease_lost = true;
    return st;
  }
  if (cancel_seen && !rec.cancel_requested.exchange(true)) rec.TerminateProcess();
  {
    std::lock_guard lock(rec.state_mu);
    rec.job = std::move(after);
  }
  hub_->NotifyEvent();
  return core::Status::Ok();
}

void JobEngine::RunJob(const std::shared_ptr<ActiveJob>& rec) {
  ActiveJob& r = *rec;
  Job working;
  {
    std::lock_guard lock(r.state_mu);
    working = r.job;
  }
  // Transitions not written yet: consecutive instant steps and the job's end share one write.
  std::vector<LogLine> pending;
  auto flush = [&] {
    core::Status st = Transition(r, working, pending, nullptr, /*release=*/false);
    if (st.ok()) pending.clear();
    else if (!r.lease_lost) spdlog::error("jobs: cannot persist job {}: {}", r.key.Joined(), st.error().text);
    // On a store error the changes stay pending and go with the next write.
  };
  bool stop = false;
  for (size_t i = 0; i < working.steps.size() && !stop; ++i) {
    if (working.steps[i].status == JobStatus::kSkipped) continue;
    if (r.cancel_requested || r.lease_lost || shutting_down_) break;
    pending.push_back(StepStarted(working.steps[i], Now()));
    if (!Instant(working.steps[i].definition.kind)) flush();
    if (r.lease_lost) break;
    StepOutcome outcome = ExecuteStep(r, working, working.steps[i]);
    stop = !Ran(outcome.status);
    StepEnded(working.steps[i], std::move(outcome), Now(), pending);
  }
  if (r.lease_lost) {
    // Another node ended the job after this node's lease expired; its state is theirs now.
    Finish(rec, /*publish=*/false);
    return;
  }
  const bool shutting_down = shutting_down_;
  core::Status st = Transition(
      r, working, pending,
      [&](Job& j, LogBuilder& log, bool cancel_requested) { EndJob(j, log, cancel_requested, shutting_down); },
      /*release=*/true);
  if (!st.ok() && !r.lease_lost)
    spdlog::error("jobs: cannot persist the end of job {}: {} (it ends in A once its lease expired)", r.key.Joined(),
                  st.error().text);
  Finish(rec, /*publish=*/st.ok());
}

LogLine JobEngine::StepStarted(StepRun& step, core::SystemTime now) {
  step.status = JobStatus::kRunning;
  step.started_at = now;
  return {0, step.step_nr, now, 'I',
          "Step " + std::to_string(step.step_nr) + " started (" + StepKindName(step.definition.kind) +
              (step.definition.catalog_entry_name.empty() ? "" : ", " + step.definition.catalog_entry_name) + ")"};
}

void JobEngine::StepEnded(StepRun& step, StepOutcome outcome, core::SystemTime now, std::vector<LogLine>& lines) {
  step.status = outcome.status;
  step.app_rc = outcome.app_rc;
  step.ended_at = now;
  for (auto& [type, text] : outcome.log) lines.push_back({0, step.step_nr, now, type, std::move(text)});
  lines.push_back({0, step.step_nr, now, outcome.status == JobStatus::kFinished ? 'S' : 'W',
                   "Step " + std::to_string(step.step_nr) + " ended with status " + std::string(1, Letter(step.status)) +
                       ", return code " + std::to_string(step.app_rc)});
}

void JobEngine::EndJob(Job& j, LogBuilder& log, bool cancel_requested, bool shutting_down) {
  bool warning = false;
  JobStatus failure = JobStatus::kFinished;
  int rc = 0;
  for (const StepRun& s : j.steps) {
    rc = std::max(rc, s.app_rc);
    if (s.status == JobStatus::kWarning) warning = true;
    if ((s.status == JobStatus::kFailed || s.status == JobStatus::kUserError || s.status == JobStatus::kCanceled) &&
        failure == JobStatus::kFinished)
      failure = s.status;
  }
  if (cancel_requested) {
    j.status = JobStatus::kCanceled;
  } else if (failure != JobStatus::kFinished) {
    j.status = failure;
  } else if (shutting_down && std::any_of(j.steps.begin(), j.steps.end(), [](const StepRun& s) {
               return s.status == JobStatus::kReady;
             })) {
    j.status = JobStatus::kFailed;  // stopped between steps by a server shutdown
    log.Add(0, 'A', ApjText("001"));
  } else {
    j.status = warning ? JobStatus::kWarning : JobStatus::kFinished;
  }
  j.app_rc = rc;
  j.ended_at = log.now();
  if (j.status == JobStatus::kFinished) log.Add(0, 'S', ApjText("026"));
  log.Add(0, 'I', "Job ended with status " + std::string(1, Letter(j.status)));
}

bool JobEngine::RunsInstantly(const Job& job) {
  return std::all_of(job.steps.begin(), job.steps.end(), [](const StepRun& s) {
    return s.status == JobStatus::kSkipped || Instant(s.definition.kind);
  });
}

void JobEngine::RunInstantly(Job& job, std::vector<LogLine>& lines) const {
  // The worker's step loop and end (RunJob) without a process, a wait or a write in between:
  // the same statuses, times and lines in the same order.
  for (StepRun& step : job.steps) {
    if (step.status == JobStatus::kSkipped) continue;
    lines.push_back(StepStarted(step, Now()));
    StepOutcome outcome = InstantOutcome(step.definition.kind);
    const bool stop = !Ran(outcome.status);
    StepEnded(step, std::move(outcome), Now(), lines);
    if (stop) break;
  }
  LogBuilder log(Now());
  EndJob(job, log, /*cancel_requested=*/false, /*shutting_down=*/false);
  lines.insert(lines.end(), log.lines().begin(), log.lines().end());
}

JobEngine::StepOutcome JobEngine::InstantOutcome(StepKind kind) {
  if (kind == StepKind::kFail) return {JobStatus::kFailed, 0, {{'E', "Step failed (built-in 'fail')"}}};
  return {JobStatus::kFinished, 0, {{'I', "Nothing to do (noop)"}}};
}

void JobEngine::Finish(const std::shared_ptr<ActiveJob>& rec, bool publish) {
  // Cached before it leaves the active set, so that reads never fall back to an older state.
  if (publish && hub_->cache) hub_->cache->Publish(std::make_shared<const Job>(rec->Snapshot()));
  hub_->RemoveActive(rec->key);
  hub_->NotifyEvent();
  hub_->dispatch.Notify();  // a slot is free
}

JobEngine::StepOutcome JobEngine::ExecuteStep(ActiveJob& rec, const Job& job, const StepRun& step) {
  switch (step.definition.kind) {
    case StepKind::kNoop:
    case StepKind::kFail:
      return InstantOutcome(step.definition.kind);
    case StepKind::kSleep:
      return RunSleep(rec, job, step);
    case StepKind::kLogCleanup:
      return RunLogCleanup(job, step);
    case StepKind::kCommand:
      return RunCommand(rec, job, step);
  }
  return {JobStatus::kFailed, 0, {{'E', "Unknown step kind"}}};
}

JobEngine::StepOutcome JobEngine::RunSleep(ActiveJob& rec, const Job& job, const StepRun& step) {
  const std::string& param = step.definition.sleep_parameter;
  std::optional<int64_t> seconds = ParameterNumber(job, step.step_nr, param);
  if (!seconds) {
    if (HasParameter(job, step.step_nr, param))
      return {JobStatus::kUserError, 0, {{'E', "Parameter " + param + " must be a whole number of seconds"}}};
    seconds = 0;
  }
  // The deadline is in Clock time from the recorded step start, so a virtual clock can
  // fast-forward a long sleep: the alarm wakes when the clock moves past it.
  const core::SystemTime until = step.started_at.value_or(Now()) + std::chrono::seconds(*seconds);
  core::Alarm& alarm = hub_->sleepers;
  for (;;) {
    const uint64_t armed = alarm.Arm();
    if (rec.cancel_requested) return {JobStatus::kCanceled, 0, {{'W', "Sleep interrupted by cancel"}}};
    if (rec.lease_lost) return {JobStatus::kFailed, 0, {{'A', "Sleep interrupted: another node took the job over"}}};
    if (shutting_down_) return {JobStatus::kFailed, 0, {{'A', "Sleep interrupted by server shutdown"}}};
    if (clock_.Now() >= until) break;
    alarm.WaitUntil(until, armed);
  }
  return {JobStatus::kFinished, 0, {{'I', "Slept " + std::to_string(*seconds) + " s"}}};
}

JobEngine::StepOutcome JobEngine::RunLogCleanup(const Job& job, const StepRun& step) {
  const std::string& param = step.definition.days_parameter;
  std::optional<int64_t> days = ParameterNumber(job, step.step_nr, param);
  if (!days) {
    if (HasParameter(job, step.step_nr, param))
      return {JobStatus::kUserError, 0, {{'E', "Parameter " + param + " must be a whole number of days"}}};
    days = 30;
  }
  auto deleted = CleanupFinishedJobs(std::chrono::hours(24 * *days));
  if (!deleted.ok()) return {JobStatus::kFailed, 0, {{'E', "Log cleanup failed: " + deleted.error().text}}};
  return {JobStatus::kFinished, 0,
          {{'I', "Deleted " + std::to_string(deleted.value()) + " finished jobs older than " + std::to_string(*days) +
                     " days with their logs"}}};
}

JobEngine::StepOutcome JobEngine::RunCommand(ActiveJob& rec, const Job& job, const StepRun& step) {
  const StepDefinition& def = step.definition;
  ProcessSpec spec;
  spec.argv = def.argv;
  spec.working_dir = def.working_dir;
  spec.timeout = def.timeout;
  spec.output_limit = options_.step_output_limit;
  auto set_env = [&](const std::string& k, const std::string& v) {
    auto it = std::find_if(spec.env.begin(), spec.env.end(), [&](const auto& e) { return e.first == k; });
    if (it != spec.env.end()) it->second = v;
    else spec.env.emplace_back(k, v);
  };
  for (const auto& [k, v] : options_.base_env) set_env(k, v);
  for (const auto& [k, v] : def.env) set_env(k, v);
  set_env("CW_JOB_NAME", job.key.name);
  set_env("CW_JOB_RUN_COUNT", job.key.run_count);
  set_env("CW_JOB_USER", job.job_user);
  set_env("CW_JOB_TEMPLATE", job.template_name);
  set_env("CW_JOB_TEXT", job.text);
  set_env("CW_STEP_NR", std::to_string(step.step_nr));
  std::vector<ParameterValue> mine;
  for (const auto& p : job.parameters)
    if (p.step_nr == step.step_nr) mine.push_back(p);
  for (const auto& [k, v] : ParameterEnvironment(mine)) set_env(k, v);

  auto started = runner_.Start(spec);
  if (!started.ok()) return {JobStatus::kFailed, 127, {{'E', started.error().text}}};
  std::unique_ptr<RunningProcess> process = std::move(started).value();
  {
    std::lock_guard lock(rec.process_mu);
    rec.process = process.get();
    // A cancel that came in between the step start and here found no process to stop.
    if (rec.cancel_requested || rec.lease_lost || shutting_down_) process->Terminate();
  }
  hub_->NotifyEvent();  // "process started" is an event waiters (tests, sandbox) may be looking for
  StepOutcome out;
  out.log.emplace_back('I', "Process " + std::to_string(process->Pid()) + " started: " + def.argv.front());
  ProcessOutcome po = process->Wait();
  {
    std::lock_guard lock(rec.process_mu);
    rec.process = nullptr;
  }
  for (auto& line : po.lines) out.log.emplace_back(line.is_stderr ? 'W' : 'I', std::move(line.text));
  if (po.dropped_bytes > 0)
    out.log.emplace_back('W', "Output truncated: " + std::to_string(po.dropped_bytes) + " bytes beyond the limit of " +
                                  std::to_string(options_.step_output_limit) + " bytes were not kept");
  switch (po.end) {
    case ProcessOutcome::End::kTerminated:
      out.app_rc = po.signal != 0 ? 128 + po.signal : po.exit_code;
      if (rec.cancel_requested) {
        out.status = JobStatus::kCanceled;
        out.log.emplace_back('W', "Process group terminated on cancel");
      } else if (rec.lease_lost) {
        out.status = JobStatus::kFailed;
        out.log.emplace_back('A', "Process group terminated: another node took the job over");
      } else {
        out.status = JobStatus::kFailed;
        out.log.emplace_back('A', "Process group terminated: server shutdown");
      }
      break;
    case ProcessOutcome::End::kTimedOut:
      out.status = JobStatus::kFailed;
      out.app_rc = po.signal != 0 ? 128 + po.signal : po.exit_code;
      out.log.emplace_back('E', "Timeout after " + std::to_string(def.timeout.count()) + " s; process group terminated");
      break;
    case ProcessOutcome::End::kSignaled:
      out.status = JobStatus::kFailed;
      out.app_rc = 128 + po.signal;
      out.log.emplace_back('E', "Process killed by signal " + std::to_string(po.signal));
      break;
    case ProcessOutcome::End::kExited:
      out.app_rc = po.exit_code;
      if (po.exit_code == 0) out.status = JobStatus::kFinished;
      else if (po.exit_code == kExitWarning) out.status = JobStatus::kWarning;
      else if (po.exit_code == kExitUserError) out.status = JobStatus::kUserError;
      else out.status = JobStatus::kFailed;
      if (po.exit_code != 0) out.log.emplace_back('E', "Process exited with code " + std::to_string(po.exit_code));
      break;
  }
  return out;
}

}  // namespace causeway::jobs
