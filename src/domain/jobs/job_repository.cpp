#include "domain/jobs/job_repository.h"

#include <algorithm>
#include <unordered_map>

#include "domain/jobs/job_codec.h"
#include "domain/jobs/job_errors.h"
#include "domain/jobs/job_rows.h"
#include "store/repeated_sql.h"

namespace causeway::jobs::repository {
namespace {

using rows::Ms;
using rows::OptMs;
using rows::StatusOf;
using rows::StatusValue;
using rows::Str;
using store::Value;

Value Int(int64_t i) { return Value(i); }
Value KeyName(const JobKey& k) { return Str(k.name); }
Value KeyCount(const JobKey& k) { return Str(k.run_count); }

// Terminal statuses (IsTerminal) as an SQL list; the letters are case-sensitive ('c' is not).
constexpr char kTerminal[] = "status IN ('F', 'W', 'A', 'U', 'C', 'D', 'K', 'X')";

// Lines per INSERT statement: one statement for the lines of a transition (a handful), and a
// bounded number of statement texts in each connection's cache.
constexpr size_t kLinesPerInsert = 8;

const std::string& InsertLinesSql(size_t rows) {
  static const store::RepeatedSql kSql("INSERT INTO job_log (job_name, run_count, seq, step_nr, at, msg_type, text) VALUES ",
                                       "(?, ?, ?, ?, ?, ?, ?)", ", ", "", kLinesPerInsert);
  return kSql(rows);
}

core::Status InsertLines(store::Tx& tx, const JobKey& key, const std::vector<LogLine>& lines, int64_t first_seq) {
  int64_t seq = first_seq;
  std::vector<Value> params;
  for (size_t begin = 0; begin < lines.size(); begin += kLinesPerInsert) {
    const size_t n = std::min(kLinesPerInsert, lines.size() - begin);
    params.clear();
    params.reserve(n * 7);
    for (size_t i = begin; i < begin + n; ++i) {
      const LogLine& l = lines[i];
      for (Value v : {KeyName(key), KeyCount(key), Int(seq++), Int(l.step_nr), Ms(l.at), Str(std::string(1, l.type)),
                      Str(l.text)})
        params.push_back(std::move(v));
    }
    CW_RETURN_IF_ERROR(tx.Exec(InsertLinesSql(n), params));
  }
  return core::Status::Ok();
}

// A JobListGet pattern as LIKE: '*' is any run of characters, everything else literal.
std::string LikePattern(std::string_view wildcard) {
  std::string out;
  for (char c : wildcard) {
    if (c == '*') {
      out += '%';
      continue;
    }
    if (c == '%' || c == '_' || c == '\\') out += '\\';
    out += c;
  }
  return out;
}

// WHERE conditions and their parameters for FindJobs, on the jobs table aliased `j`.
struct Conditions {
  std::string sql = "1 = 1";
  std::vector<Value> params;
  void Add(std::string condition, Value v) {
    sql += " AND " + std::move(condition);
    params.push_back(std::move(v));
  }
};

Conditions FilterConditions(const JobFilter& f, const std::string* creator) {
  Conditions c;
  if (creator != nullptr) c.Add("j.creator = ?", Str(*creator));
  auto like = [&](const std::string& column, const std::string& pattern, bool ignore_case) {
    if (pattern.empty() || pattern.find_first_not_of('*') == std::string::npos) return;
    if (ignore_case) c.Add("UPPER(j." + column + ") LIKE UPPER(CAST(? AS TEXT)) ESCAPE '\\'", Str(LikePattern(pattern)));
    else c.Add("j." + column + " LIKE ? ESCAPE '\\'", Str(LikePattern(pattern)));
  };
  like("job_name", f.job_name, false);
  like("text", f.text, true);
  like("template_name", f.template_name, false);
  like("creator", f.creator, true);
  like("report_name", f.report, false);
  if (f.created_from) c.Add("j.created_at >= ?", Ms(*f.created_from));
  if (f.created_to) c.Add("j.created_at <= ?", Ms(*f.created_to));
  return c;
}

}  // namespace

// --- templates ---

core::Result<std::vector<JobTemplate>> LoadTemplates(store::Tx& tx) {
  std::vector<JobTemplate> out;
  core::Status decode_error;
  CW_RETURN_IF_ERROR(tx.Query(
      "SELECT name, version, text, report_name, user_name, steps, parameters, periodic_granularity, "
      "periodic_value, supports_test_mode, allowed_users, created_at, created_by, changed_at, changed_by "
      "FROM job_templates",
      {}, [&](const store::Row& r) {
        JobTemplate t;
        t.name = r.String(0);
        t.version = r.String(1);
        t.text = r.String(2);
        t.report_name = r.String(3);
        t.user_name = r.String(4);
        auto steps = DecodeSteps(r.Text(5));
        auto params = DecodeParameterDefinitions(r.Text(6));
        auto users = DecodeStrings(r.Text(10));
        if (!steps.ok() || !params.ok() || !users.ok()) {
          decode_error = CorruptJobData("template " + t.name + " is corrupt");
          return;
        }
        t.steps = std::move(steps).value();
        t.parameters = std::move(params).value();
        t.allowed_users = std::move(users).value();
        t.periodic_granularity = r.String(7);
        t.periodic_value = r.String(8);
        t.supports_test_mode = r.Int(9) != 0;
        t.created_at = core::FromUnixMillis(r.Int(11));
        t.created_by = r.String(12);
        t.changed_at = core::FromUnixMillis(r.Int(13));
        t.changed_by = r.String(14);
        out.push_back(std::move(t));
      }));
  CW_RETURN_IF_ERROR(decode_error);
  // Byte order of the names, whatever the database's collation (callers keep them in a map too).
  std::sort(out.begin(), out.end(), [](const JobTemplate& a, const JobTemplate& b) { return a.name < b.name; });
  return out;
}

namespace {
core::Status CountTemplateChange(store::Tx& tx) {
  tx.Notify(kTemplatesChannel, "");
  return tx.Exec("UPDATE job_templates_version SET version = version + 1 WHERE id = 1");
}
}  // namespace

core::Status UpsertTemplate(store::Tx& tx, const JobTemplate& t) {
  // ON CONFLICT ... DO UPDATE is understood by SQLite (>= 3.24) and PostgreSQL alike.
  CW_RETURN_IF_ERROR(tx.Exec(
      "INSERT INTO job_templates (name, version, text, report_name, user_name, steps, parameters, "
      "periodic_granularity, periodic_value, supports_test_mode, allowed_users, created_at, created_by, "
      "changed_at, changed_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
      "ON CONFLICT (name) DO UPDATE SET version = excluded.version, text = excluded.text, "
      "report_name = excluded.report_name, user_name = excluded.user_name, steps = excluded.steps, "
      "parameters = excluded.parameters, periodic_granularity = excluded.periodic_granularity, "
      "periodic_value = excluded.periodic_value, supports_test_mode = excluded.supports_test_mode, "
      "allowed_users = excluded.allowed_users, changed_at = excluded.changed_at, "
      "changed_by = excluded.changed_by",
      {Str(t.name), Str(t.version), Str(t.text), Str(t.report_name), Str(t.user_name),
       Str(EncodeSteps(t.steps)), Str(EncodeParameterDefinitions(t.parameters)), Str(t.periodic_granularity),
       Str(t.periodic_value), Int(t.supports_test_mode ? 1 : 0), Str(EncodeStrings(t.allowed_users)),
       Ms(t.created_at), Str(t.created_by), Ms(t.changed_at), Str(t.changed_by)}));
  return CountTemplateChange(tx);
}

core::Result<bool> DeleteTemplate(store::Tx& tx, std::string_view name) {
  int64_t changed = 0;
  CW_RETURN_IF_ERROR(tx.Exec("DELETE FROM job_templates WHERE name = ?", {Str(std::string(name))}, &changed));
  if (changed > 0) CW_RETURN_IF_ERROR(CountTemplateChange(tx));
  return changed > 0;
}

core::Result<int64_t> TemplatesVersion(store::Tx& tx) {
  int64_t version = 0;
  CW_RETURN_IF_ERROR(tx.Query("SELECT version FROM job_templates_version WHERE id = 1", {},
                              [&](const store::Row& r) { version = r.Int(0); }));
  return version;
}

// --- jobs: reads ---

core::Result<std::optional<Job>> LoadJob(store::Tx& tx, const JobKey& key) {
  std::optional<Job> job;
  core::Status decode_error;
  CW_RETURN_IF_ERROR(tx.Query(std::string("SELECT ") + rows::kJobColumns +
                                  " FROM jobs WHERE job_name = ? AND run_count = ?",
                              {KeyName(key), KeyCount(key)}, [&](const store::Row& r) {
                                auto j = rows::DecodeJob(r);
                                if (!j.ok()) decode_error = std::move(j).error();
                                else job = std::move(j).value();
                              }));
  CW_RETURN_IF_ERROR(decode_error);
  if (job) CW_RETURN_IF_ERROR(rows::LoadSteps(tx, &*job));
  return job;
}

core::Result<std::vector<Job>> FindJobs(store::Tx& tx, const JobFilter& filter, const std::string* creator) {
  std::vector<Job> out;
  if (!filter.variant.empty()) return out;
  const Conditions where = FilterConditions(filter, creator);
  std::string columns;
  for (const std::string& c : rows::JobColumnList()) columns += (columns.empty() ? "j." : ", j.") + c;
  core::Status decode_error;
  std::unordered_map<std::string, size_t> index;
  CW_RETURN_IF_ERROR(tx.Query("SELECT " + columns + " FROM jobs j WHERE " + where.sql +
                                  " ORDER BY j.created_at, j.job_name, j.run_count",
                              where.params, [&](const store::Row& r) {
                                auto j = rows::DecodeJob(r);
                                if (!j.ok()) {
                                  decode_error = std::move(j).error();
                                  return;
                                }
                                index[j->key.Joined()] = out.size();
                                out.push_back(std::move(j).value());
                              }));
  CW_RETURN_IF_ERROR(decode_error);
  if (out.empty()) return out;
  CW_RETURN_IF_ERROR(tx.Query(
      "SELECT s.job_name, s.run_count, s.step_nr, s.definition, s.status, s.started_at, s.ended_at, s.app_rc "
      "FROM job_steps s JOIN jobs j ON j.job_name = s.job_name AND j.run_count = s.run_count WHERE " +
          where.sql + " ORDER BY s.job_name, s.run_count, s.step_nr",
      where.params, [&](const store::Row& r) {
        auto it = index.find(r.String(0) + "/" + r.String(1));
        if (it == index.end()) return;
        auto def = DecodeStep(r.Text(3));
        if (!def.ok()) {
          decode_error = std::move(def).error();
          return;
        }
        StepRun s;
        s.step_nr = static_cast<int>(r.Int(2));
        s.definition = std::move(def).value();
        s.status = StatusOf(r.Text(4));
        s.started_at = r.IsNull(5) ? std::nullopt : std::optional(core::FromUnixMillis(r.Int(5)));
        s.ended_at = r.IsNull(6) ? std::nullopt : std::optional(core::FromUnixMillis(r.Int(6)));
        s.app_rc = static_cast<int>(r.Int(7));
        out[it->second].steps.push_back(std::move(s));
      }));
  CW_RETURN_IF_ERROR(decode_error);
  // ORDER BY on the step rows' text keys follows the collation; the step order within a job is
  // what matters, and step numbers are integers.
  for (Job& j : out)
    std::sort(j.steps.begin(), j.steps.end(), [](const StepRun& a, const StepRun& b) { return a.step_nr < b.step_nr; });
  return out;
}

core::Result<std::vector<LogLine>> LoadLog(store::Tx& tx, const JobKey& key) {
  std::vector<LogLine> out;
  CW_RETURN_IF_ERROR(tx.Query("SELECT seq, step_nr, at, msg_type, text FROM job_log WHERE job_name = ? AND "
                              "run_count = ? ORDER BY seq",
                              {KeyName(key), KeyCount(key)}, [&](const store::Row& r) {
                                LogLine l;
                                l.seq = r.Int(0);
                                l.step_nr = static_cast<int>(r.Int(1));
                                l.at = core::FromUnixMillis(r.Int(2));
                                auto type = r.Text(3);
                                l.type = type.empty() ? 'I' : type[0];
                                l.text = r.String(4);
                                out.push_back(std::move(l));
                              }));
  return out;
}

core::Result<int64_t> CountJobs(store::Tx& tx) {
  int64_t n = 0;
  CW_RETURN_IF_ERROR(tx.Query("SELECT COUNT(*) FROM jobs", {}, [&](const store::Row& r) { n = r.Int(0); }));
  return n;
}

// --- jobs: writes ---

core::Status InsertJob(store::Tx& tx, const Job& j, const std::vector<LogLine>& log) {
  CW_RETURN_IF_ERROR(tx.Exec(
      "INSERT INTO jobs (job_name, run_count, text, template_name, template_text, report_name, job_user, creator, "
      "status, created_at, planned_start, started_at, ended_at, app_rc, parameters, orig_job_name, orig_job_count, "
      "restart_count, restart_mode) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
      {KeyName(j.key), KeyCount(j.key), Str(j.text), Str(j.template_name),
       Str(j.template_text), Str(j.report_name), Str(j.job_user), Str(j.creator), StatusValue(j.status),
       Ms(j.created_at), Ms(j.planned_start), OptMs(j.started_at), OptMs(j.ended_at), Int(j.app_rc),
       Str(FormatParameterValues(j.parameters)), Str(j.orig_name), Str(j.orig_count),
       Int(j.restart_count), Str(j.restart_mode)}));
  for (const StepRun& s : j.steps) {
    CW_RETURN_IF_ERROR(tx.Exec(
        "INSERT INTO job_steps (job_name, run_count, step_nr, definition, status, started_at, ended_at, app_rc) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        {KeyName(j.key), KeyCount(j.key), Int(s.step_nr), Str(EncodeStep(s.definition)),
         StatusValue(s.status), OptMs(s.started_at), OptMs(s.ended_at), Int(s.app_rc)}));
  }
  return InsertLines(tx, j.key, log, 1);
}

