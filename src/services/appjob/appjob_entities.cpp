#include "services/appjob/appjob_entities.h"

#include <boost/json.hpp>
#include <cassert>
#include <cstdio>

#include "core/time_format.h"

namespace causeway::services::appjob {

using odata::Value;

EntityBuilder& EntityBuilder::Set(std::string_view property, Value v) {
  int i = odata::PropertyIndex(type_, property);
  assert(i >= 0 && "property not in entity type");
  if (i >= 0) entity_.values[static_cast<size_t>(i)] = std::move(v);
  return *this;
}

Value DateTimeValue(core::SystemTime t) { return Value(odata::DateTime{core::ToUnixMillis(t)}); }
Value DateTimeValue(const std::optional<core::SystemTime>& t) { return t ? DateTimeValue(*t) : Value(); }

namespace {
Value StatusValue(jobs::JobStatus s) { return Value(std::string(1, jobs::Letter(s))); }
Value Int(int64_t i) { return Value(i); }
// JobHeader/JobStep timestamps are strings, "YYYYMMDDHHMMSS.fffffff" in UTC as IBP clients
// read them (spec §1.3.3); empty when the event has not happened.
Value Stamp(const std::optional<core::SystemTime>& t) { return Value(t ? core::FormatSapTimestamp(*t) : std::string()); }

// The step shown in job-level rows: the last one that started, else the first.
const jobs::StepRun* CurrentStep(const jobs::Job& job) {
  const jobs::StepRun* cur = job.steps.empty() ? nullptr : &job.steps.front();
  for (const auto& s : job.steps)
    if (s.started_at) cur = &s;
  return cur;
}

std::string LogStatus(jobs::JobStatus s) {
  switch (s) {
    case jobs::JobStatus::kFinished: return "S";
    case jobs::JobStatus::kWarning: return "W";
    case jobs::JobStatus::kFailed: case jobs::JobStatus::kUserError: case jobs::JobStatus::kCanceled: return "E";
    default: return "I";
  }
}
}  // namespace

odata::Entity ScheduleStatusEntity(const odata::EntityType& t, const jobs::Job& job) {
  return EntityBuilder(t)
      .Set("JobName", job.key.name)
      .Set("JobRunCount", job.key.run_count)
      .Set("JobStatus", StatusValue(job.status))
      .Set("ReturnCode", Int(0))
      .Build();
}

odata::Entity FuncImpReturnEntity(const odata::EntityType& t) { return EntityBuilder(t).Set("ReturnCode", Int(0)).Build(); }

std::vector<odata::Entity> JobinfoEntities(const odata::EntityType& t, const jobs::Job& job) {
  std::vector<odata::Entity> out;
  for (const auto& s : job.steps) {
    out.push_back(EntityBuilder(t)
                      .Set("JobName", job.key.name)
                      .Set("JobRunCount", job.key.run_count)
                      .Set("StepCount", Int(s.step_nr))
                      .Set("JobStatus", StatusValue(job.status))
                      .Set("JobSdlDateTime", DateTimeValue(job.planned_start))
                      .Set("JobStartDateTime", DateTimeValue(job.started_at))
                      .Set("JobEndDateTime", DateTimeValue(job.ended_at))
                      .Set("JobAppRC", Int(job.app_rc))
                      .Set("StepStatus", StatusValue(s.status))
                      .Set("StepStartDateTime", DateTimeValue(s.started_at))
                      .Set("StepAppRC", Int(s.app_rc))
                      .Build());
  }
  return out;
}

odata::Entity JoblistEntity(const odata::EntityType& t, const jobs::Job& job) {
  const jobs::StepRun* step = CurrentStep(job);
  EntityBuilder b(t);
  b.Set("JobName", job.key.name)
      .Set("JobRunCount", job.key.run_count)
      .Set("JobText", job.text)
      .Set("TemplateName", job.template_name)
      .Set("JobCreator", job.creator.substr(0, 12))
      .Set("Report", job.report_name)
      .Set("Variant", "")
      .Set("NrSteps", Int(static_cast<int64_t>(job.steps.size())))
      .Set("JobStatus", StatusValue(job.status))
      .Set("JobLogStatus", LogStatus(job.status))
      .Set("JobCreaDateTime", DateTimeValue(job.created_at))
      .Set("JobSchedDateTime", DateTimeValue(job.planned_start))
      .Set("JobStartDateTime", DateTimeValue(job.started_at))
      .Set("JobEndDateTime", DateTimeValue(job.ended_at))
      .Set("JobAppRC", Int(job.app_rc));
  if (step != nullptr)
    b.Set("StepStartDateTime", DateTimeValue(step->started_at)).Set("StepStatus", StatusValue(step->status)).Set("StepApRC", Int(step->app_rc));
  return b.Build();
}

odata::Entity JobHeaderEntity(const odata::EntityType& t, const jobs::Job& job) {
  return EntityBuilder(t)
      .Set("JobName", job.key.name)
      .Set("JobRunCount", job.key.run_count)
      .Set("JobText", job.text)
      .Set("JobTemplateName", job.template_name)
      .Set("JobTemplateText", job.template_text)
      .Set("JobSeriesCreatedAt", Stamp(job.created_at))
      .Set("JobCreatedBy", job.creator.substr(0, 12))
      .Set("JobStatus", StatusValue(job.status))
      .Set("JobPlannedStartDateTime", Stamp(job.planned_start))
      .Set("JobCreaDateTime", Stamp(job.created_at))
      .Set("JobStartDateTime", Stamp(job.started_at))
      .Set("JobEndDateTime", Stamp(job.ended_at))
      .Set("TaskEndDateTime", Stamp(job.ended_at))
      .Set("Periodic", false)
      .Set("PeriodicMinutes", "")
      .Set("PeriodicHours", "")
      .Set("PeriodicDays", "")
      .Set("PeriodicWeeks", "")
      .Set("PeriodicMonths", "")
      .Set("JobStepCount", Int(static_cast<int64_t>(job.steps.size())))
      .Set("JobCreatedByFormattedName", job.creator)
      .Set("JobEndMaxIterations", Int(0))
      .Set("FactoryCalendar", "")
      .Set("StartRestrictionCode", "")
      .Set("TaskWeekDay", "")
      .Set("TaskWorkDayNo", "")
      .Set("TaskWorkDirCdir", "")
      .Set("TaskUseWorkdaysInd", false)
      .Set("TimeZone", "UTC")
      .Set("JobHasResults", false)
      .Set("OrigJobName", job.orig_name)
      .Set("OrigJobCount", job.orig_count)
      .Set("JobRestartCount", Int(job.restart_count))
      .Set("JobRunRestartMode", job.restart_mode)
      .Build();
}

odata::Entity JobStepEntity(const odata::EntityType& t, const jobs::Job& job, const jobs::StepRun& step, int nr_of_logs) {
  return EntityBuilder(t)
      .Set("JobName", job.key.name)
      .Set("JobRunCount", job.key.run_count)
      .Set("StepNumber", Int(step.step_nr))
      .Set("JobCatalogEntryName", step.definition.catalog_entry_name)
      .Set("JobCatalogEntryText", step.definition.text)
      .Set("StepStartDateTime", Stamp(step.started_at))
      .Set("StepStatus", StatusValue(step.status))
      .Set("StepAppRC", Int(step.app_rc))
      .Set("StepHasResults", false)
      .Set("NrOfLogs", Int(nr_of_logs))
      .Build();
}

std::string LogHandle(const jobs::Job& job, int step_nr) {
  uint64_t h = 14695981039346656037ull;  // FNV-1a 64
  for (char c : job.key.Joined()) {
    h ^= static_cast<unsigned char>(c);
    h *= 1099511628211ull;
  }
  char out[32];
  std::snprintf(out, sizeof out, "%016llX%06d", static_cast<unsigned long long>(h), step_nr % 1000000);
  return out;
}

namespace {
// Texts of the message types (ABAP domain MSGTY, English).
std::string SeverityText(char type) {
  switch (type) {
    case 'A': return "Termination";
    case 'E': return "Error";
    case 'W': return "Warning";
    case 'I': return "Information";
    default: return "Success";
  }
}
}  // namespace

odata::Entity JobStepLogInfoEntity(const odata::EntityType& t, const jobs::Job& job, const jobs::StepLog& log) {
  // LogNumber: the 20-digit number of the log (BALHDR-LOGNUMBER style), derived from the handle.
  const std::string handle = LogHandle(job, log.step_nr);
  std::string number = std::to_string(std::stoull(handle.substr(0, 16), nullptr, 16) % 100000000000000ull);
  number = std::string(14 - number.size(), '0') + number + handle.substr(16);
  return EntityBuilder(t)
      .Set("JobName", job.key.name)
      .Set("JobRunCount", job.key.run_count)
      .Set("StepNumber", Int(log.step_nr))
      .Set("LogHandle", handle)
      .Set("LogNumber", number)
      .Set("MsgCntAll", Int(static_cast<int64_t>(log.messages.size())))
      .Set("MsgCntA", Int(log.Count('A')))
      .Set("MsgCntE", Int(log.Count('E')))
      .Set("MsgCntW", Int(log.Count('W')))
      .Set("MsgCntI", Int(log.Count('I')))
      .Set("MsgCntS", Int(log.Count('S')))
      .Set("CreaDateTime", Stamp(log.created_at))
      .Set("CreaUser", job.job_user.substr(0, 12))
      .Set("CreaUserLong", job.job_user)
      .Set("Severity", std::string(1, log.Severity()))
      .Set("SeverityText", SeverityText(log.Severity()))
      .Build();
}

odata::Entity JobLogMessageEntity(const odata::EntityType& t, const jobs::Job& job, const jobs::StepLog& log,
                                  const jobs::StepLogMessage& m) {
  char number[16];
  std::snprintf(number, sizeof number, "%06d", m.number % 1000000);
  auto var = [&](size_t i) { return i < m.vars.size() ? m.vars[i] : std::string(); };
  return EntityBuilder(t)
      .Set("JobName", job.key.name)
      .Set("JobRunCount", job.key.run_count)
      .Set("StepNumber", Int(log.step_nr))
      .Set("LogHandle", LogHandle(job, log.step_nr))
      .Set("MsgNumber", std::string(number))
      .Set("MsgType", std::string(1, m.type))
      .Set("MsgId", m.msg_class)
      .Set("MsgNo", m.msg_no)
      .Set("MsgV1", var(0))
      .Set("MsgV2", var(1).substr(0, 50))
      .Set("MsgV3", var(2).substr(0, 50))
      .Set("MsgV4", var(3).substr(0, 50))
      .Set("MsgText", m.text)
      .Build();
}

odata::Entity JobTemplateEntity(const odata::EntityType& t, const jobs::JobTemplate& tmpl) {
  const std::string catalog = tmpl.steps.empty() ? std::string() : tmpl.steps.front().catalog_entry_name;
  const std::string catalog_text = tmpl.steps.empty() ? std::string() : tmpl.steps.front().text;
  return EntityBuilder(t)
      .Set("JobTemplateName", tmpl.name)
      .Set("JobTemplateVersion", tmpl.version)
      .Set("JobReportName", tmpl.report_name)
      .Set("JobUserName", tmpl.user_name)
      .Set("JobCatalogEntryName", catalog)
      .Set("SupportsTestMode", tmpl.supports_test_mode)
      .Set("JobTemplateText", tmpl.text)
      .Set("CreationDateTime", DateTimeValue(tmpl.created_at))
      .Set("CreationUserName", tmpl.created_by.substr(0, 12))
      .Set("LastChangeDateTime", DateTimeValue(tmpl.changed_at))
      .Set("LastChangeUserName", tmpl.changed_by.substr(0, 12))
      .Set("JobPeriodicGranularity", tmpl.periodic_granularity)
      .Set("JobPeriodicValue", tmpl.periodic_value)
      .Set("JobTemplateLayerC", "")
      .Set("JobTemplateHiddenInd", "")
      .Set("JobCatalogEntryTypeC", tmpl.steps.size() > 1 ? "C" : "B")
      .Set("JobTemplateStepCount", Int(static_cast<int64_t>(tmpl.steps.size())))
      .Set("JobTemplateSequence", "")
      .Set("JobTemplateValues", "")
      .Set("Text", tmpl.text)
      .Set("TextEn", tmpl.text)
      .Set("JobCatalogEntryText", catalog_text)
      .Set("CreationFormattedName", tmpl.created_by)
      .Set("LastChangeFormattedName", tmpl.changed_by)
      .Build();
}

odata::Entity ScheduleCheckEntity(const odata::EntityType& t, const jobs::ScheduleCheck& check) {
  std::string messages;
  for (const auto& m : check.messages) messages += (messages.empty() ? "" : "\n") + m;
  return EntityBuilder(t)
      .Set("JobParameterValues", check.parameter_values)
      .Set("SuccessfulInd", check.successful)
      .Set("ChangedInd", check.changed)
      .Set("DynamicProperties", jobs::FormatDynamicProperties(check.dynamic_properties))
      .Set("ErrMessages", messages)
      .Build();
}

std::vector<odata::Entity> ParamStructEntities(const odata::EntityType& t, const std::vector<jobs::ParameterValue>& v) {
  std::vector<odata::Entity> out;
  for (const auto& p : v) {
    for (const auto& r : p.ranges) {
      out.push_back(EntityBuilder(t)
                        .Set("StepNr", Int(p.step_nr))
                        .Set("JobParameterName", p.name)
                        .Set("Sign", r.sign)
                        .Set("Option", r.option)
                        .Set("Low", r.low)
                        .Set("High", r.high)
                        .Build());
    }
  }
  return out;
}

std::string TemplateDataJson(const jobs::JobTemplate& tmpl) {
  namespace json = boost::json;
  json::array sequences;
  for (size_t i = 0; i < tmpl.steps.size(); ++i) {
    const int step_nr = static_cast<int>(i + 1);
    json::array params;
    for (const auto& p : tmpl.parameters) {
      if (p.step_nr != step_nr) continue;
      json::array values;
      for (const auto& r : p.defaults)
        values.push_back(json::object{{"sign", r.sign}, {"option", r.option}, {"low", r.low}, {"high", r.high}});
      params.push_back(json::object{{"name", p.name},
                                    {"label", p.text},
                                    {"change_able", p.read_only ? "" : "X"},
                                    {"mandatory", p.mandatory ? "X" : ""},
                                    {"hidden", p.hidden ? "X" : ""},
                                    {"value", std::move(values)}});
    }
    sequences.push_back(json::object{{"step_nr", step_nr},
                                     {"basic_jce_name", tmpl.steps[i].catalog_entry_name},
                                     {"seq_param_val", std::move(params)}});
  }
  json::array templates;
  templates.push_back(json::object{{"name", tmpl.name}, {"text", tmpl.text}, {"sequences", std::move(sequences)}});
  return json::serialize(json::object{{"templates", std::move(templates)}});
}

}  // namespace causeway::services::appjob
