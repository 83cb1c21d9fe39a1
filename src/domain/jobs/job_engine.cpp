// The API side of JobEngine: templates, validation, operations staged into units of work, reads.
#include "domain/jobs/job_engine.h"

#include <algorithm>

#include "core/ascii.h"
#include "core/blocking.h"
#include "core/log.h"
#include "core/random.h"
#include "domain/jobs/job_errors.h"
#include "domain/jobs/job_leases.h"
#include "domain/jobs/job_record.h"
#include "domain/jobs/parameter_resolution.h"
#include "core/storable_text.h"
#include "store/unit_of_work.h"

namespace causeway::jobs {
namespace {

using namespace std::chrono_literals;

// A staged cancel holds a waiting job this many leases long at most (a unit that takes longer
// loses the hold; its delete then fails rather than remove a job that started meanwhile).
constexpr int kHoldLeases = 6;
// WaitUntil re-checks its condition at least this often, for changes made by other nodes.
constexpr auto kWaitRecheck = 100ms;
// How long a read waits for the change feed's barrier before it reads the store instead.
constexpr auto kFeedSyncWait = 2s;

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

// The exact JobListGet rule; the store query only narrows (repository::FindJobs).
bool Matches(const JobFilter& f, const Job& j) {
  if (!FieldMatches(f.job_name, j.key.name) || !FieldMatches(f.text, j.text, true) ||
      !FieldMatches(f.template_name, j.template_name) || !FieldMatches(f.creator, j.creator, true) ||
      !FieldMatches(f.report, j.report_name) || !f.variant.empty())
    return false;
  if (f.created_from && j.created_at < *f.created_from) return false;
  if (f.created_to && j.created_at > *f.created_to) return false;
  return true;
}

bool Stopped(JobStatus s) { return s != JobStatus::kRunning && s != JobStatus::kCanceling; }

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

JobEngine::JobEngine(store::Database& db, const core::Clock& clock, ProcessRunner& runner,
                     const UserDirectory& users, EngineOptions options)
    : db_(db),
      clock_(clock),
      runner_(runner),
      users_(users),
      options_(std::move(options)),
      node_id_(options_.node_id.empty() ? "node-" + core::RandomHexUpper(8) : options_.node_id),
      hub_(std::make_shared<Hub>(clock, std::max(1, options_.workers), options_.cache_reads,
                                 options_.cache_capacity)),
      status_reads_(db),
      statistics_(db, options_.analyze_after_jobs) {}

core::Result<std::unique_ptr<JobEngine>> JobEngine::Open(store::Database& db, const core::Clock& clock,
                                                         ProcessRunner& runner, const UserDirectory& users,
                                                         std::vector<JobTemplate> config_templates,
                                                         EngineOptions options) {
  CW_RETURN_IF_ERROR(store::Migrate(db, JobMigrations()));
  std::unique_ptr<JobEngine> engine(new JobEngine(db, clock, runner, users, std::move(options)));
  CW_RETURN_IF_ERROR(engine->LoadTemplates(std::move(config_templates)));
  if (!engine->options_.take_over_at_start && !engine->options_.node_id.empty()) {
    CW_RETURN_IF_ERROR(db.Write([&](store::Tx& tx) { return leases::ExpireLeasesOfPreviousProcess(tx, engine->node_id_); }));
  }
  CW_RETURN_IF_ERROR(engine->RecoverOrphans(engine->options_.take_over_at_start));
  if (!engine->options_.cache_reads && engine->options_.feed_cache) engine->StartFeed();
  engine->StartThreads();
  return engine;
}

core::SystemTime JobEngine::Now() const { return core::FromUnixMillis(core::ToUnixMillis(clock_.Now())); }

core::Status JobEngine::LoadTemplates(std::vector<JobTemplate> config_templates) {
  std::vector<JobTemplate> stored;
  CW_RETURN_IF_ERROR(db_.Read([&](store::Tx& tx) -> core::Status {
    CW_ASSIGN_OR_RETURN(stored, repository::LoadTemplates(tx));
    CW_ASSIGN_OR_RETURN(stored_templates_version_, repository::TemplatesVersion(tx));
    return core::Status::Ok();
  }));
  for (auto& t : stored) templates_[t.name] = std::move(t);
  // Config is the source of truth for the templates it names; run-time edits of those last
  // until the next start. Zero timestamps in config keep the stored ones.
  const core::SystemTime now = Now();
  std::vector<std::string> from_config;
  for (auto& t : config_templates) {
    if (auto it = templates_.find(t.name); it != templates_.end()) {
      if (t.created_at == core::SystemTime{}) t.created_at = it->second.created_at;
      if (t.changed_at == core::SystemTime{}) t.changed_at = it->second.changed_at;
    }
    if (t.created_at == core::SystemTime{}) t.created_at = now;
    if (t.changed_at == core::SystemTime{}) t.changed_at = t.created_at;
    from_config.push_back(t.name);
    templates_[t.name] = std::move(t);
  }
  if (from_config.empty()) return core::Status::Ok();
  templates_version_.fetch_add(1, std::memory_order_acq_rel);
  return db_.Write([&](store::Tx& tx) -> core::Status {
    for (const auto& name : from_config) CW_RETURN_IF_ERROR(repository::UpsertTemplate(tx, templates_.at(name)));
    return core::Status::Ok();
  });
}

// --- templates ---

core::Status JobEngine::RefreshTemplates() const {
  if (options_.cache_reads) return core::Status::Ok();  // this process is the store's only writer
  // With a feed, only a notice (or a feed that cannot vouch) sends us to the store.
  if (feed_ != nullptr) {
    CW_ASSIGN_OR_RETURN(const bool synced, FeedCurrent());
    if (synced && !templates_dirty_.exchange(false)) return core::Status::Ok();
  }
  int64_t version = 0;
  std::vector<JobTemplate> stored;
  bool changed = false;
  core::Status st = db_.Read([&](store::Tx& tx) -> core::Status {
    CW_ASSIGN_OR_RETURN(version, repository::TemplatesVersion(tx));
    {
      std::shared_lock lock(templates_mu_);
      changed = version > stored_templates_version_;
    }
    if (changed) {
      CW_ASSIGN_OR_RETURN(stored, repository::LoadTemplates(tx));
    }
    return core::Status::Ok();
  });
  if (!st.ok()) {
    templates_dirty_.store(true);
    if (core::IsWouldBlock(st.error())) return st;  // the caller runs again where it may wait
    // Serve this node's copy: a store that cannot be read fails the request's own store call.
    spdlog::warn("jobs: templates not refreshed from the store: {}", st.error().text);
    return core::Status::Ok();
  }
  if (!changed) return core::Status::Ok();
  std::unique_lock lock(templates_mu_);
  if (version <= stored_templates_version_) return core::Status::Ok();
  templates_.clear();
  for (auto& t : stored) templates_[t.name] = std::move(t);
  stored_templates_version_ = version;
  templates_version_.fetch_add(1, std::memory_order_acq_rel);
  return core::Status::Ok();
}

// Template reads that cannot say "run me elsewhere" are made where waiting is allowed (the
// template set is read on workers wherever the store is shared).
uint64_t JobEngine::TemplatesVersion() const {
  (void)RefreshTemplates();
  return templates_version_.load(std::memory_order_acquire);
}

std::vector<JobTemplate> JobEngine::Templates() const {
  (void)RefreshTemplates();
  std::shared_lock lock(templates_mu_);
  std::vector<JobTemplate> out;
  out.reserve(templates_.size());
  for (const auto& [name, t] : templates_) out.push_back(t);
  return out;
}

core::Result<JobTemplate> JobEngine::FindTemplate(std::string_view name) const {
  CW_RETURN_IF_ERROR(RefreshTemplates());
  std::shared_lock lock(templates_mu_);
  auto it = templates_.find(name);
  if (it == templates_.end()) return TemplateNotFound(std::string(name));
  return it->second;
}

core::Result<JobEngine::UpsertedTemplate> JobEngine::UpsertTemplate(JobTemplate t, std::string_view actor) {
  CW_RETURN_IF_ERROR(ValidateTemplate(t));
  std::lock_guard write_lock(template_write_mu_);
  const core::SystemTime now = Now();
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
  CW_RETURN_IF_ERROR(db_.Write([&](store::Tx& tx) { return repository::UpsertTemplate(tx, t); }));
  UpsertedTemplate out{t, created};
  std::unique_lock lock(templates_mu_);
  templates_[t.name] = std::move(t);
  templates_version_.fetch_add(1, std::memory_order_acq_rel);
  return out;
}

core::Status JobEngine::DeleteTemplate(std::string_view name) {
  std::lock_guard write_lock(template_write_mu_);
  bool existed = false;
  CW_RETURN_IF_ERROR(db_.Write([&](store::Tx& tx) -> core::Status {
    CW_ASSIGN_OR_RETURN(existed, repository::DeleteTemplate(tx, name));
    return core::Status::Ok();
  }));
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

  const core::SystemTime now = Now();
  Job job;
  // 128 random bits: a collision would fail the insert (primary key) rather than overwrite.
  job.key = GenerateJobKey(now);
  job.text = core::StorableText(req.text.empty() ? tmpl.text : req.text);
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
  for (const auto& name : resolved.removed_read_only) {
    result.warnings.push_back(core::SubstituteMessageVars(ApjText("074"), {name}));
    log.push_back({0, 0, now, 'W', result.warnings.back()});
  }
  log.push_back({0, 0, now, 'S', core::SubstituteMessageVars(ApjText("013"), {job.text})});
  log.push_back({0, 0, now, 'I', "Scheduled by " + caller.user + " to run as " + job_user});
  CW_RETURN_IF_ERROR(StageNewJob(job, std::move(log)));
  result.job = std::move(job);
  return result;
}

core::Status JobEngine::StageNewJob(const Job& job, std::vector<LogLine> log) {
  auto stored = std::make_shared<const Job>(job);
  auto lines = std::make_shared<const std::vector<LogLine>>(std::move(log));
  return store::Transact(db_, [&](store::UnitOfWork& unit) {
    unit.Add([stored, lines](store::Tx& tx) { return repository::InsertJob(tx, *stored, *lines); });
    // Only a committed job is visible and claimable: publish it, then wake the dispatcher.
    unit.OnCommit([hub = hub_, stored] {
      hub->Published(stored);
      ++hub->scheduled;
      hub->JobWaiting();
    });
    return core::Status::Ok();
  });
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

// --- reads ---

void JobEngine::StartFeed() {
  hub_->cache = std::make_unique<JobCache>(options_.cache_capacity);  // before the feed's thread reports
  feed_ = db_.Listen({std::string(kJobsChannel), std::string(kTemplatesChannel)},
                     [hub = hub_, dirty = &templates_dirty_](const store::Notice* n) {
                       if (n == nullptr) {  // notices may have been missed: trust nothing cached
                         hub->cache->Clear();
                         dirty->store(true);
                       } else if (n->channel == kTemplatesChannel) {
                         dirty->store(true);
                       } else if (n->payload == "*") {
                         hub->cache->Clear();
                       } else {
                         hub->cache->EraseJoined(std::string(n->payload));
                       }
                       if (n == nullptr || n->channel == kJobsChannel) hub->NotifyEvent();
                     });
  if (feed_ == nullptr) hub_->cache.reset();  // the store has no feed: every read goes to it
}

core::Result<bool> JobEngine::CacheCurrent() const {
  if (hub_->cache == nullptr) return false;
  if (feed_ == nullptr) return true;
  return FeedCurrent();
}

core::Result<bool> JobEngine::FeedCurrent() const {
  if (core::MayBlock()) return feed_->Sync(kFeedSyncWait);
  // On an I/O thread: the barrier's round trip parks the request instead of the thread; its
  // next run finds the barrier passed (it was asked for after the request arrived, so it
  // vouches for every write answered before).
  core::Parking* parking = core::CurrentParking();
  if (parking == nullptr) return core::WouldBlock();
  if (std::shared_ptr<core::Completion> passed = parking->Take(feed_.get())) return passed->Wait().ok();
  std::shared_ptr<core::Completion> barrier = feed_->SyncAsync(kFeedSyncWait);
  if (barrier->done()) return barrier->Wait().ok();
  parking->Park(feed_.get(), std::move(barrier));
  return core::WouldBlock();
}

core::Result<std::shared_ptr<const Job>> JobEngine::Lookup(const JobKey& key) const {
  CW_ASSIGN_OR_RETURN(const bool cache_current, CacheCurrent());
  return Lookup(key, cache_current);
}

core::Result<std::shared_ptr<const Job>> JobEngine::Lookup(const JobKey& key, bool cache_current) const {
  JobCache* cache = cache_current ? hub_->cache.get() : nullptr;
  if (cache != nullptr) {
    // The only writer: a job running here is newest in memory, any other one in the cache.
    // (Shared store: another node may have asked it to cancel; the cache knows.)
    if (feed_ == nullptr)
      if (auto rec = hub_->FindActive(key)) return std::make_shared<const Job>(rec->Snapshot());
    if (auto hit = cache->Find(key)) return hit;
  }
  const uint64_t generation = cache != nullptr ? cache->Generation(key) : 0;
  std::optional<Job> job;
  CW_RETURN_IF_ERROR(db_.Read([&](store::Tx& tx) -> core::Status {
    CW_ASSIGN_OR_RETURN(job, repository::LoadJob(tx, key));
    return core::Status::Ok();
  }));
  if (!job) return std::shared_ptr<const Job>();
  auto out = std::make_shared<const Job>(std::move(*job));
  if (cache != nullptr) cache->Offer(out, generation);
  return out;
}

bool JobEngine::Visible(const Caller& caller, const Job& job) const {
  return caller.all_jobs || job.creator == caller.user;
}

core::Result<Job> JobEngine::GetJob(const Caller& caller, const JobKey& key) const {
  CW_ASSIGN_OR_RETURN(std::shared_ptr<const Job> job, Lookup(key));
  if (job == nullptr) return JobNotFound();
  if (!Visible(caller, *job)) return NoAuthDetails(caller.user);
  return *job;
}

core::Result<JobStatus> JobEngine::GetStatus(const Caller& caller, const JobKey& key) const {
  CW_ASSIGN_OR_RETURN(const bool cache_current, CacheCurrent());
  if (!cache_current) {
    // Every read asks the store, so that other nodes' writes are seen at once; concurrent
    // reads share a query.
    CW_ASSIGN_OR_RETURN(std::optional<repository::StatusRow> row, status_reads_.Get(key));
    if (!row) return JobNotFound();
    if (!caller.all_jobs && row->creator != caller.user) return NoAuthDetails(caller.user);
    return row->status;
  }
  CW_ASSIGN_OR_RETURN(std::shared_ptr<const Job> job, Lookup(key, cache_current));
  if (job == nullptr) return JobNotFound();
  if (!Visible(caller, *job)) return NoAuthDetails(caller.user);
  return job->status;
}

core::Result<std::vector<Job>> JobEngine::ListJobs(const Caller& caller, const JobFilter& filter) const {
  std::vector<Job> jobs;
  CW_RETURN_IF_ERROR(db_.Read([&](store::Tx& tx) -> core::Status {
    CW_ASSIGN_OR_RETURN(jobs, repository::FindJobs(tx, filter, caller.all_jobs ? nullptr : &caller.user));
    return core::Status::Ok();
  }));
  std::erase_if(jobs, [&](const Job& j) { return !Matches(filter, j); });
  SortOldestFirst(jobs);
  return jobs;
}

core::Result<std::vector<LogLine>> JobEngine::JobLog(const Caller& caller, const JobKey& key) const {
  CW_RETURN_IF_ERROR(GetJob(caller, key));
  std::vector<LogLine> lines;
  CW_RETURN_IF_ERROR(db_.Read([&](store::Tx& tx) -> core::Status {
    CW_ASSIGN_OR_RETURN(lines, repository::LoadLog(tx, key));
    return core::Status::Ok();
  }));
  return lines;
}

core::Result<int64_t> JobEngine::JobCount() const {
  int64_t n = 0;
  CW_RETURN_IF_ERROR(db_.Read([&](store::Tx& tx) -> core::Status {
    CW_ASSIGN_OR_RETURN(n, repository::CountJobs(tx));
    return core::Status::Ok();
  }));
  return n;
}

size_t JobEngine::ActiveJobCount() const { return hub_->ActiveCount(); }

size_t JobEngine::CachedJobCount() const { return hub_->cache ? hub_->cache->size() : 0; }

// --- cancel / abort / restart ---

core::Status JobEngine::Cancel(const Caller& caller, const JobKey& key) { return StopJob(caller, key, true); }

core::Status JobEngine::Abort(const Caller& caller, const JobKey& key) { return StopJob(caller, key, false); }

bool JobEngine::InCallersUnit() const {
  store::UnitOfWork* unit = store::UnitOfWork::Current();
  return unit != nullptr && &unit->database() == &db_;
}

core::Status JobEngine::StopJob(const Caller& caller, const JobKey& key, bool cancel) {
  CW_ASSIGN_OR_RETURN(std::shared_ptr<const Job> job, Lookup(key));
  if (job == nullptr) return cancel ? CancelNotFound() : JobNotFound();
  if (!Visible(caller, *job)) return NoAuthCancel(caller.user);
  if (IsWaiting(job->status)) {
    if (!cancel) return NotRunning();
    // SAP removes a job that has not started from the job list (spec §1.4.3).
    return CancelWaiting(caller, key);
  }
  if (job->status != JobStatus::kRunning) return NotRunning();  // finished, or already canceling
  return CancelRunning(caller, key);
}

core::Status JobEngine::CancelWaiting(const Caller& caller, const JobKey& key) {
  // Hold the job first (a lease of its own), so that no worker on any node starts it while the
  // delete is staged; the delete then requires the hold, and a rollback releases it.
  const std::string hold = node_id_ + "/cancel-" + std::to_string(holds_.fetch_add(1) + 1);
  const int64_t now_ms = core::ToUnixMillis(Now());
  const int64_t until_ms = now_ms + kHoldLeases * options_.lease.count();
  bool held = false;
  CW_RETURN_IF_ERROR(db_.Write([&](store::Tx& tx) -> core::Status {
    CW_ASSIGN_OR_RETURN(held, leases::HoldWaiting(tx, key, hold, now_ms, until_ms));
    return core::Status::Ok();
  }));
  if (!held) {
    // A worker took it meanwhile, it is gone, or another cancel of it is staged.
    CW_ASSIGN_OR_RETURN(std::shared_ptr<const Job> now, Lookup(key));
    if (now != nullptr && now->status == JobStatus::kRunning) return CancelRunning(caller, key);
    if (now == nullptr || IsWaiting(now->status)) return CancelNotFound();
    return NotRunning();
  }
  store::Database* db = &db_;
  return store::Transact(db_, [&](store::UnitOfWork& unit) {
    unit.Add([key, hold](store::Tx& tx) -> core::Status {
      CW_ASSIGN_OR_RETURN(bool deleted, repository::DeleteHeldWaitingJob(tx, key, hold));
      // The hold lapsed and a worker started the job: fail rather than delete a running job.
      return deleted ? core::Status::Ok() : core::Status(NotRunning());
    });
    unit.OnCommit([hub = hub_, key] { hub->Removed(key); });
    unit.OnRollback([hub = hub_, db, key, hold] {
      db->WriteAsync([key, hold](store::Tx& tx) { return leases::Release(tx, key, hold); },
                     [hub, key](core::Status st) {
                       if (!st.ok())
                         spdlog::warn("jobs: cannot release the cancel hold of {}: {} (it lapses by itself)",
                                      key.Joined(), st.error().text);
                       hub->dispatch.Notify();
                     });
    });
    return core::Status::Ok();
  });
}

core::Status JobEngine::CancelRunning(const Caller& caller, const JobKey& key) {
  const bool own_unit = !InCallersUnit();
  const LogLine line{0, 0, Now(), 'W', core::SubstituteMessageVars(ApjText("076"), {caller.user})};
  CW_RETURN_IF_ERROR(store::Transact(db_, [&](store::UnitOfWork& unit) {
    unit.Add([key, line](store::Tx& tx) -> core::Status {
      CW_ASSIGN_OR_RETURN(bool marked, repository::MarkCanceling(tx, key));
      // It ended (or was canceled) since the call: the cancel must not overwrite that.
      if (!marked) return NotRunning();
      CW_RETURN_IF_ERROR(repository::AppendLog(tx, key, {line}));
      return core::Status::Ok();
    });
    // On this node the process stops now; another node sees the request at its next renewal.
    unit.OnCommit([hub = hub_, key] {
      if (auto rec = hub->FindActive(key)) {
        rec->cancel_requested = true;
        rec->TerminateProcess();
      }
      hub->sleepers.Notify();
      hub->Removed(key);
    });
    return core::Status::Ok();
  }));
  if (own_unit) {
    // Answer once the job has really stopped, so that a status poll right after sees C.
    WaitUntil(
        [&] {
          auto j = Lookup(key);
          return !j.ok() || *j == nullptr || Stopped((*j)->status);
        },
        options_.cancel_wait);
  }
  return core::Status::Ok();
}

core::Result<Job> JobEngine::Restart(const Caller& caller, const JobKey& key, std::string_view mode) {
  if (mode != "E" && mode != "A")
    return core::MakeError(core::Code::kBadRequest, "APJ_RT", "082",
                           "Invalid restart mode &1 (use E or A)", {std::string(mode)});
  CW_ASSIGN_OR_RETURN(std::shared_ptr<const Job> found, Lookup(key));
  if (found == nullptr) return JobNotFound();
  if (!Visible(caller, *found)) return NoAuthCancel(caller.user);
  if (found->status == JobStatus::kCanceling) {
    // A cancel that answered without waiting (inside a request): restart what it leaves.
    WaitUntil(
        [&] {
          auto j = Lookup(key);
          if (j.ok() && *j != nullptr) found = *j;
          return !j.ok() || *j == nullptr || found->status != JobStatus::kCanceling;
        },
        options_.cancel_wait);
  }
  const Job& orig = *found;
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

  const core::SystemTime now = Now();
  Job copy;
  copy.key = GenerateJobKey(now);
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
  log.push_back({0, 0, now, 'S',
                 "Restart of job " + orig.key.name + "/" + orig.key.run_count + " in mode " + std::string(mode) +
                     " by " + caller.user + "; steps before " + std::to_string(first_run + 1) + " are skipped"});
  CW_RETURN_IF_ERROR(StageNewJob(copy, std::move(log)));
  return copy;
}

core::Result<int> JobEngine::CleanupFinishedJobs(std::chrono::hours age) {
  const core::SystemTime cutoff = Now() - age;
  int64_t deleted = 0;
  CW_RETURN_IF_ERROR(db_.Write([&](store::Tx& tx) -> core::Status {
    CW_ASSIGN_OR_RETURN(deleted, repository::DeleteFinishedBefore(tx, cutoff));
    return core::Status::Ok();
  }));
  // The keys are not known here; finished jobs are re-read on demand.
  if (hub_->cache) hub_->cache->Clear();
  hub_->NotifyEvent();
  return static_cast<int>(deleted);
}

// --- events ---

bool JobEngine::WaitUntil(const std::function<bool()>& condition, std::chrono::milliseconds timeout) const {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  Hub& hub = *hub_;
  std::unique_lock lock(hub.events_mu);
  for (;;) {
    const uint64_t seen = hub.events_seq;
    lock.unlock();
    if (condition()) return true;
    lock.lock();
    const auto now = std::chrono::steady_clock::now();
    if (now >= deadline) {
      lock.unlock();
      return condition();
    }
    hub.events_cv.wait_until(lock, std::min(deadline, now + kWaitRecheck), [&] { return hub.events_seq != seen; });
  }
}

std::optional<Job> JobEngine::WaitForTerminal(const JobKey& key, std::chrono::milliseconds timeout) const {
  std::optional<Job> last;
  WaitUntil(
      [&] {
        auto j = Lookup(key);
        if (!j.ok()) return false;
        if (*j == nullptr) return true;
        last = **j;
        return IsTerminal(last->status);
      },
      timeout);
  return last;
}

}  // namespace causeway::jobs
