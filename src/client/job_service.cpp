#include "client/job_service.h"

#include <algorithm>
#include <boost/json.hpp>

#include "client/odata_literal.h"
#include "client/odata_response.h"
#include "core/url.h"

namespace causeway::client {

namespace {

std::string KeyQuery(const std::string& name, const std::string& count) {
  return "JobName=" + StringLiteral(name) + "&JobRunCount=" + StringLiteral(count);
}

std::string Field(const ODataRecord& rec, const char* name) {
  auto it = rec.find(name);
  return it == rec.end() ? std::string() : it->second;
}

char Letter(const ODataRecord& rec, const char* name) {
  std::string v = Field(rec, name);
  return v.empty() ? '\0' : v.front();
}

core::Result<ScheduledJob> ScheduledFrom(const HttpResponse& r, const char* function) {
  CW_ASSIGN_OR_RETURN(ODataRecord rec, ParseEntity(r.body, r.Header("content-type"), function));
  ScheduledJob job{Field(rec, "JobName"), Field(rec, "JobRunCount"), Letter(rec, "JobStatus")};
  std::string rc = Field(rec, "ReturnCode");
  if (!rc.empty() && rc != "0") {
    return core::MakeError(core::Code::kBadRequest, "CLIENT", "",
                           std::string(function) + " returned ReturnCode " + rc);
  }
  if (job.job_name.empty() || job.job_run_count.empty()) {
    return core::MakeError(core::Code::kInternal, "CLIENT", "",
                           std::string(function) + " response lacks JobName/JobRunCount");
  }
  return job;
}

}  // namespace

bool IsJobGone(const core::Error& error) {
  return error.message_class == "APJ_RT" &&
         (error.message_number == "003" || error.message_number == "039");
}

core::Result<ScheduledJob> JobService::Schedule(const ScheduleRequest& request) {
  std::string query = "JobTemplateName=" + StringLiteral(request.template_name) +
                      "&JobText=" + StringLiteral(request.job_text) +
                      "&JobUser=" + StringLiteral(request.job_user);
  if (!request.parameters_simple.empty()) {
    query += "&JobParameterValuesSimple=" + StringLiteral(request.parameters_simple);
  }
  CW_ASSIGN_OR_RETURN(HttpResponse r, session_.Post("JobSchedule", query));
  return ScheduledFrom(r, "JobSchedule");
}

core::Result<ScheduledJob> JobService::Status(const std::string& name, const std::string& count) {
  CW_ASSIGN_OR_RETURN(HttpResponse r, session_.Get("JobStatusGet", KeyQuery(name, count)));
  CW_ASSIGN_OR_RETURN(ODataRecord rec,
                      ParseEntity(r.body, r.Header("content-type"), "JobStatusGet"));
  ScheduledJob job{Field(rec, "JobName"), Field(rec, "JobRunCount"), Letter(rec, "JobStatus")};
  if (job.job_name.empty()) job.job_name = name;
  if (job.job_run_count.empty()) job.job_run_count = count;
  return job;
}

core::Result<JobInfo> JobService::Info(const std::string& name, const std::string& count) {
  CW_ASSIGN_OR_RETURN(HttpResponse r, session_.Get("JobinfoGet", KeyQuery(name, count)));
  CW_ASSIGN_OR_RETURN(std::vector<ODataRecord> rows,
                      ParseEntities(r.body, r.Header("content-type"), "JobinfoGet"));
  JobInfo info;
  for (const ODataRecord& row : rows) {
    if (info.job_status == '\0') {
      info.job_status = Letter(row, "JobStatus");
      info.scheduled = FormatODataDateTime(Field(row, "JobSdlDateTime"));
      info.start = FormatODataDateTime(Field(row, "JobStartDateTime"));
      info.end = FormatODataDateTime(Field(row, "JobEndDateTime"));
    }
    JobStepInfo step;
    std::string n = Field(row, "StepCount");
    step.step = n.empty() ? static_cast<int>(info.steps.size()) + 1 : std::atoi(n.c_str());
    step.status = Letter(row, "StepStatus");
    step.start = FormatODataDateTime(Field(row, "StepStartDateTime"));
    step.app_rc = Field(row, "StepAppRC");
    info.steps.push_back(std::move(step));
  }
  std::sort(info.steps.begin(), info.steps.end(),
            [](const JobStepInfo& a, const JobStepInfo& b) { return a.step < b.step; });
  return info;
}

core::Result<std::vector<JobLogMessage>> JobService::Log(const std::string& name, const std::string& count) {
  const std::string key = "JobHeaderSet(JobName=" + StringLiteral(name) + ",JobRunCount=" + StringLiteral(count) + ")";
  CW_ASSIGN_OR_RETURN(HttpResponse r, session_.Get(key, "$expand=JobStepSet/JobStepLogInfoSet/JobLogMessageSet"));
  boost::json::error_code ec;
  boost::json::value doc = boost::json::parse(r.body, ec);
  if (ec || !doc.is_object()) return core::MakeError(core::Code::kInternal, "CLIENT", "", "JobHeaderSet: not JSON");
  // d.JobStepSet.results[].JobStepLogInfoSet.results[].JobLogMessageSet.results[]
  auto results = [](const boost::json::value* v, const char* nav) -> const boost::json::array* {
    if (!v || !v->is_object()) return nullptr;
    const boost::json::value* n = v->as_object().if_contains(nav);
    if (!n || !n->is_object()) return nullptr;
    const boost::json::value* list = n->as_object().if_contains("results");
    return list && list->is_array() ? &list->as_array() : nullptr;
  };
  auto text = [](const boost::json::object& o, const char* field) {
    const boost::json::value* v = o.if_contains(field);
    return v && v->is_string() ? std::string(v->as_string()) : std::string();
  };
  std::vector<JobLogMessage> out;
  const boost::json::array* steps = results(doc.as_object().if_contains("d"), "JobStepSet");
  if (!steps) return out;
  for (const auto& step : *steps) {
    const boost::json::array* logs = results(&step, "JobStepLogInfoSet");
    if (!logs) continue;
    for (const auto& log : *logs) {
      const boost::json::array* messages = results(&log, "JobLogMessageSet");
      if (!messages) continue;
      for (const auto& m : *messages) {
        if (!m.is_object()) continue;
        const boost::json::object& o = m.as_object();
        JobLogMessage msg;
        const boost::json::value* n = o.if_contains("StepNumber");
        msg.step = n && n->is_int64() ? static_cast<int>(n->as_int64()) : 0;
        const std::string type = text(o, "MsgType");
        msg.type = type.empty() ? '\0' : type[0];
        msg.text = text(o, "MsgText");
        if (msg.text.empty()) msg.text = text(o, "MsgV1");
        out.push_back(std::move(msg));
      }
    }
  }
  return out;
}

core::Status JobService::FuncImpReturn(const char* function, const std::string& name,
                                       const std::string& count) {
  CW_ASSIGN_OR_RETURN(HttpResponse r, session_.Post(function, KeyQuery(name, count)));
  if (r.status == 204 || r.body.empty()) return core::Status::Ok();
  CW_ASSIGN_OR_RETURN(ODataRecord rec, ParseEntity(r.body, r.Header("content-type"), function));
  std::string rc = Field(rec, "ReturnCode");
  if (!rc.empty() && rc != "0") {
    return core::MakeError(core::Code::kBadRequest, "CLIENT", "",
                           std::string(function) + " returned ReturnCode " + rc);
  }
  return core::Status::Ok();
}

core::Status JobService::Cancel(const std::string& name, const std::string& count) {
  return FuncImpReturn("JobCancel", name, count);
}

core::Status JobService::Abort(const std::string& name, const std::string& count) {
  return FuncImpReturn("JobAbort", name, count);
}

core::Result<ScheduledJob> JobService::Restart(const std::string& name, const std::string& count,
                                               const std::string& mode) {
  CW_ASSIGN_OR_RETURN(HttpResponse r,
                      session_.Post("JobRestart", KeyQuery(name, count) +
                                                      "&JobRestartMode=" + StringLiteral(mode)));
  return ScheduledFrom(r, "JobRestart");
}

core::Result<std::vector<JobTemplate>> JobService::Templates(const std::string& text_pattern) {
  std::string query;
  if (!text_pattern.empty()) {
    std::string doubled;
    for (char c : text_pattern) {
      doubled += c;
      if (c == '\'') doubled += '\'';
    }
    query = "$filter=" + core::PercentEncode("substringof('" + doubled + "',JobTemplateText)");
  }
  CW_ASSIGN_OR_RETURN(HttpResponse r, session_.Get("JobTemplateSet", query));
  CW_ASSIGN_OR_RETURN(std::vector<ODataRecord> rows,
                      ParseEntities(r.body, r.Header("content-type"), "JobTemplateSet"));
  std::vector<JobTemplate> out;
  for (const ODataRecord& row : rows) {
    out.push_back({Field(row, "JobTemplateName"), Field(row, "JobTemplateText"),
                   Field(row, "JobTemplateStepCount")});
  }
  return out;
}

core::Result<std::vector<JobListEntry>> JobService::List(const JobListFilter& filter) {
  CW_ASSIGN_OR_RETURN(std::string from, DateTimeLiteral(filter.from));
  CW_ASSIGN_OR_RETURN(std::string to, DateTimeLiteral(filter.to));
  std::string query = "CreationTimeFrom=" + from + "&CreationTimeTo=" + to;
  auto add = [&](const char* param, const std::string& value) {
    if (!value.empty()) query += std::string("&") + param + "=" + StringLiteral(value);
  };
  add("JobText", filter.job_text);
  add("TemplateName", filter.template_name);
  add("JobCreator", filter.creator);
  add("JobName", filter.job_name);
  CW_ASSIGN_OR_RETURN(HttpResponse r, session_.Get("JobListGet", query));
  CW_ASSIGN_OR_RETURN(std::vector<ODataRecord> rows,
                      ParseEntities(r.body, r.Header("content-type"), "JobListGet"));
  std::vector<JobListEntry> out;
  for (const ODataRecord& row : rows) {
    out.push_back({Field(row, "JobName"), Field(row, "JobRunCount"), Field(row, "JobText"),
                   Field(row, "TemplateName"), Field(row, "JobCreator"),
                   FormatODataDateTime(Field(row, "JobCreaDateTime")), Letter(row, "JobStatus")});
  }
  return out;
}

}  // namespace causeway::client
