#include "domain/jobs/job_repository.h"

#include <map>

#include "domain/jobs/job_codec.h"

namespace causeway::jobs {
namespace {

using store::Value;

Value Ms(core::SystemTime t) { return Value(core::ToUnixMillis(t)); }
Value OptMs(const std::optional<core::SystemTime>& t) { return t ? Ms(*t) : Value(); }
Value Str(std::string s) { return Value(std::move(s)); }
Value Int(int64_t i) { return Value(i); }
std::optional<core::SystemTime> OptTime(const store::Row& r, int col) {
  if (r.IsNull(col)) return std::nullopt;
  return core::FromUnixMillis(r.Int(col));
}
JobStatus StatusOf(std::string_view s) {
  auto st = s.empty() ? std::nullopt : StatusFromLetter(s[0]);
  return st.value_or(JobStatus::kUnknown);
}

core::Status InsertSteps(store::Tx& tx, const Job& job) {
  for (const StepRun& s : job.steps) {
    CW_RETURN_IF_ERROR(tx.Exec(
        "INSERT INTO job_steps (job_name, run_count, step_nr, definition, status, started_at, ended_at, app_rc) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        {Str(job.key.name), Str(job.key.run_count), Int(s.step_nr), Str(EncodeStep(s.definition)),
         Str(std::string(1, Letter(s.status))), OptMs(s.started_at), OptMs(s.ended_at), Int(s.app_rc)}));
  }
  return core::Status::Ok();
}

core::Status AppendLog(store::Tx& tx, const JobKey& key, const std::vector<LogLine>& log) {
  for (const LogLine& l : log) {
    CW_RETURN_IF_ERROR(tx.Exec(
        "INSERT INTO job_log (job_name, run_count, seq, step_nr, at, msg_type, text) VALUES (?, ?, ?, ?, ?, ?, ?)",
        {Str(key.name), Str(key.run_count), Int(l.seq), Int(l.step_nr), Ms(l.at), Str(std::string(1, l.type)),
         Str(l.text)}));
  }
  return core::Status::Ok();
}

core::Status DeleteChildren(store::Tx& tx, const JobKey& key) {
  CW_RETURN_IF_ERROR(tx.Exec("DELETE FROM job_steps WHERE job_name = ? AND run_count = ?",
                             {Str(key.name), Str(key.run_count)}));
  return core::Status::Ok();
}

}  // namespace

core::Result<std::vector<JobTemplate>> JobRepository::LoadTemplates() {
  std::vector<JobTemplate> out;
  core::Status decode_error;
  CW_RETURN_IF_ERROR(db_.Read([&](store::Tx& tx) {
    return tx.Query(
        "SELECT name, version, text, report_name, user_name, steps, parameters, periodic_granularity, "
        "periodic_value, supports_test_mode, allowed_users, created_at, created_by, changed_at, changed_by "
        "FROM job_templates ORDER BY name",
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
            decode_error = core::MakeError(core::Code::kInternal, "", "", "template " + t.name + " is corrupt");
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
        });
  }));
  CW_RETURN_IF_ERROR(decode_error);
  return out;
}

core::Status JobRepository::UpsertTemplate(const JobTemplate& t) {
  return db_.Write([&](store::Tx& tx) {
    // ON CONFLICT ... DO UPDATE is understood by SQLite (>= 3.24) and PostgreSQL alike.
    return tx.Exec(
        "INSERT INTO job_templates (name, version, text, report_name, user_name, steps, parameters, "
        "periodic_granularity, periodic_value, supports_test_mode, allowed_users, created_at, created_by, "
        "changed_at, changed_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
        "ON CONFLICT (name) DO UPDATE SET version = excluded.version, text = excluded.text, "
        "report_name = excluded.report_name, user_name = excluded.user_name, steps = excluded.steps, "
        "parameters = excluded.parameters, periodic_granularity = excluded.periodic_granularity, "
        "periodic_value = excluded.periodic_value, supports_test_mode = excluded.supports_test_mode, "
        "allowed_users = excluded.allowed_users, changed_at = excluded.changed_at, "
        "changed_by = excluded.changed_by",
        {Str(t.name), Str(t.version), Str(t.text), Str(t.report_name), Str(t.user_name), Str(EncodeSteps(t.steps)),
         Str(EncodeParameterDefinitions(t.parameters)), Str(t.periodic_granularity), Str(t.periodic_value),
         Int(t.supports_test_mode ? 1 : 0), Str(EncodeStrings(t.allowed_users)), Ms(t.created_at), Str(t.created_by),
         Ms(t.changed_at), Str(t.changed_by)});
  });
}