core::Result<int64_t> AppendLog(store::Tx& tx, const JobKey& key, const std::vector<LogLine>& lines) {
  int64_t last = 0;
  if (lines.empty()) return last + 1;
  CW_RETURN_IF_ERROR(tx.Query("SELECT COALESCE(MAX(seq), 0) FROM job_log WHERE job_name = ? AND run_count = ?",
                              {KeyName(key), KeyCount(key)}, [&](const store::Row& r) { last = r.Int(0); }));
  CW_RETURN_IF_ERROR(InsertLines(tx, key, lines, last + 1));
  return last + 1;
}

core::Result<std::vector<int64_t>> AppendLogs(store::Tx& tx, const std::vector<JobLines>& jobs) {
  std::unordered_map<std::string, int64_t> last;
  std::vector<Value> params;
  for (size_t begin = 0; begin < jobs.size(); begin += rows::kKeysPerStatement) {
    const size_t n = std::min(rows::kKeysPerStatement, jobs.size() - begin);
    params.clear();
    for (size_t i = begin; i < begin + n; ++i) params.push_back(KeyName(jobs[i].key));
    static const store::RepeatedSql kLastLines("SELECT job_name, run_count, MAX(seq) FROM job_log WHERE job_name IN (",
                                               "?", ", ", ") GROUP BY job_name, run_count", rows::kKeysPerStatement);
    CW_RETURN_IF_ERROR(tx.Query(kLastLines(n), params,
                                [&](const store::Row& r) { last[r.String(0) + "/" + r.String(1)] = r.Int(2); }));
  }
  std::vector<int64_t> first;
  first.reserve(jobs.size());
  for (const JobLines& j : jobs) {
    auto it = last.find(j.key.Joined());
    first.push_back((it == last.end() ? 0 : it->second) + 1);
    CW_RETURN_IF_ERROR(InsertLines(tx, j.key, j.lines, first.back()));
  }
  return first;
}

