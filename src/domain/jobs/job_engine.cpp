#include "domain/jobs/job_engine.h"

#include <algorithm>

#include "core/ascii.h"
#include "core/log.h"
#include "domain/jobs/job_errors.h"
#include "domain/jobs/job_record.h"
#include "domain/jobs/parameter_resolution.h"

namespace causeway::jobs {
namespace {

// '*' matches any run of characters; everything else literally (optionally ignoring case).
bool WildcardMatch(std::string_view pattern, std::string_view s, bool ignore_case) {
  size_t p = 0, i = 0, star = std::string_view::npos, mark = 0;
  auto eq = [&](char a, char b) { return ignore_case ? core::AsciiUpper(a) == core::AsciiUpper(b) : a == b; };
  while (i < s.size()) {
    if (p < pattern.size() && pattern[p] == '*') {
      star = p++;
      mark = i;
    } else if (p < pattern.size() && eq(pattern[p], s[i])) {
      ++p;
      ++i;
    } else if (star != std::string_view::npos) {
      p = star + 1;
      i = ++mark;
    } else {
      return false;
    }
  }
  while (p < pattern.size() && pattern[p] == '*') ++p;
  return p == pattern.size();
}

bool FieldMatches(std::string_view filter, std::string_view value, bool ignore_case = false) {
  return filter.empty() || WildcardMatch(filter, value, ignore_case);
}

}  // namespace

JobEngine::JobEngine(store::Database& db, const core::Clock& clock, ProcessRunner& runner,
                     const UserDirectory& users, EngineOptions options)
    : db_(db), repo_(db), clock_(clock), runner_(runner), users_(users), options_(std::move(options)) {}

core::Result<std::unique_ptr<JobEngine>> JobEngine::Open(store::Database& db, const core::Clock& clock,
                                                         ProcessRunner& runner, const UserDirectory& users,
                                                         std::vector<JobTemplate> config_templates,
                                                         EngineOptions options) {
  CW_RETURN_IF_ERROR(store::Migrate(db, JobMigrations()));
  std::unique_ptr<JobEngine> engine(new JobEngine(db, clock, runner, users, std::move(options)));
  CW_RETURN_IF_ERROR(engine->Load(std::move(config_templates)));
  engine->StartWorkers();
  return engine;
}

JobEngine::~JobEngine() {
  shutting_down_ = true;
  {
    std::lock_guard lock(queue_mu_);
    stopping_ = true;
  }
  queue_cv_.notify_all();
  // Terminate running processes so that workers return promptly; their jobs end in A.
  {
    std::shared_lock lock(index_mu_);
    for (auto& [k, rec] : index_) {
      std::lock_guard plock(rec->process_mu);
      if (rec->process != nullptr) rec->process->Terminate();
    }
  }
  {
    std::lock_guard lock(wake_mu_);
  }
  wake_cv_.notify_all();
  for (auto& t : workers_) t.join();
}

core::Status JobEngine::Load(std::vector<JobTemplate> config_templates) {
  CW_ASSIGN_OR_RETURN(auto stored_templates, repo_.LoadTemplates());
  for (auto& t : stored_templates) templates_[t.name] = std::move(t);
  // Config is the source of truth for the templates it names; run-time edits of those last
  // until the next start. Zero timestamps in config keep the stored ones.
  const core::SystemTime now = clock_.Now();
  for (auto& t : config_templates) {
    if (auto it = templates_.find(t.name); it != templates_.end()) {
      if (t.created_at == core::SystemTime{}) t.created_at = it->second.created_at;
      if (t.changed_at == core::SystemTime{}) t.changed_at = it->second.changed_at;
    }
    if (t.created_at == core::SystemTime{}) t.created_at = now;
    if (t.changed_at == core::SystemTime{}) t.changed_at = t.created_at;
    CW_RETURN_IF_ERROR(repo_.UpsertTemplate(t));
    templates_[t.name] = std::move(t);
    templates_version_.fetch_add(1, std::memory_order_acq_rel);
  }

  CW_ASSIGN_OR_RETURN(auto stored_jobs, repo_.LoadJobs());
  std::vector<std::shared_ptr<JobRecord>> waiting;
  for (auto& s : stored_jobs) {
    auto rec = std::make_shared<JobRecord>();
    rec->job = std::move(s.job);
    rec->last_log_seq = s.last_log_seq;
    if (IsActive(rec->job.status)) {
      // The process that ran this job is gone with the previous server process.
      CW_RETURN_IF_ERROR(Transition(*rec, [&](Job& j, LogBuilder& log) {
        for (StepRun& step : j.steps) {
          if (!IsActive(step.status)) continue;
          step.status = JobStatus::kFailed;
          step.ended_at = now;
        }
        j.status = JobStatus::kFailed;
        j.ended_at = now;
        log.Add(0, 'A', ApjText("001"));
        log.Add(0, 'E', "The server stopped while the job was running; the job was ended at restart.");
      }));
    } else if (IsWaiting(rec->job.status)) {
      waiting.push_back(rec);
    }
    index_[IndexKey(rec->job.key)] = std::move(rec);
  }
  std::sort(waiting.begin(), waiting.end(),
            [](const auto& a, const auto& b) { return a->job.created_at < b->job.created_at; });
  for (auto& rec : waiting) Enqueue(rec);
  return core::Status::Ok();
}

// --- templates ---

std::vector<JobTemplate> JobEngine::Templates() const {
  std::shared_lock lock(templates_mu_);
  std::vector<JobTemplate> out;
  out.reserve(templates_.size());
  for (const auto& [name, t] : templates_) out.push_back(t);
  return out;
}

core::Result<JobTemplate> JobEngine::FindTemplate(std::string_view name) const {
  std::shared_lock lock(templates_mu_);
  auto it = templates_.find(name);
  if (it == templates_.end()) return TemplateNotFound(std::string(name));
  return it->second;
}

core::Result<JobEngine::UpsertedTemplate> JobEngine::UpsertTemplate(JobTemplate t, std::string_view actor) {
  CW_RETURN_IF_ERROR(ValidateTemplate(t));
  std::lock_guard write_lock(template_write_mu_);
  const core::SystemTime now = clock_.Now();
  bool created = false;
  {
    std::shared_lock lock(templates_mu_);
    if (auto it = templates_.find(t.name); it != templates_.end()) {
      t.created_at = it->second.created_at;
      t.created_by = it->second.created_by;
    } else {
      created = true;
      t.created_at = now;
      t.created_by = std::string(actor);
    }
  }
  t.changed_at = now;
  t.changed_by = std::string(actor);
  CW_RETURN_IF_ERROR(repo_.UpsertTemplate(t));
  UpsertedTemplate out{t, created};
  std::unique_lock lock(templates_mu_);
  templates_[t.name] = std::move(t);
  templates_version_.fetch_add(1, std::memory_order_acq_rel);
  return out;
}

core::Status JobEngine::DeleteTemplate(std::string_view name) {
  std::lock_guard write_lock(template_write_mu_);
  bool existed = false;
  CW_RETURN_IF_ERROR(repo_.DeleteTemplate(name, &existed));
  std::unique_lock lock(templates_mu_);
  auto it = templates_.find(name);
  if (it == templates_.end() && !existed) return TemplateNotFound(std::string(name));
  if (it != templates_.end()) templates_.erase(it);
  templates_version_.fetch_add(1, std::memory_order_acq_rel);
  return core::Status::Ok();
}

core::Result<std::vector<ParameterValue>> JobEngine::TemplateParameterValues(std::string_view template_name) const {
  CW_ASSIGN_OR_RETURN(JobTemplate t, FindTemplate(template_name));
  return TemplateDefaults(t);
}

// --- scheduling ---

core::Result<ScheduleRequest> JobEngine::ValidateSchedule(const Caller& caller, const ScheduleRequest& req,
                                                          JobTemplate* tmpl, std::string* job_user) const {
  CW_ASSIGN_OR_RETURN(*tmpl, FindTemplate(req.template_name));
  *job_user = req.job_user.empty() ? caller.user : req.job_user;
  // A caller may always run jobs as itself; anyone else must be an existing business user.
  if (*job_user != caller.user && !users_.IsBusinessUser(*job_user)) return InvalidUser(*job_user);
  if (!caller.all_jobs && !tmpl->allowed_users.empty() &&
      std::find(tmpl->allowed_users.begin(), tmpl->allowed_users.end(), *job_user) == tmpl->allowed_users.end())
    return NoAuthReport(*job_user, tmpl->report_name.empty() ? tmpl->name : tmpl->report_name);
  return req;
}

namespace {
// JobParameterValues first, then JobParameterValuesSimple on top (same parameter: Simple wins).
core::Result<std::vector<ParameterValue>> SuppliedValues(const ScheduleRequest& req) {
  CW_ASSIGN_OR_RETURN(auto values, ParseParameterValues(req.parameter_values));
  CW_ASSIGN_OR_RETURN(auto simple, ParseParameterValues(req.parameter_values_simple));
  for (auto& s : simple) {
    std::erase_if(values, [&](const ParameterValue& v) { return v.name == s.name && v.step_nr == s.step_nr; });
    values.push_back(std::move(s));
  }
  return values;
}
}  // namespace

core::Result<ScheduleResult> JobEngine::Schedule(const Caller& caller, const ScheduleRequest& req) {
  JobTemplate tmpl;
  std::string job_user;
  CW_RETURN_IF_ERROR(ValidateSchedule(caller, req, &tmpl, &job_user));
  CW_ASSIGN_OR_RETURN(auto supplied, SuppliedValues(req));
  ResolvedParameters resolved = ResolveParameters(tmpl, supplied);
  if (!resolved.errors.empty()) {
    core::Error e = SchedulingFailed(resolved.errors.front());
    for (size_t i = 1; i < resolved.errors.size(); ++i)
      e.details.push_back({.code = "APJ_RT/032", .message = resolved.errors[i], .target = "",
                           .severity = core::Severity::kError});
    return e;
  }

  const core::SystemTime now = clock_.Now();
  Job job;
  do {
    job.key = GenerateJobKey();
  } while (Find(job.key) != nullptr);
  job.text = req.text.empty() ? tmpl.text : req.text;
  job.template_name = tmpl.name;
  job.template_text = tmpl.text;
  job.report_name = tmpl.report_name;
  job.job_user = job_user;
  job.creator = caller.user;
  job.status = JobStatus::kReady;
  job.created_at = now;
  job.planned_start = now;
  for (size_t i = 0; i < tmpl.steps.size(); ++i) {
    StepRun s;
    s.step_nr = static_cast<int>(i + 1);
    s.definition = tmpl.steps[i];
    s.status = JobStatus::kReady;
    job.steps.push_back(std::move(s));
  }
  job.parameters = std::move(resolved.values);

  ScheduleResult result;
  std::vector<LogLine> log;
  int64_t seq = 0;
  for (const auto& name : resolved.removed_read_only) {
    result.warnings.push_back(core::SubstituteMessageVars(ApjText("074"), {name}));
    log.push_back({++seq, 0, now, 'W', result.warnings.back()});
  }
  log.push_back({++seq, 0, now, 'S', core::SubstituteMessageVars(ApjText("013"), {job.text})});
  log.push_back({++seq, 0, now, 'I', "Scheduled by " + caller.user + " to run as " + job_user});
  const JobKey key = job.key;
  CW_RETURN_IF_ERROR(Insert(std::move(job), std::move(log)));
  auto rec = Find(key);
  result.job = rec->Snapshot();
  return result;
}

core::Result<ScheduleCheck> JobEngine::CheckSchedule(const Caller& caller, const ScheduleRequest& req) const {
  JobTemplate tmpl;
  std::string job_user;
  CW_RETURN_IF_ERROR(ValidateSchedule(caller, req, &tmpl, &job_user));
  ScheduleCheck out;
  for (const auto& p : tmpl.parameters) out.dynamic_properties.push_back({p.name, p.hidden, p.read_only});
  out.parameter_values = req.parameter_values;
  auto supplied = SuppliedValues(req);
  if (!supplied.ok()) {
    out.messages.push_back(supplied.error().details.empty() ? supplied.error().text
                                                            : supplied.error().details.front().message);
    return out;
  }
  ResolvedParameters resolved = ResolveParameters(tmpl, supplied.value());
  out.successful = resolved.errors.empty();
  out.messages = resolved.errors;
  for (const auto& name : resolved.removed_read_only)
    out.messages.push_back(core::SubstituteMessageVars(ApjText("074"), {name}));
  out.changed = !resolved.removed_read_only.empty();
  if (out.changed) out.parameter_values = FormatParameterValues(resolved.values);
  return out;
}

core::Status JobEngine::Insert(Job job, std::vector<LogLine> log) {
  CW_RETURN_IF_ERROR(repo_.InsertJob(job, log));
  auto rec = std::make_shared<JobRecord>();
  rec->last_log_seq = log.empty() ? 0 : log.back().seq;
  const std::string key = IndexKey(job.key);
  rec->job = std::move(job);
  {
    std::unique_lock lock(index_mu_);
    index_[key] = rec;
  }
  Enqueue(std::move(rec));
  NotifyEvent();
  return core::Status::Ok();
}

// --- reads ---

std::shared_ptr<JobEngine::JobRecord> JobEngine::Find(const JobKey& key) const {
  std::shared_lock lock(index_mu_);
  auto it = index_.find(IndexKey(key));
  return it == index_.end() ? nullptr : it->second;
}

bool JobEngine::Visible(const Caller& caller, const Job& job) const {
  return caller.all_jobs || job.creator == caller.user;
}

core::Result<Job> JobEngine::GetJob(const Caller& caller, const JobKey& key) const {
  auto rec = Find(key);
  if (rec == nullptr) return JobNotFound();
  Job job = rec->Snapshot();
  if (!Visible(caller, job)) return NoAuthDetails(caller.user);
  return job;
}

core::Result<JobStatus> JobEngine::GetStatus(const Caller& caller, const JobKey& key) const {
  auto rec = Find(key);
  if (rec == nullptr) return JobNotFound();
  std::lock_guard lock(rec->state_mu);
  if (!caller.all_jobs && rec->job.creator != caller.user) return NoAuthDetails(caller.user);
  return rec->job.status;
}

std::vector<Job> JobEngine::ListJobs(const Caller& caller, const JobFilter& f) const {
  std::vector<std::shared_ptr<JobRecord>> recs;
  {
    std::shared_lock lock(index_mu_);
    recs.reserve(index_.size());
    for (const auto& [k, rec] : index_) recs.push_back(rec);
  }
  std::vector<Job> out;
  for (const auto& rec : recs) {
    Job j = rec->Snapshot();
    if (!Visible(caller, j)) continue;
    if (!FieldMatches(f.job_name, j.key.name) || !FieldMatches(f.text, j.text, true) ||
        !FieldMatches(f.template_name, j.template_name) || !FieldMatches(f.creator, j.creator, true) ||
        !FieldMatches(f.report, j.report_name) || !f.variant.empty())
      continue;
    if (f.created_from && j.created_at < *f.created_from) continue;
    if (f.created_to && j.created_at > *f.created_to) continue;
    out.push_back(std::move(j));
  }
  std::sort(out.begin(), out.end(), [](const Job& a, const Job& b) {
    return a.created_at != b.created_at ? a.created_at < b.created_at : a.key.name < b.key.name;
  });
  return out;
}

core::Result<std::vector<LogLine>> JobEngine::JobLog(const Caller& caller, const JobKey& key) const {
  CW_RETURN_IF_ERROR(GetJob(caller, key));
  return repo_.LoadLog(key);
}

size_t JobEngine::JobCount() const {
  std::shared_lock lock(index_mu_);
  return index_.size();
}

// --- cancel / abort / restart ---

core::Status JobEngine::Cancel(const Caller& caller, const JobKey& key) {
  return StopRunning(caller, key, /*remove_waiting=*/true);
}

core::Status JobEngine::Abort(const Caller& caller, const JobKey& key) {
  return StopRunning(caller, key, /*remove_waiting=*/false);
}

core::Status JobEngine::StopRunning(const Caller& caller, const JobKey& key, bool remove_waiting) {
  auto rec = Find(key);
  if (rec == nullptr) return remove_waiting ? CancelNotFound() : JobNotFound();
  {
    std::lock_guard tlock(rec->transition_mu);
    if (rec->removed) return remove_waiting ? CancelNotFound() : JobNotFound();
    const Job job = rec->Snapshot();
    if (!Visible(caller, job)) return NoAuthCancel(caller.user);
    if (IsWaiting(job.status)) {
      if (!remove_waiting) return NotRunning();
      // SAP removes a job that has not started from the job list (spec §1.4.3).
      CW_RETURN_IF_ERROR(repo_.DeleteJobs({key}));
      rec->removed = true;
      {
        std::unique_lock lock(index_mu_);
        index_.erase(IndexKey(key));
      }
      NotifyEvent();
      return core::Status::Ok();
    }
    if (job.status != JobStatus::kRunning) return NotRunning();  // finished, or already canceling
    CW_RETURN_IF_ERROR(Transition(*rec, [&](Job& j, LogBuilder& log) {
      j.status = JobStatus::kCanceling;
      log.Add(0, 'W', core::SubstituteMessageVars(ApjText("076"), {caller.user}));
    }));
    rec->cancel_requested = true;
    std::lock_guard plock(rec->process_mu);
    if (rec->process != nullptr) rec->process->Terminate();
  }
  {
    std::lock_guard lock(wake_mu_);
  }
  wake_cv_.notify_all();
  // Answer once the job has really stopped, so that a status poll right after sees C.
  WaitUntil([&] { return rec->Snapshot().status != JobStatus::kCanceling; }, options_.cancel_wait);
  return core::Status::Ok();
}

core::Result<Job> JobEngine::Restart(const Caller& caller, const JobKey& key, std::string_view mode) {
  if (mode != "E" && mode != "A")
    return core::MakeError(core::Code::kBadRequest, "APJ_RT", "082",
                           "Invalid restart mode &1 (use E or A)", {std::string(mode)});
  auto rec = Find(key);
  if (rec == nullptr) return JobNotFound();
  const Job orig = rec->Snapshot();
  if (!Visible(caller, orig)) return NoAuthCancel(caller.user);
  if (!IsRestartable(orig.status)) return RestartWrongStatus();
  // The failed step: the first that did not finish (a cancel between steps leaves it waiting).
  size_t failed = orig.steps.size();
  for (size_t i = 0; i < orig.steps.size(); ++i) {
    JobStatus s = orig.steps[i].status;
    if (s != JobStatus::kFinished && s != JobStatus::kWarning && s != JobStatus::kSkipped) {
      failed = i;
      break;
    }
  }
  if (failed == orig.steps.size()) return RestartWrongStatus();
  if (mode == "A" && failed + 1 >= orig.steps.size()) return RestartAfterLastStep();
  const size_t first_run = mode == "E" ? failed : failed + 1;

  const core::SystemTime now = clock_.Now();
  Job copy;
  do {
    copy.key = GenerateJobKey();
  } while (Find(copy.key) != nullptr);
  copy.text = orig.text;
  copy.template_name = orig.template_name;
  copy.template_text = orig.template_text;
  copy.report_name = orig.report_name;
  copy.job_user = orig.job_user;
  copy.creator = orig.creator;
  copy.status = JobStatus::kReady;
  copy.created_at = now;
  copy.planned_start = now;
  copy.parameters = orig.parameters;
  copy.orig_name = orig.orig_name.empty() ? orig.key.name : orig.orig_name;
  copy.orig_count = orig.orig_name.empty() ? orig.key.run_count : orig.orig_count;
  copy.restart_count = orig.restart_count + 1;
  copy.restart_mode = std::string(mode);
  for (size_t i = 0; i < orig.steps.size(); ++i) {
    StepRun s;
    s.step_nr = orig.steps[i].step_nr;
    s.definition = orig.steps[i].definition;
    s.status = i < first_run ? JobStatus::kSkipped : JobStatus::kReady;
    copy.steps.push_back(std::move(s));
  }
  std::vector<LogLine> log;
  log.push_back({1, 0, now, 'S',
                 "Restart of job " + orig.key.name + "/" + orig.key.run_count + " in mode " + std::string(mode) +
                     " by " + caller.user + "; steps before " + std::to_string(first_run + 1) + " are skipped"});
  const JobKey new_key = copy.key;
  CW_RETURN_IF_ERROR(Insert(std::move(copy), std::move(log)));
  return Find(new_key)->Snapshot();
}

core::Result<int> JobEngine::CleanupFinishedJobs(std::chrono::hours age) {
  const core::SystemTime cutoff = clock_.Now() - age;
  std::vector<std::shared_ptr<JobRecord>> candidates;
  {
    std::shared_lock lock(index_mu_);
    for (const auto& [k, rec] : index_) {
      Job j = rec->Snapshot();
      if (IsTerminal(j.status) && j.ended_at.value_or(j.created_at) < cutoff) candidates.push_back(rec);
    }
  }
  std::vector<JobKey> keys;
  for (const auto& rec : candidates) keys.push_back(rec->Snapshot().key);
  CW_RETURN_IF_ERROR(repo_.DeleteJobs(keys));
  {
    std::unique_lock lock(index_mu_);
    for (const JobKey& k : keys) index_.erase(IndexKey(k));
  }
  NotifyEvent();
  return static_cast<int>(keys.size());
}

// --- transitions and events ---

core::Status JobEngine::Transition(JobRecord& rec, const std::function<void(Job&, LogBuilder&)>& mutate) {
  Job next = rec.Snapshot();
  LogBuilder log(rec.last_log_seq, clock_.Now());
  mutate(next, log);
  CW_RETURN_IF_ERROR(repo_.UpdateJob(next, log.lines()));
  rec.last_log_seq = log.last_seq();
  {
    std::lock_guard lock(rec.state_mu);
    rec.job = std::move(next);
  }
  NotifyEvent();
  return core::Status::Ok();
}

void JobEngine::NotifyEvent() const {
  {
    std::lock_guard lock(events_mu_);
    ++events_seq_;
  }
  events_cv_.notify_all();
}

bool JobEngine::WaitUntil(const std::function<bool()>& condition, std::chrono::milliseconds timeout) const {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  std::unique_lock lock(events_mu_);
  for (;;) {
    const uint64_t seen = events_seq_;
    lock.unlock();
    if (condition()) return true;
    lock.lock();
    if (!events_cv_.wait_until(lock, deadline, [&] { return events_seq_ != seen; })) {
      lock.unlock();
      return condition();
    }
  }
}

std::optional<Job> JobEngine::WaitForTerminal(const JobKey& key, std::chrono::milliseconds timeout) const {
  std::optional<Job> last;
  WaitUntil(
      [&] {
        auto rec = Find(key);
        if (rec == nullptr) return true;
        last = rec->Snapshot();
        return IsTerminal(last->status);
      },
      timeout);
  return last;
}

void JobEngine::NotifyClockChanged() {
  {
    std::lock_guard lock(wake_mu_);
  }
  wake_cv_.notify_all();
}

}  // namespace causeway::jobs
