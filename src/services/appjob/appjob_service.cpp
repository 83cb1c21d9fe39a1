#include "services/appjob/appjob_service.h"

#include <unordered_map>

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
  // A CHAR parameter as ABAP reads it: trailing blanks are not part of the value, so ' ' is
  // initial (the seed's JobListGet example sends ' ' for every filter it does not use).
  std::string Char(std::string_view name) const {
    std::string s = Str(name);
    while (!s.empty() && s.back() == ' ') s.pop_back();
    return s;
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

struct AppJobService::Types {
  // Entity types of the entity sets, by type name.
  std::unordered_map<std::string, const odata::EntityType*> by_name;
  // Results of the function imports.
  const odata::EntityType* schedule_check = nullptr;
  const odata::EntityType* schedule_status = nullptr;
  const odata::EntityType* func_imp_return = nullptr;
  const odata::EntityType* jobinfo = nullptr;
  const odata::EntityType* joblist = nullptr;
  const odata::EntityType* param_values = nullptr;
  const odata::EntityType* param_values_struct = nullptr;
  const odata::EntityType* template_data = nullptr;
  const odata::EntityType* job_template = nullptr;

  const odata::EntityType& Of(const odata::EntitySet& set) const { return *by_name.at(set.entity_type); }
};

core::Result<std::shared_ptr<AppJobService>> AppJobService::Create(jobs::JobEngine& engine, store::Database& db) {
  odata::Schema schema = BuildAppJobSchema();
  auto types = std::make_unique<Types>();
  for (const auto& t : schema.entity_types) types->by_name[t.name] = &t;
  auto find = [&](const char* name, const odata::EntityType** out) -> core::Status {
    auto it = types->by_name.find(name);
    if (it == types->by_name.end())
      return core::MakeError(core::Code::kInternal, "CAUSEWAY/APPJOB", "001", "The schema has no entity type &1", {name});
    *out = it->second;
    return core::Status::Ok();
  };
  CW_RETURN_IF_ERROR(find("JobScheduleCheck", &types->schedule_check));
  CW_RETURN_IF_ERROR(find("JobScheduleStatus", &types->schedule_status));
  CW_RETURN_IF_ERROR(find("FuncImpReturn", &types->func_imp_return));
  CW_RETURN_IF_ERROR(find("Jobinfo", &types->jobinfo));
  CW_RETURN_IF_ERROR(find("Joblist", &types->joblist));
  CW_RETURN_IF_ERROR(find("JobParamValues", &types->param_values));
  CW_RETURN_IF_ERROR(find("JobParamValuesStruct", &types->param_values_struct));
  CW_RETURN_IF_ERROR(find("JobTemplateParamValueData", &types->template_data));
  CW_RETURN_IF_ERROR(find("JobTemplate", &types->job_template));
  for (const auto& set : schema.entity_sets) {
    if (!types->by_name.count(set.entity_type))
      return core::MakeError(core::Code::kInternal, "CAUSEWAY/APPJOB", "001", "The schema has no entity type &1",
                             {set.entity_type});
  }
  // The pointers stay valid: the schema's vectors are moved, not copied, into the service.
  return std::shared_ptr<AppJobService>(new AppJobService(engine, db, std::move(schema), std::move(types)));
}

AppJobService::AppJobService(jobs::JobEngine& engine, store::Database& db, odata::Schema schema,
                             std::unique_ptr<const Types> types)
    : engine_(engine), db_(db), schema_(std::move(schema)), types_(std::move(types)) {}

AppJobService::~AppJobService() = default;

core::Status AppJobService::RunChangeSet(odata::Context&, const std::function<core::Status()>& operations) const {
  return RunInUnitOfWork(db_, operations);
}

odata::ServiceInfo AppJobService::Info() const {
  odata::ServiceInfo i;
  i.service_namespace = "/SAP/";
  i.service_id = kNamespace;
  i.service_version = "0002";
  i.component_id = "BC-CCM-BTC";  // as in the IBP error body of the seed guide
  // Gateway sends when the model last changed (clients cache $metadata by it): change it with
  // DefineSchema.
  i.metadata_last_modified = "Mon, 30 Nov 2026 00:00:00 GMT";
  return i;
}

odata::Schema AppJobService::DefineSchema() const { return schema_; }

std::shared_ptr<const std::vector<odata::Entity>> AppJobService::TemplateRows() const {
  uint64_t version = engine_.TemplatesVersion();
  std::lock_guard lock(template_rows_mu_);
  if (!template_rows_ || template_rows_version_ != version) {
    const odata::EntityType& type = *types_->job_template;
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
  const odata::EntityType& type = types_->Of(set);
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
  const odata::EntityType& type = types_->Of(set);
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
      if (jobs::IsJobNotFound(job.error())) return std::optional<odata::Entity>();
      return std::move(job).error();
    }
    if (set.name == "JobHeaderSet") return std::optional(JobHeaderEntity(type, *job));
    return std::optional(ScheduleStatusEntity(type, *job));
  }
  if (set.name == "JobStepSet" || set.name == "JobStepLogInfoSet" || set.name == "JobLogMessageSet") {
    auto logs = LoadLogs(key, ctx);
    if (!logs.ok()) {
      if (jobs::IsJobNotFound(logs.error())) return std::optional<odata::Entity>();
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

namespace {

// One function import's call: its parameters, the caller and what the handler may use.
struct FunctionCall {
  jobs::JobEngine& engine;
  const AppJobService::Types& types;
  const Params& p;
  const jobs::Caller caller;
  odata::Context& ctx;
  const std::string& name;

  // JobParamValues(Struct)Get call the run count `JobCount` (spec §1.4.8).
  jobs::JobKey Key() const { return {p.Char("JobName"), p.Find("JobCount") ? p.Char("JobCount") : p.Char("JobRunCount")}; }
};
using Handler = core::Result<odata::FunctionResult> (*)(const FunctionCall&);

core::Result<odata::FunctionResult> ScheduleOrCheck(const FunctionCall& c) {
  jobs::ScheduleRequest req;
  req.template_name = c.p.Char("JobTemplateName");
  req.text = c.p.Str("JobText");
  // JobUserName / JobUserID are obsolete spellings of JobUser (spec §1.4.1).
  req.job_user = c.p.Char("JobUser");
  if (req.job_user.empty()) req.job_user = c.p.Char("JobUserName");
  if (req.job_user.empty()) req.job_user = c.p.Char("JobUserID");
  req.parameter_values = c.p.Str("JobParameterValues");
  req.parameter_values_simple = c.p.Str("JobParameterValuesSimple");
  req.test_mode = c.p.Bool("TestModeInd");
  if (req.template_name.empty()) return jobs::TemplateNotFound("");
  if (c.name == "JobScheduleCheck") {
    CW_ASSIGN_OR_RETURN(auto check, c.engine.CheckSchedule(c.caller, req));
    return One(ScheduleCheckEntity(*c.types.schedule_check, check));
  }
  CW_ASSIGN_OR_RETURN(auto result, c.engine.Schedule(c.caller, req));
  for (const auto& w : result.warnings)
    c.ctx.messages.push_back({.code = "APJ_RT/074", .message = w, .target = "", .severity = core::Severity::kWarning});
  return One(ScheduleStatusEntity(*c.types.schedule_status, result.job));
}

core::Result<odata::FunctionResult> StatusGet(const FunctionCall& c) {
  jobs::Job job;
  job.key = c.Key();
  CW_ASSIGN_OR_RETURN(job.status, c.engine.GetStatus(c.caller, job.key));
  return One(ScheduleStatusEntity(*c.types.schedule_status, job));
}

core::Result<odata::FunctionResult> CancelOrAbort(const FunctionCall& c) {
  CW_RETURN_IF_ERROR(c.name == "JobCancel" ? c.engine.Cancel(c.caller, c.Key()) : c.engine.Abort(c.caller, c.Key()));
  return One(FuncImpReturnEntity(*c.types.func_imp_return));
}

core::Result<odata::FunctionResult> Restart(const FunctionCall& c) {
  CW_ASSIGN_OR_RETURN(auto job, c.engine.Restart(c.caller, c.Key(), c.p.Char("JobRestartMode")));
  return One(ScheduleStatusEntity(*c.types.schedule_status, job));
}

core::Result<odata::FunctionResult> InfoGet(const FunctionCall& c) {
  CW_ASSIGN_OR_RETURN(auto job, c.engine.GetJob(c.caller, c.Key()));
  return Many(JobinfoEntities(*c.types.jobinfo, job));
}

core::Result<odata::FunctionResult> ListGet(const FunctionCall& c) {
  jobs::JobFilter f;
  f.job_name = c.p.Char("JobName");
  f.text = c.p.Char("JobText");
  f.template_name = c.p.Char("TemplateName");
  f.creator = c.p.Char("JobCreator");
  f.report = c.p.Char("Report");
  f.variant = c.p.Char("Variant");
  f.created_from = c.p.Time("CreationTimeFrom");
  f.created_to = c.p.Time("CreationTimeTo");
  CW_ASSIGN_OR_RETURN(std::vector<jobs::Job> list, c.engine.ListJobs(c.caller, f));
  std::vector<odata::Entity> rows;
  for (const auto& j : list) rows.push_back(JoblistEntity(*c.types.joblist, j));
  return Many(std::move(rows));
}

// The values as one string (…Get) or one entity per parameter (…StructGet).
odata::FunctionResult ParamValues(const FunctionCall& c, const std::vector<jobs::ParameterValue>& values) {
  if (c.name.ends_with("StructGet")) return Many(ParamStructEntities(*c.types.param_values_struct, values));
  return One(EntityBuilder(*c.types.param_values).Set("ParameterValues", jobs::FormatParameterValues(values)).Build());
}

core::Result<odata::FunctionResult> JobParamValues(const FunctionCall& c) {
  CW_ASSIGN_OR_RETURN(auto job, c.engine.GetJob(c.caller, c.Key()));
  return ParamValues(c, job.parameters);
}

core::Result<odata::FunctionResult> TemplateValues(const FunctionCall& c) {
  CW_ASSIGN_OR_RETURN(auto defaults, c.engine.TemplateParameterValues(c.p.Char("JobTemplateName")));
  return ParamValues(c, defaults);
}

core::Result<odata::FunctionResult> TemplateRead(const FunctionCall& c) {
  CW_ASSIGN_OR_RETURN(auto tmpl, c.engine.FindTemplate(c.p.Char("JobTemplateName")));
  return One(EntityBuilder(*c.types.template_data).Set("TemplateData", TemplateDataJson(tmpl)).Build());
}

// Every function import of the schema (appjob_schema.cpp) and its handler.
const std::unordered_map<std::string_view, Handler>& Handlers() {
  static const std::unordered_map<std::string_view, Handler> handlers = {
      {"JobSchedule", ScheduleOrCheck},         {"JobScheduleCheck", ScheduleOrCheck},
      {"JobStatusGet", StatusGet},              {"JobCancel", CancelOrAbort},
      {"JobAbort", CancelOrAbort},              {"JobRestart", Restart},
      {"JobinfoGet", InfoGet},                  {"JobListGet", ListGet},
      {"JobParamValuesGet", JobParamValues},    {"JobParamValuesStructGet", JobParamValues},
      {"TemplateValuesGet", TemplateValues},    {"TemplateValuesStructGet", TemplateValues},
      {"JobTemplateRead", TemplateRead},
  };
  return handlers;
}

}  // namespace

core::Result<odata::FunctionResult> AppJobService::CallFunction(const odata::FunctionImport& fn,
                                                                const std::vector<Value>& values,
                                                                odata::Context& ctx) const {
  auto handler = Handlers().find(fn.name);
  if (handler == Handlers().end()) return odata::NotImplemented(fn.name);
  const Params p(fn, values);
  return handler->second(FunctionCall{engine_, *types_, p, CallerOf(ctx), ctx, fn.name});
}

}  // namespace causeway::services::appjob