core::Status JobRepository::DeleteTemplate(std::string_view name, bool* existed) {
  int64_t changed = 0;
  CW_RETURN_IF_ERROR(db_.Write([&](store::Tx& tx) {
    return tx.Exec("DELETE FROM job_templates WHERE name = ?", {Str(std::string(name))}, &changed);
  }));
  *existed = changed > 0;
  return core::Status::Ok();
}

core::Result<std::vector<StoredJob>> JobRepository::LoadJobs() {
  std::vector<StoredJob> out;
  std::map<std::pair<std::string, std::string>, size_t> index;
  core::Status decode_error;
  CW_RETURN_IF_ERROR(db_.Read([&](store::Tx& tx) -> core::Status {
    CW_RETURN_IF_ERROR(tx.Query(
        "SELECT job_name, run_count, text, template_name, template_text, report_name, job_user, creator, status, "
        "created_at, planned_start, started_at, ended_at, app_rc, parameters, orig_job_name, orig_job_count, "
        "restart_count, restart_mode FROM jobs",
        {}, [&](const store::Row& r) {
          StoredJob s;
          Job& j = s.job;
          j.key = {r.String(0), r.String(1)};
          j.text = r.String(2);
          j.template_name = r.String(3);
          j.template_text = r.String(4);
          j.report_name = r.String(5);
          j.job_user = r.String(6);
          j.creator = r.String(7);
          j.status = StatusOf(r.Text(8));
          j.created_at = core::FromUnixMillis(r.Int(9));
          j.planned_start = core::FromUnixMillis(r.Int(10));
          j.started_at = OptTime(r, 11);
          j.ended_at = OptTime(r, 12);
          j.app_rc = static_cast<int>(r.Int(13));
          auto params = ParseParameterValues(r.Text(14));
          if (!params.ok()) {
            decode_error = core::MakeError(core::Code::kInternal, "", "", "job " + j.key.Joined() + " is corrupt");
            return;
          }
          j.parameters = std::move(params).value();
          j.orig_name = r.String(15);
          j.orig_count = r.String(16);
          j.restart_count = static_cast<int>(r.Int(17));
          j.restart_mode = r.String(18);
          index[{j.key.name, j.key.run_count}] = out.size();
          out.push_back(std::move(s));
        }));
    CW_RETURN_IF_ERROR(tx.Query(
        "SELECT job_name, run_count, step_nr, definition, status, started_at, ended_at, app_rc FROM job_steps "
        "ORDER BY job_name, run_count, step_nr",
        {}, [&](const store::Row& r) {
          auto it = index.find({r.String(0), r.String(1)});
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
          s.started_at = OptTime(r, 5);
          s.ended_at = OptTime(r, 6);
          s.app_rc = static_cast<int>(r.Int(7));
          out[it->second].job.steps.push_back(std::move(s));
        }));
    return tx.Query("SELECT job_name, run_count, MAX(seq) FROM job_log GROUP BY job_name, run_count", {},
                    [&](const store::Row& r) {
                      auto it = index.find({r.String(0), r.String(1)});
                      if (it != index.end()) out[it->second].last_log_seq = r.Int(2);
                    });
  }));
  CW_RETURN_IF_ERROR(decode_error);
  return out;
}

