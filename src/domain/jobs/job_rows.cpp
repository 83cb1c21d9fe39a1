#include "domain/jobs/job_rows.h"

#include <algorithm>
#include <unordered_map>

#include "domain/jobs/job_codec.h"
#include "domain/jobs/job_errors.h"
#include "domain/jobs/job_parameters.h"
#include "store/repeated_sql.h"

namespace causeway::jobs::rows {

const char kJobColumns[] =
    "job_name, run_count, text, template_name, template_text, report_name, job_user, creator, status, created_at, "
    "planned_start, started_at, ended_at, app_rc, parameters, orig_job_name, orig_job_count, restart_count, "
    "restart_mode";

std::vector<std::string> JobColumnList() {
  std::vector<std::string> out;
  std::string_view all = kJobColumns;
  while (!all.empty()) {
    size_t comma = all.find(',');
    std::string_view col = all.substr(0, comma);
    while (!col.empty() && col.front() == ' ') col.remove_prefix(1);
    out.emplace_back(col);
    all = comma == std::string_view::npos ? std::string_view() : all.substr(comma + 1);
  }
  return out;
}

namespace {
std::optional<core::SystemTime> OptTime(const store::Row& r, int col) {
  if (r.IsNull(col)) return std::nullopt;
  return core::FromUnixMillis(r.Int(col));
}
}  // namespace

JobStatus StatusOf(std::string_view s) {
  auto st = s.empty() ? std::nullopt : StatusFromLetter(s[0]);
  return st.value_or(JobStatus::kUnknown);
}
store::Value StatusValue(JobStatus s) { return store::Value(std::string(1, jobs::Letter(s))); }
store::Value Ms(core::SystemTime t) { return store::Value(core::ToUnixMillis(t)); }
store::Value OptMs(const std::optional<core::SystemTime>& t) { return t ? Ms(*t) : store::Value(); }
store::Value Str(std::string s) { return store::Value(std::move(s)); }

core::Result<Job> DecodeJob(const store::Row& r) {
  Job j;
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
  if (!params.ok()) return CorruptJobData("job " + j.key.Joined() + " is corrupt");
  j.parameters = std::move(params).value();
  j.orig_name = r.String(15);
  j.orig_count = r.String(16);
  j.restart_count = static_cast<int>(r.Int(17));
  j.restart_mode = r.String(18);
  return j;
}

namespace {
// A step row whose columns start at `first`: step_nr, definition, status, started_at, ended_at, app_rc.
core::Result<StepRun> DecodeStepRow(const store::Row& r, int first) {
  CW_ASSIGN_OR_RETURN(StepDefinition def, DecodeStep(r.Text(first + 1)));
  StepRun s;
  s.step_nr = static_cast<int>(r.Int(first));
  s.definition = std::move(def);
  s.status = StatusOf(r.Text(first + 2));
  s.started_at = OptTime(r, first + 3);
  s.ended_at = OptTime(r, first + 4);
  s.app_rc = static_cast<int>(r.Int(first + 5));
  return s;
}
}  // namespace

core::Status LoadSteps(store::Tx& tx, Job* job) {
  job->steps.clear();
  core::Status decode_error;
  CW_RETURN_IF_ERROR(tx.Query(
      "SELECT step_nr, definition, status, started_at, ended_at, app_rc FROM job_steps "
      "WHERE job_name = ? AND run_count = ? ORDER BY step_nr",
      {Str(job->key.name), Str(job->key.run_count)}, [&](const store::Row& r) {
        auto s = DecodeStepRow(r, 0);
        if (!s.ok()) decode_error = std::move(s).error();
        else job->steps.push_back(std::move(s).value());
      }));
  return decode_error;
}

core::Status LoadStepsOf(store::Tx& tx, std::vector<Job>& jobs) {
  std::unordered_map<std::string, Job*> by_key;
  for (Job& j : jobs) {
    j.steps.clear();
    by_key[j.key.Joined()] = &j;
  }
  core::Status decode_error;
  std::vector<store::Value> params;
  for (size_t begin = 0; begin < jobs.size(); begin += kKeysPerStatement) {
    const size_t n = std::min(kKeysPerStatement, jobs.size() - begin);
    params.clear();
    for (size_t i = begin; i < begin + n; ++i) params.push_back(Str(jobs[i].key.name));
    static const store::RepeatedSql kSteps(
        "SELECT job_name, run_count, step_nr, definition, status, started_at, ended_at, app_rc FROM job_steps "
        "WHERE job_name IN (",
        "?", ", ", ")", kKeysPerStatement);
    CW_RETURN_IF_ERROR(tx.Query(kSteps(n), params, [&](const store::Row& r) {
      auto it = by_key.find(r.String(0) + "/" + r.String(1));
      if (it == by_key.end()) return;
      auto s = DecodeStepRow(r, 2);
      if (!s.ok()) decode_error = std::move(s).error();
      else it->second->steps.push_back(std::move(s).value());
    }));
  }
  CW_RETURN_IF_ERROR(decode_error);
  // Step numbers are integers: sorted here rather than by the keys' collation in SQL.
  for (Job& j : jobs)
    std::sort(j.steps.begin(), j.steps.end(), [](const StepRun& a, const StepRun& b) { return a.step_nr < b.step_nr; });
  return core::Status::Ok();
}

}  // namespace causeway::jobs::rows