core::Status WriteChanges(store::Tx& tx, const Job& before, const Job& after, LeaseChange lease) {
  const bool job_changed = before.status != after.status || before.started_at != after.started_at ||
                           before.ended_at != after.ended_at || before.app_rc != after.app_rc;
  bool visible = job_changed;
  if (job_changed || lease.kind != LeaseChange::Kind::kKeep) {
    // The row and its lease in one version; one statement text per LeaseChange::Kind.
    static const std::string kSet = "UPDATE jobs SET status = ?, started_at = ?, ended_at = ?, app_rc = ?";
    static const std::string kWhere = " WHERE job_name = ? AND run_count = ?";
    static const std::string kSql[] = {kSet + kWhere,                                                // kKeep
                                       kSet + ", lease_owner = NULL, lease_expires_ms = NULL" + kWhere,  // kRelease
                                       kSet + ", lease_owner = ?, lease_expires_ms = ?" + kWhere};       // kTake
    std::vector<store::Value> params{StatusValue(after.status), OptMs(after.started_at), OptMs(after.ended_at),
                                     Int(after.app_rc)};
    if (lease.kind == LeaseChange::Kind::kTake) {
      params.emplace_back(std::string(lease.owner));
      params.emplace_back(lease.until_ms);
    }
    params.push_back(KeyName(after.key));
    params.push_back(KeyCount(after.key));
    CW_RETURN_IF_ERROR(tx.Exec(kSql[static_cast<size_t>(lease.kind)], params));
  }
  for (size_t i = 0; i < after.steps.size(); ++i) {
    const StepRun& s = after.steps[i];
    if (i < before.steps.size()) {
      const StepRun& b = before.steps[i];
      if (b.status == s.status && b.started_at == s.started_at && b.ended_at == s.ended_at && b.app_rc == s.app_rc)
        continue;
    }
    visible = true;
    CW_RETURN_IF_ERROR(tx.Exec(
        "UPDATE job_steps SET status = ?, started_at = ?, ended_at = ?, app_rc = ? "
        "WHERE job_name = ? AND run_count = ? AND step_nr = ?",
        {StatusValue(s.status), OptMs(s.started_at), OptMs(s.ended_at), Int(s.app_rc), KeyName(after.key),
         KeyCount(after.key), Int(s.step_nr)}));
  }
  if (visible) tx.Notify(kJobsChannel, after.key.Joined());
  return core::Status::Ok();
}