core::Status JobRepository::InsertJob(const Job& j, const std::vector<LogLine>& log) {
  return db_.Write([&](store::Tx& tx) -> core::Status {
    CW_RETURN_IF_ERROR(tx.Exec(
        "INSERT INTO jobs (job_name, run_count, text, template_name, template_text, report_name, job_user, creator, "
        "status, created_at, planned_start, started_at, ended_at, app_rc, parameters, orig_job_name, orig_job_count, "
        "restart_count, restart_mode) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        {Str(j.key.name), Str(j.key.run_count), Str(j.text), Str(j.template_name), Str(j.template_text),
         Str(j.report_name), Str(j.job_user), Str(j.creator), Str(std::string(1, Letter(j.status))), Ms(j.created_at),
         Ms(j.planned_start), OptMs(j.started_at), OptMs(j.ended_at), Int(j.app_rc),
         Str(FormatParameterValues(j.parameters)), Str(j.orig_name), Str(j.orig_count), Int(j.restart_count),
         Str(j.restart_mode)}));
    CW_RETURN_IF_ERROR(InsertSteps(tx, j));
    return AppendLog(tx, j.key, log);
  });
}

core::Status JobRepository::UpdateJob(const Job& j, const std::vector<LogLine>& log) {
  return db_.Write([&](store::Tx& tx) -> core::Status {
    CW_RETURN_IF_ERROR(tx.Exec(
        "UPDATE jobs SET status = ?, started_at = ?, ended_at = ?, app_rc = ? WHERE job_name = ? AND run_count = ?",
        {Str(std::string(1, Letter(j.status))), OptMs(j.started_at), OptMs(j.ended_at), Int(j.app_rc),
         Str(j.key.name), Str(j.key.run_count)}));
    for (const StepRun& s : j.steps) {
      CW_RETURN_IF_ERROR(tx.Exec(
          "UPDATE job_steps SET status = ?, started_at = ?, ended_at = ?, app_rc = ? "
          "WHERE job_name = ? AND run_count = ? AND step_nr = ?",
          {Str(std::string(1, Letter(s.status))), OptMs(s.started_at), OptMs(s.ended_at), Int(s.app_rc),
           Str(j.key.name), Str(j.key.run_count), Int(s.step_nr)}));
    }
    return AppendLog(tx, j.key, log);
  });
}

core::Status JobRepository::DeleteJobs(const std::vector<JobKey>& keys) {
  if (keys.empty()) return core::Status::Ok();
  return db_.Write([&](store::Tx& tx) -> core::Status {
    for (const JobKey& k : keys) {
      CW_RETURN_IF_ERROR(DeleteChildren(tx, k));
      CW_RETURN_IF_ERROR(tx.Exec("DELETE FROM job_log WHERE job_name = ? AND run_count = ?",
                                 {Str(k.name), Str(k.run_count)}));
      CW_RETURN_IF_ERROR(tx.Exec("DELETE FROM jobs WHERE job_name = ? AND run_count = ?",
                                 {Str(k.name), Str(k.run_count)}));
    }
    return core::Status::Ok();
  });
}

core::Result<std::vector<LogLine>> JobRepository::LoadLog(const JobKey& key) {
  std::vector<LogLine> out;
  CW_RETURN_IF_ERROR(db_.Read([&](store::Tx& tx) {
    return tx.Query("SELECT seq, step_nr, at, msg_type, text FROM job_log WHERE job_name = ? AND run_count = ? "
                    "ORDER BY seq",
                    {Str(key.name), Str(key.run_count)}, [&](const store::Row& r) {
                      LogLine l;
                      l.seq = r.Int(0);
                      l.step_nr = static_cast<int>(r.Int(1));
                      l.at = core::FromUnixMillis(r.Int(2));
                      auto type = r.Text(3);
                      l.type = type.empty() ? 'I' : type[0];
                      l.text = r.String(4);
                      out.push_back(std::move(l));
                    });
  }));
  return out;
}

}  // namespace causeway::jobs
