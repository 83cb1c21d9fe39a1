// The worker side of JobEngine: the pool, the step loop and the step kinds.
#include <algorithm>
#include <charconv>

#include "core/log.h"
#include "domain/jobs/job_engine.h"
#include "domain/jobs/job_errors.h"
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

}  // namespace

void JobEngine::StartWorkers() {
  const int n = std::max(1, options_.workers);
  for (int i = 0; i < n; ++i) workers_.emplace_back([this] { WorkerLoop(); });
}

void JobEngine::Enqueue(std::shared_ptr<JobRecord> rec) {
  if (rec->enqueued.exchange(true)) return;
  {
    std::lock_guard lock(queue_mu_);
    queue_.push_back(std::move(rec));
  }
  queue_cv_.notify_one();
}

void JobEngine::WorkerLoop() {
  for (;;) {
    std::shared_ptr<JobRecord> rec;
    {
      std::unique_lock lock(queue_mu_);
      queue_cv_.wait(lock, [&] { return stopping_ || !queue_.empty(); });
      if (stopping_) return;  // waiting jobs stay Y in the store and run after the next start
      rec = std::move(queue_.front());
      queue_.pop_front();
    }
    RunJob(rec);
  }
}

void JobEngine::RunJob(const std::shared_ptr<JobRecord>& rec) {
  auto log_error = [&](const core::Status& st) {
    if (!st.ok()) spdlog::error("jobs: cannot persist job {}: {}", rec->Snapshot().key.Joined(), st.error().text);
  };
  {
    std::lock_guard tlock(rec->transition_mu);
    if (rec->removed || !IsWaiting(rec->Snapshot().status)) return;
    log_error(Transition(*rec, [&](Job& j, LogBuilder& log) {
      j.status = JobStatus::kRunning;
      j.started_at = clock_.Now();
      log.Add(0, 'I', "Job started");
    }));
  }
  const size_t step_count = rec->Snapshot().steps.size();
  bool stop = false;
  for (size_t i = 0; i < step_count && !stop; ++i) {
    Job job = rec->Snapshot();
    StepRun step = job.steps[i];
    if (step.status == JobStatus::kSkipped) continue;
    if (rec->cancel_requested || shutting_down_) break;
    {
      std::lock_guard tlock(rec->transition_mu);
      log_error(Transition(*rec, [&](Job& j, LogBuilder& log) {
        j.steps[i].status = JobStatus::kRunning;
        j.steps[i].started_at = clock_.Now();
        log.Add(step.step_nr, 'I',
                "Step " + std::to_string(step.step_nr) + " started (" + StepKindName(step.definition.kind) +
                    (step.definition.catalog_entry_name.empty() ? "" : ", " + step.definition.catalog_entry_name) +
                    ")");
      }));
      job = rec->Snapshot();
    }
    StepOutcome outcome = ExecuteStep(*rec, job, job.steps[i]);
    stop = outcome.status != JobStatus::kFinished && outcome.status != JobStatus::kWarning;
    std::lock_guard tlock(rec->transition_mu);
    log_error(Transition(*rec, [&](Job& j, LogBuilder& log) {
      StepRun& s = j.steps[i];
      s.status = outcome.status;
      s.app_rc = outcome.app_rc;
      s.ended_at = clock_.Now();
      for (auto& [type, text] : outcome.log) log.Add(s.step_nr, type, std::move(text));
      log.Add(s.step_nr, outcome.status == JobStatus::kFinished ? 'S' : 'W',
              "Step " + std::to_string(s.step_nr) + " ended with status " + std::string(1, Letter(s.status)) +
                  ", return code " + std::to_string(s.app_rc));
    }));
  }
  std::lock_guard tlock(rec->transition_mu);
  log_error(Transition(*rec, [&](Job& j, LogBuilder& log) {
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
    if (rec->cancel_requested) {
      j.status = JobStatus::kCanceled;
    } else if (failure != JobStatus::kFinished) {
      j.status = failure;
    } else if (shutting_down_ && std::any_of(j.steps.begin(), j.steps.end(), [](const StepRun& s) {
                 return s.status == JobStatus::kReady;
               })) {
      j.status = JobStatus::kFailed;  // stopped between steps by a server shutdown
      log.Add(0, 'A', ApjText("001"));
    } else {
      j.status = warning ? JobStatus::kWarning : JobStatus::kFinished;
    }
    j.app_rc = rc;
    j.ended_at = clock_.Now();
    if (j.status == JobStatus::kFinished) log.Add(0, 'S', ApjText("026"));
    log.Add(0, 'I', "Job ended with status " + std::string(1, Letter(j.status)));
  }));
}

JobEngine::StepOutcome JobEngine::ExecuteStep(JobRecord& rec, const Job& job, const StepRun& step) {
  switch (step.definition.kind) {
    case StepKind::kNoop:
      return {JobStatus::kFinished, 0, {{'I', "Nothing to do (noop)"}}};
    case StepKind::kFail:
      return {JobStatus::kFailed, 0, {{'E', "Step failed (built-in 'fail')"}}};
    case StepKind::kSleep:
      return RunSleep(rec, job, step);
    case StepKind::kLogCleanup:
      return RunLogCleanup(job, step);
    case StepKind::kCommand:
      return RunCommand(rec, job, step);
  }
  return {JobStatus::kFailed, 0, {{'E', "Unknown step kind"}}};
}

JobEngine::StepOutcome JobEngine::RunSleep(JobRecord& rec, const Job& job, const StepRun& step) {
  const std::string& param = step.definition.sleep_parameter;
  std::optional<int64_t> seconds = ParameterNumber(job, step.step_nr, param);
  if (!seconds) {
    if (HasParameter(job, step.step_nr, param))
      return {JobStatus::kUserError, 0, {{'E', "Parameter " + param + " must be a whole number of seconds"}}};
    seconds = 0;
  }
  // The deadline is in Clock time from the recorded step start, so a virtual clock can
  // fast-forward a long sleep.
  const core::SystemTime until = step.started_at.value_or(clock_.Now()) + std::chrono::seconds(*seconds);
  std::unique_lock lock(wake_mu_);
  for (;;) {
    if (rec.cancel_requested) return {JobStatus::kCanceled, 0, {{'W', "Sleep interrupted by cancel"}}};
    if (shutting_down_) return {JobStatus::kFailed, 0, {{'A', "Sleep interrupted by server shutdown"}}};
    const core::SystemTime now = clock_.Now();
    if (now >= until) break;
    auto remaining = std::chrono::duration_cast<std::chrono::milliseconds>(until - now);
    wake_cv_.wait_for(lock, std::min(remaining, options_.clock_poll));
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

JobEngine::StepOutcome JobEngine::RunCommand(JobRecord& rec, const Job& job, const StepRun& step) {
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
    if (rec.cancel_requested || shutting_down_) process->Terminate();
  }
  NotifyEvent();  // "process started" is an event waiters (tests, sandbox) may be looking for
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