core::Result<bool> MarkCanceling(store::Tx& tx, const JobKey& key) {
  int64_t changed = 0;
  CW_RETURN_IF_ERROR(tx.Exec("UPDATE jobs SET status = 'c', cancel_requested = 1 "
                             "WHERE job_name = ? AND run_count = ? AND status = 'R'",
                             {KeyName(key), KeyCount(key)}, &changed));
  if (changed > 0) tx.Notify(kJobsChannel, key.Joined());
  return changed > 0;
}

core::Result<bool> DeleteHeldWaitingJob(store::Tx& tx, const JobKey& key, std::string_view hold_owner) {
  int64_t changed = 0;
  CW_RETURN_IF_ERROR(tx.Exec("DELETE FROM jobs WHERE job_name = ? AND run_count = ? AND status = 'Y' "
                             "AND lease_owner = ?",
                             {KeyName(key), KeyCount(key), Str(std::string(hold_owner))}, &changed));
  if (changed == 0) return false;
  tx.Notify(kJobsChannel, key.Joined());
  CW_RETURN_IF_ERROR(tx.Exec("DELETE FROM job_steps WHERE job_name = ? AND run_count = ?", {KeyName(key), KeyCount(key)}));
  CW_RETURN_IF_ERROR(tx.Exec("DELETE FROM job_log WHERE job_name = ? AND run_count = ?", {KeyName(key), KeyCount(key)}));
  return true;
}

core::Result<int64_t> DeleteFinishedBefore(store::Tx& tx, core::SystemTime cutoff) {
  const std::string finished = std::string("SELECT job_name, run_count FROM jobs WHERE ") + kTerminal +
                               " AND (ended_at < ? OR (ended_at IS NULL AND created_at < ?))";
  const Value at = Ms(cutoff);
  CW_RETURN_IF_ERROR(tx.Exec("DELETE FROM job_log WHERE (job_name, run_count) IN (" + finished + ")", {at, at}));
  CW_RETURN_IF_ERROR(tx.Exec("DELETE FROM job_steps WHERE (job_name, run_count) IN (" + finished + ")", {at, at}));
  int64_t deleted = 0;
  CW_RETURN_IF_ERROR(tx.Exec(std::string("DELETE FROM jobs WHERE ") + kTerminal +
                                 " AND (ended_at < ? OR (ended_at IS NULL AND created_at < ?))",
                             {at, at}, &deleted));
  if (deleted > 0) tx.Notify(kJobsChannel, "*");
  return deleted;
}

}  // namespace causeway::jobs::repository
