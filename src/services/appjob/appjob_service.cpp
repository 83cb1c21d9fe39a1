#include "services/appjob/appjob_service.h"

#include <cstdlib>

#include "domain/jobs/job_errors.h"
#include "odata/query_memory.h"
#include "services/appjob/appjob_entities.h"
#include "services/appjob/appjob_schema.h"
#include "services/common/unit_of_work_answer.h"

namespace causeway::services::appjob {
namespace {

using odata::Value;

// Function-import parameters by name (aligned with FunctionImport::parameters).
class Params {
 public:
  Params(const odata::FunctionImport& fn, const std::vector<Value>& values) : fn_(fn), values_(values) {}
  const Value* Find(std::string_view name) const {
    for (size_t i = 0; i < fn_.parameters.size() && i < values_.size(); ++i)
      if (fn_.parameters[i].name == name) return &values_[i];
    return nullptr;
  }
  std::string Str(std::string_view name) const {
    const Value* v = Find(name);
    const std::string* s = v ? v->get_if<std::string>() : nullptr;
    return s ? *s : std::string();
  }
  bool Bool(std::string_view name) const {
    const Value* v = Find(name);
    const bool* b = v ? v->get_if<bool>() : nullptr;
    return b && *b;
  }
  std::optional<core::SystemTime> Time(std::string_view name) const {
    const Value* v = Find(name);
    const odata::DateTime* d = v ? v->get_if<odata::DateTime>() : nullptr;
    if (!d) return std::nullopt;
    return core::FromUnixMillis(d->ms);
  }

