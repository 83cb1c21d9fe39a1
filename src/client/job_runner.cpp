#include "client/job_runner.h"

#include <csignal>
#include <random>

#include "client/job_status.h"
#include "client/poll_backoff.h"

namespace causeway::client {

namespace {

using Clock = std::chrono::steady_clock;
using std::chrono::milliseconds;

milliseconds Since(Clock::time_point t) {
  return std::chrono::duration_cast<milliseconds>(Clock::now() - t);
}

// Current step (the running one, else the number of steps that ended) and the step count.
std::pair<int, int> StepProgress(const JobInfo& info) {
  int current = 0;
  for (const JobStepInfo& s : info.steps) {
    if (s.status == 'R') return {s.step, static_cast<int>(info.steps.size())};
    if (IsTerminalStatus(s.status)) current = s.step;
  }
  return {current, static_cast<int>(info.steps.size())};
}

std::string JobId(const ScheduledJob& job) { return job.job_name + "/" + job.job_run_count; }

// Sends JobCancel and waits (bounded) until the server no longer reports the job as pending.
// Returns the last status seen; 'D' when the job vanished (cancelled before it started).
char CancelAndConfirm(JobService& service, Sleeper& sleeper, ProgressReporter& progress,
                      const RunOptions& options, RunSummary& summary) {
  const ScheduledJob& job = summary.job;
  summary.cancel_requested = true;
  progress.Note("cancelling job " + JobId(job));
  // The cancel and the polls after it wait for answers within --cancel-wait, whatever the
  // request timeout: a hanging server must not hold a SIGTERM for minutes.
  service.SetDeadline(Clock::now() + options.cancel_wait);
  core::Status cancelled = service.Cancel(job.job_name, job.job_run_count);
  if (!cancelled.ok()) {
    if (IsJobGone(cancelled.error())) {
      summary.cancel_confirmed = true;
      return 'D';
    }
    progress.Note("JobCancel failed: " + cancelled.error().text);  // maybe it ended meanwhile
  }
  PollBackoff backoff(options.poll_initial, std::min(options.poll_max, milliseconds(2000)), 1.6,
                      0.2, options.jitter_seed ? options.jitter_seed : std::random_device{}());
  const auto started = Clock::now();
  char last = summary.final_status;
  for (;;) {
    core::Result<ScheduledJob> status = service.Status(job.job_name, job.job_run_count);
    if (status.ok()) {
      last = status->status;
      if (!IsPendingStatus(last) && last != '\0') {
        summary.cancel_confirmed = true;
        return last;
      }
    } else if (IsJobGone(status.error())) {
      summary.cancel_confirmed = true;
      return 'D';
    }
    if (Since(started) >= options.cancel_wait) return last;
    sleeper.SleepFor(std::min(backoff.Next(), options.cancel_wait));
  }
}

// Worth polling again: the connection, the server (5xx) or its answer (unreadable) failed.
bool IsTransientError(const core::Error& error) {
  return error.code == core::Code::kUnavailable || error.code == core::Code::kInternal ||
         error.code == core::Code::kNotImplemented;
}

// Why a job failed is in its log (the guide's advice: "check the application job log"): its
// last messages go to stderr and --log. Best effort: a server without JobHeaderSet (or one the
// user may not read) just shows none.
void NoteJobLog(JobService& service, ProgressReporter& progress, const ScheduledJob& job) {
  constexpr size_t kShown = 20;
  core::Result<std::vector<JobLogMessage>> log = service.Log(job.job_name, job.job_run_count);
  if (!log.ok() || log->empty()) return;
  const size_t first = log->size() > kShown ? log->size() - kShown : 0;
  if (first > 0)
    progress.Note("job log of " + JobId(job) + " (last " + std::to_string(kShown) + " of " +
                  std::to_string(log->size()) + " messages):");
  else
    progress.Note("job log of " + JobId(job) + ":");
  for (size_t i = first; i < log->size(); ++i) {
    const JobLogMessage& m = (*log)[i];
    progress.Note("  step " + std::to_string(m.step) + " " + std::string(1, m.type ? m.type : ' ') + " " + m.text);
  }
}

ExitCode ExitCodeForSignal(int sig) { return sig == SIGINT ? ExitCode::kSigInt : ExitCode::kSigTerm; }

void Finish(RunSummary& summary, Clock::time_point started) {
  summary.elapsed = Since(started);
  summary.ended_at = UtcNowIso();
}

}  // namespace

RunSummary RunJob(JobService& service, Sleeper& sleeper, ProgressReporter& progress,
                  const RunOptions& options) {
  RunSummary summary;
  summary.started_at = UtcNowIso();
  const auto started = Clock::now();

  // A stop that came while the client was starting (logon, token) schedules nothing.
  auto nothing_scheduled = [&](int sig) {
    summary.signal = sig;
    summary.exit_code = ExitCodeForSignal(sig);
    summary.message = "interrupted before the job was scheduled; nothing was scheduled";
    progress.Note(summary.message);
    Finish(summary, started);
    return summary;
  };
  if (int sig = sleeper.StopRequested(); sig != 0) return nothing_scheduled(sig);
  // Answers are waited for within --timeout (it counts from scheduling).
  if (options.timeout) service.SetDeadline(started + *options.timeout);
  core::Result<ScheduledJob> scheduled = service.Schedule(options.schedule);
  if (!scheduled.ok() && IsStoppedBeforeSending(scheduled.error())) return nothing_scheduled(sleeper.StopRequested());
  if (!scheduled.ok()) {
    summary.exit_code = ExitCodeForError(scheduled.error());
    summary.message = "scheduling failed: " + scheduled.error().text;
    // Sent but not answered (timeout, connection lost): the server may have scheduled it.
    if (scheduled.error().message_class == kMaybeSentClass)
      summary.message += "; the request may have reached the server: check with 'causeway job list' before a rerun";
    progress.Note(summary.message);
    Finish(summary, started);
    return summary;
  }
  summary.job = *scheduled;
  summary.final_status = scheduled->status;
  progress.Note("scheduled job " + JobId(summary.job) + " from template " +
                options.schedule.template_name);

  PollBackoff backoff(options.poll_initial, options.poll_max, 1.6, 0.2,
                      options.jitter_seed ? options.jitter_seed : std::random_device{}());
  char status = scheduled->status;
  bool fetch_info = true;
  // First of the current run of unreadable polls (a plain time point: GCC 12 misreads an
  // optional<time_point> here as maybe-uninitialized under -O2).
  Clock::time_point lost_since{};
  bool losing = false;
  for (;;) {
    if (int sig = sleeper.StopRequested(); sig != 0) {
      sleeper.AcknowledgeStop();
      summary.signal = sig;
      progress.Note("received signal " + std::to_string(sig));
      summary.final_status = CancelAndConfirm(service, sleeper, progress, options, summary);
      summary.exit_code = ExitCodeForSignal(sig);
      summary.message = std::string("interrupted; job ") + JobId(summary.job) +
                        (summary.cancel_confirmed ? " is no longer running (status " +
                                                        std::string(1, summary.final_status) + ")"
                                                  : " cancel not confirmed within the bound");
      break;
    }
    if (options.timeout && Since(started) >= *options.timeout) {
      if (options.leave_on_timeout) {
        summary.exit_code = ExitCode::kTimedOut;
        summary.message = "timed out; job " + JobId(summary.job) + " left running (status " +
                          std::string(1, status ? status : '?') + ")";
        break;
      }
      const char before_cancel = status;
      char final_status = CancelAndConfirm(service, sleeper, progress, options, summary);
      summary.final_status = final_status;
      // A is "Aborted (Failed or Canceled)" on IBP: after our own cancel it is the cancel,
      // unless the job had already ended as A before it was sent.
      bool ended_by_itself = final_status == 'F' || final_status == 'W' || final_status == 'U' ||
                             (final_status == 'A' && before_cancel == 'A');
      summary.exit_code = ended_by_itself ? ExitCodeForStatus(final_status) : ExitCode::kTimedOut;
      summary.message = ended_by_itself
                            ? "job " + JobId(summary.job) + " ended before the cancel took effect"
                            : "timed out; job " + JobId(summary.job) +
                                  (summary.cancel_confirmed ? " cancelled" : " cancel not confirmed");
      break;
    }

    core::Result<ScheduledJob> current = service.Status(summary.job.job_name,
                                                        summary.job.job_run_count);
    if (!current.ok() && IsJobGone(current.error())) {
      current = ScheduledJob{summary.job.job_name, summary.job.job_run_count, 'D'};  // deleted
    }
    // Unreadable (connection, 5xx, garbage) or an unknown status letter: keep polling, but
    // not for longer than lost_wait. Auth and other 4xx answers end the run at once.
    std::optional<core::Error> lost;
    if (!current.ok()) {
      if (sleeper.StopRequested() != 0) continue;  // the signal wins; cancel on the next turn
      if (!IsTransientError(current.error())) {
        summary.exit_code = ExitCodeForError(current.error());
        summary.message = "lost track of job " + JobId(summary.job) + " (last status " +
                          std::string(1, status ? status : '?') + "): " + current.error().text;
        break;
      }
      lost = current.error();
    } else if (!IsPendingStatus(current->status) && !IsTerminalStatus(current->status)) {
      lost = core::MakeError(core::Code::kInternal, "CLIENT", "",
                             "JobStatusGet returned an unknown status '" +
                                 std::string(current->status ? 1 : 0, current->status) + "'");
    }
    if (lost) {
      if (!losing) {
        losing = true;
        lost_since = Clock::now();
        progress.Note("cannot read the status of job " + JobId(summary.job) + ": " + lost->text +
                      "; retrying for up to " + std::to_string(options.lost_wait.count() / 1000) +
                      "s");
      }
      if (Since(lost_since) >= options.lost_wait) {
        summary.exit_code = ExitCodeForError(*lost);
        summary.message = "lost track of job " + JobId(summary.job) + " (last status " +
                          std::string(1, status ? status : '?') + ") for " +
                          std::to_string(Since(lost_since).count() / 1000) + "s: " + lost->text;
        break;
      }
      milliseconds wait = std::min(backoff.Next(), options.lost_wait);
      if (options.timeout) {
        milliseconds left = *options.timeout - Since(started);
        if (left < wait) wait = std::max(left, milliseconds(0));
      }
      sleeper.SleepFor(wait);
      continue;
    }
    if (losing) {
      progress.Note("status of job " + JobId(summary.job) + " readable again");
      losing = false;
    }
    if (current->status != status) {
      status = current->status;
      backoff.Reset();
      fetch_info = true;
    }
    summary.final_status = status;
    if (fetch_info || options.steps_every_poll || IsTerminalStatus(status)) {
      core::Result<JobInfo> info = service.Info(summary.job.job_name, summary.job.job_run_count);
      if (info.ok()) summary.info = std::move(*info);
      fetch_info = false;
    }
    auto [step, steps] = summary.info ? StepProgress(*summary.info) : std::pair<int, int>{0, 0};
    progress.Update(Since(started), JobId(summary.job), status, step, steps);
    if (IsTerminalStatus(status)) {
      if (status == 'A' || status == 'U') NoteJobLog(service, progress, summary.job);
      summary.exit_code = ExitCodeForStatus(status);
      summary.message = "job " + JobId(summary.job) + " ended with status " +
                        std::string(1, status) + " (" + std::string(StatusText(status)) + ")";
      break;
    }
    milliseconds wait = backoff.Next();
    if (options.timeout) {
      milliseconds left = *options.timeout - Since(started);
      if (left < wait) wait = std::max(left, milliseconds(0));
    }
    sleeper.SleepFor(wait);
  }
  progress.Note(summary.message);
  Finish(summary, started);
  return summary;
}

}  // namespace causeway::client