 private:
  const odata::FunctionImport& fn_;
  const std::vector<Value>& values_;
};

jobs::Caller CallerOf(const odata::Context& ctx) {
  jobs::Caller c;
  if (ctx.request != nullptr) {
    c.user = ctx.request->user;
    c.all_jobs = ctx.request->HasScenario("SAP_COM_0326");
  }
  return c;
}

const std::string* KeyString(const odata::KeyValues& key, size_t i) {
  return i < key.size() ? key[i].get_if<std::string>() : nullptr;
}

odata::FunctionResult One(odata::Entity e) {
  odata::FunctionResult r;
  r.entities.push_back(std::move(e));
  return r;
}

odata::FunctionResult Many(std::vector<odata::Entity> es) {
  odata::FunctionResult r;
  r.entities = std::move(es);
  return r;
}

}  // namespace

AppJobService::AppJobService(jobs::JobEngine& engine, store::Database& db)
    : engine_(engine), db_(db), schema_(BuildAppJobSchema()) {}

core::Status AppJobService::RunChangeSet(odata::Context&, const std::function<core::Status()>& operations) const {
  return RunInUnitOfWork(db_, operations);
}

odata::ServiceInfo AppJobService::Info() const {
  odata::ServiceInfo i;
  i.service_namespace = "/SAP/";
  i.service_id = kNamespace;
  i.service_version = "0002";
  i.component_id = "BC-CCM-BTC";  // as in the IBP error body of the seed guide
  return i;
}

odata::Schema AppJobService::DefineSchema() const { return schema_; }

const odata::EntityType& AppJobService::Type(std::string_view name) const {
  for (const auto& t : schema_.entity_types)
    if (t.name == name) return t;
  // Every name used below is defined in appjob_schema.cpp; reaching this is a programming error.
  std::abort();
}

std::shared_ptr<const std::vector<odata::Entity>> AppJobService::TemplateRows() const {
  uint64_t version = engine_.TemplatesVersion();
  std::lock_guard lock(template_rows_mu_);
  if (!template_rows_ || template_rows_version_ != version) {
    const odata::EntityType& type = Type("JobTemplate");
    auto rows = std::make_shared<std::vector<odata::Entity>>();
    for (const auto& t : engine_.Templates()) rows->push_back(JobTemplateEntity(type, t));
    template_rows_ = std::move(rows);
    template_rows_version_ = version;
  }
  return template_rows_;
}

// Templates are the same for every caller and change only through the job engine, which counts
// each change; status texts depend only on the language, which the engine keys by itself. Jobs
// are filtered by caller and change constantly: never cached.
std::optional<uint64_t> AppJobService::ReadVersion(const odata::EntitySet& set) const {
  if (set.name == "JobTemplateSet") return engine_.TemplatesVersion();
  if (set.name == "JobStatusInfoSet") return 0;
  return std::nullopt;
}

core::Result<odata::EntityCollection> AppJobService::ReadEntitySet(const odata::EntitySet& set,
                                                                   const odata::QueryOptions& q,
                                                                   odata::Context& ctx) const {
  const odata::EntityType& type = Type(set.entity_type);
  std::vector<odata::Entity> rows;
  if (set.name == "JobTemplateSet") {
    return odata::ApplyQueryInMemory(set, type, *TemplateRows(), q);
  } else if (set.name == "JobStatusInfoSet") {
    for (const auto& st : jobs::StatusTexts(ctx.language))
      rows.push_back(EntityBuilder(type)
                         .Set("JobStatus", std::string(1, jobs::Letter(st.status)))
                         .Set("JobStatusText", std::string(st.text))
                         .Build());
  } else if (set.name == "JobHeaderSet") {
    CW_ASSIGN_OR_RETURN(std::vector<jobs::Job> list, engine_.ListJobs(CallerOf(ctx), {}));
    for (const auto& j : list) rows.push_back(JobHeaderEntity(type, j));
  } else {
    return odata::NotImplemented("GET_ENTITYSET");
  }
  return odata::ApplyQueryInMemory(set, type, std::move(rows), q);
}

core::Result<std::optional<odata::Entity>> AppJobService::ReadEntity(const odata::EntitySet& set,
                                                                     const odata::KeyValues& key,
                                                                     odata::Context& ctx) const {
  const odata::EntityType& type = Type(set.entity_type);
  if (set.name == "JobTemplateSet") {
    const std::string* name = KeyString(key, 0);
    const std::string* version = KeyString(key, 1);
    if (!name || !version) return std::optional<odata::Entity>();
    static const size_t kName = static_cast<size_t>(odata::PropertyIndex(type, "JobTemplateName"));
    static const size_t kVersion = static_cast<size_t>(odata::PropertyIndex(type, "JobTemplateVersion"));
    auto rows = TemplateRows();
    for (const auto& row : *rows) {
      const std::string* n = KeyString(row.values, kName);
      const std::string* v = KeyString(row.values, kVersion);
      if (n && v && *n == *name && *v == *version) return std::optional(row);
    }
    return std::optional<odata::Entity>();
  }
  if (set.name == "JobStatusInfoSet") {
    const std::string* letter = KeyString(key, 0);
    for (const auto& st : jobs::StatusTexts(ctx.language))
      if (letter && letter->size() == 1 && (*letter)[0] == jobs::Letter(st.status))
        return std::optional(EntityBuilder(type).Set("JobStatus", *letter).Set("JobStatusText", std::string(st.text)).Build());
    return std::optional<odata::Entity>();
  }
  if (set.name == "JobHeaderSet" || set.name == "JobScheduleStatusCollection") {
    const std::string* name = KeyString(key, 0);
    const std::string* count = KeyString(key, 1);
    if (!name || !count) return std::optional<odata::Entity>();
    auto job = engine_.GetJob(CallerOf(ctx), {*name, *count});
    if (!job.ok()) {
      if (job.error().message_number == "003") return std::optional<odata::Entity>();
      return std::move(job).error();
    }
    if (set.name == "JobHeaderSet") return std::optional(JobHeaderEntity(type, *job));
    return std::optional(ScheduleStatusEntity(type, *job));
  }
  if (set.name == "JobStepSet" || set.name == "JobStepLogInfoSet" || set.name == "JobLogMessageSet") {
    auto logs = LoadLogs(key, ctx);
    if (!logs.ok()) {
      if (logs.error().message_number == "003") return std::optional<odata::Entity>();
      return std::move(logs).error();
    }
    const jobs::Job& job = logs->job;
    const int64_t* step_nr = key.size() > 2 ? key[2].get_if<int64_t>() : nullptr;
    if (step_nr == nullptr) return std::optional<odata::Entity>();
    if (set.name == "JobStepSet") {
      for (const auto& s : job.steps)
        if (s.step_nr == *step_nr) return std::optional(JobStepEntity(type, job, s, logs->NrOfLogs(s.step_nr)));
      return std::optional<odata::Entity>();
    }
    const std::string* handle = KeyString(key, 3);
    const jobs::StepLog* log = logs->Find(static_cast<int>(*step_nr));
    if (log == nullptr || handle == nullptr || *handle != LogHandle(job, log->step_nr)) return std::optional<odata::Entity>();
    if (set.name == "JobStepLogInfoSet") return std::optional(JobStepLogInfoEntity(type, job, *log));
    const std::string* number = KeyString(key, 4);
    for (const auto& m : log->messages) {
      odata::Entity e = JobLogMessageEntity(type, job, *log, m);
      if (number && e.values[static_cast<size_t>(odata::PropertyIndex(type, "MsgNumber"))] == Value(*number))
        return std::optional(std::move(e));
    }
    return std::optional<odata::Entity>();
  }
  return odata::NotImplemented("GET_ENTITY");
}

core::Result<odata::EntityCollection> AppJobService::ReadNavigation(const odata::EntitySet& set,
                                                                    const odata::KeyValues& key,
                                                                    const odata::NavigationTarget& nav,
                                                                    const odata::QueryOptions& q,
                                                                    odata::Context& ctx) const {
  if (nav.property == nullptr || nav.target_type == nullptr) return odata::NotImplemented("GET_ENTITYSET");
  const std::string& to = nav.property->name;
  const bool supported = (set.name == "JobHeaderSet" && to == "JobStepSet") ||
                         (set.name == "JobStepSet" && to == "JobStepLogInfoSet") ||
                         (set.name == "JobStepLogInfoSet" && to == "JobLogMessageSet");
  if (!supported) return odata::NotImplemented("GET_ENTITYSET");
  CW_ASSIGN_OR_RETURN(StepLogs logs, LoadLogs(key, ctx));
  const jobs::Job& job = logs.job;
  const odata::EntityType& type = *nav.target_type;
  std::vector<odata::Entity> rows;
  if (to == "JobStepSet") {
    for (const auto& s : job.steps) rows.push_back(JobStepEntity(type, job, s, logs.NrOfLogs(s.step_nr)));
  } else {
    const int64_t* step_nr = key.size() > 2 ? key[2].get_if<int64_t>() : nullptr;
    const jobs::StepLog* log = step_nr ? logs.Find(static_cast<int>(*step_nr)) : nullptr;
    const std::string* handle = KeyString(key, 3);
    if (log != nullptr && to == "JobStepLogInfoSet") rows.push_back(JobStepLogInfoEntity(type, job, *log));
    if (log != nullptr && to == "JobLogMessageSet" && handle && *handle == LogHandle(job, log->step_nr))
      for (const auto& m : log->messages) rows.push_back(JobLogMessageEntity(type, job, *log, m));
  }
  if (nav.target_set == nullptr) return odata::EntityCollection{std::move(rows), std::nullopt, ""};
  return odata::ApplyQueryInMemory(*nav.target_set, type, std::move(rows), q);
}

const jobs::StepLog* AppJobService::StepLogs::Find(int step_nr) const {
  for (const auto& l : logs)
    if (l.step_nr == step_nr) return &l;
  return nullptr;
}

core::Result<AppJobService::StepLogs> AppJobService::LoadLogs(const odata::KeyValues& key, odata::Context& ctx) const {
  const std::string* name = KeyString(key, 0);
  const std::string* count = KeyString(key, 1);
  if (!name || !count) return jobs::JobNotFound();
  const jobs::Caller caller = CallerOf(ctx);
  StepLogs out;
  CW_ASSIGN_OR_RETURN(out.job, engine_.GetJob(caller, {*name, *count}));
  CW_ASSIGN_OR_RETURN(std::vector<jobs::LogLine> lines, engine_.JobLog(caller, out.job.key));
  // Only logs with messages exist (see JobStepLogInfoEntity).
  for (auto& l : jobs::StepLogs(out.job, lines))
    if (!l.messages.empty()) out.logs.push_back(std::move(l));
  return out;
}

core::Result<odata::FunctionResult> AppJobService::CallFunction(const odata::FunctionImport& fn,
                                                                const std::vector<Value>& values,
                                                                odata::Context& ctx) const {
  const Params p(fn, values);
  const jobs::Caller caller = CallerOf(ctx);
  const std::string& name = fn.name;
  if (name == "JobSchedule" || name == "JobScheduleCheck") {
    jobs::ScheduleRequest req;
    req.template_name = p.Str("JobTemplateName");
    req.text = p.Str("JobText");
    // JobUserName / JobUserID are obsolete spellings of JobUser (spec §1.4.1).
    req.job_user = p.Str("JobUser");
    if (req.job_user.empty()) req.job_user = p.Str("JobUserName");
    if (req.job_user.empty()) req.job_user = p.Str("JobUserID");
    req.parameter_values = p.Str("JobParameterValues");
    req.parameter_values_simple = p.Str("JobParameterValuesSimple");
    req.test_mode = p.Bool("TestModeInd");
    if (req.template_name.empty()) return jobs::TemplateNotFound("");
    if (name == "JobScheduleCheck") {
      CW_ASSIGN_OR_RETURN(auto check, engine_.CheckSchedule(caller, req));
      return One(ScheduleCheckEntity(Type("JobScheduleCheck"), check));
    }
    CW_ASSIGN_OR_RETURN(auto result, engine_.Schedule(caller, req));
    for (const auto& w : result.warnings)
      ctx.messages.push_back({.code = "APJ_RT/074", .message = w, .target = "", .severity = core::Severity::kWarning});
    return One(ScheduleStatusEntity(Type("JobScheduleStatus"), result.job));
  }
  // JobParamValues(Struct)Get call the run count `JobCount` (spec §1.4.8).
  const jobs::JobKey key{p.Str("JobName"), p.Find("JobCount") ? p.Str("JobCount") : p.Str("JobRunCount")};
  if (name == "JobStatusGet") {
    CW_ASSIGN_OR_RETURN(jobs::JobStatus status, engine_.GetStatus(caller, key));
    jobs::Job job;
    job.key = key;
    job.status = status;
    return One(ScheduleStatusEntity(Type("JobScheduleStatus"), job));
  }
  if (name == "JobCancel" || name == "JobAbort") {
    CW_RETURN_IF_ERROR(name == "JobCancel" ? engine_.Cancel(caller, key) : engine_.Abort(caller, key));
    return One(FuncImpReturnEntity(Type("FuncImpReturn")));
  }
  if (name == "JobRestart") {
    CW_ASSIGN_OR_RETURN(auto job, engine_.Restart(caller, key, p.Str("JobRestartMode")));
    return One(ScheduleStatusEntity(Type("JobScheduleStatus"), job));
  }
  if (name == "JobinfoGet") {
    CW_ASSIGN_OR_RETURN(auto job, engine_.GetJob(caller, key));
    return Many(JobinfoEntities(Type("Jobinfo"), job));
  }
  if (name == "JobListGet") {
    jobs::JobFilter f;
    f.job_name = p.Str("JobName");
    f.text = p.Str("JobText");
    f.template_name = p.Str("TemplateName");
    f.creator = p.Str("JobCreator");
    f.report = p.Str("Report");
    f.variant = p.Str("Variant");
    f.created_from = p.Time("CreationTimeFrom");
    f.created_to = p.Time("CreationTimeTo");
    CW_ASSIGN_OR_RETURN(std::vector<jobs::Job> list, engine_.ListJobs(caller, f));
    std::vector<odata::Entity> rows;
    for (const auto& j : list) rows.push_back(JoblistEntity(Type("Joblist"), j));
    return Many(std::move(rows));
  }
  if (name == "JobParamValuesGet" || name == "JobParamValuesStructGet") {
    CW_ASSIGN_OR_RETURN(auto job, engine_.GetJob(caller, key));
    if (name == "JobParamValuesStructGet") return Many(ParamStructEntities(Type("JobParamValuesStruct"), job.parameters));
    return One(EntityBuilder(Type("JobParamValues")).Set("ParameterValues", jobs::FormatParameterValues(job.parameters)).Build());
  }
  if (name == "TemplateValuesGet" || name == "TemplateValuesStructGet") {
    CW_ASSIGN_OR_RETURN(auto defaults, engine_.TemplateParameterValues(p.Str("JobTemplateName")));
    if (name == "TemplateValuesStructGet") return Many(ParamStructEntities(Type("JobParamValuesStruct"), defaults));
    return One(EntityBuilder(Type("JobParamValues")).Set("ParameterValues", jobs::FormatParameterValues(defaults)).Build());
  }
  if (name == "JobTemplateRead") {
    CW_ASSIGN_OR_RETURN(auto tmpl, engine_.FindTemplate(p.Str("JobTemplateName")));
    return One(EntityBuilder(Type("JobTemplateParamValueData")).Set("TemplateData", TemplateDataJson(tmpl)).Build());
  }
  return odata::NotImplemented(name);
}

}  // namespace causeway::services::appjob
