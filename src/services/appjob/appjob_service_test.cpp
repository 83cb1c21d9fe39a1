#include "services/appjob/appjob_service.h"

#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <filesystem>

#include "domain/jobs/job_repository.h"
#include "odata/engine.h"
#include "services/appjob/demo_templates.h"
#include "services/appjob/testing/appjob_stack.h"

namespace causeway::services::appjob {
namespace {

namespace json = boost::json;
using namespace std::chrono_literals;
constexpr auto kWait = 20s;

class AppJobServiceTest : public ::testing::Test, protected testing::AppJobStack {
 protected:
  AppJobServiceTest() : AppJobStack(core::FromUnixMillis(1700000000000)) {}
  void SetUp() override {
    auto st = OpenStack(::testing::UnitTest::GetInstance()->current_test_info()->name(), {});
    ASSERT_TRUE(st.ok()) << st.error().text;
  }

  struct Call {
    std::string method = "GET";
    std::string path;
    std::string query;
    std::string user = "COMM";
    std::vector<std::string> scenarios = {"SAP_COM_0064"};
    std::string language;
  };
  http::Response Send(const Call& c) {
    http::Request req;
    req.method = c.method;
    req.target = "/sap/opu/odata/sap/BC_EXT_APPJOB_MANAGEMENT;v=0002/" + c.path + (c.query.empty() ? "" : "?" + c.query);
    req.user = c.user;
    req.scenarios = c.scenarios;
    req.sap_language = c.language;
    return odata_->Handle(req, {"http://localhost/sap/opu/odata/sap/BC_EXT_APPJOB_MANAGEMENT;v=0002/", c.path, c.query});
  }
  json::value Json(const Call& c, int want_status = 200) {
    Call jc = c;
    jc.query += std::string(jc.query.empty() ? "" : "&") + "$format=json";
    http::Response r = Send(jc);
    EXPECT_EQ(r.status, want_status) << r.body;
    boost::system::error_code ec;
    json::value v = json::parse(r.body, ec);
    EXPECT_FALSE(ec) << r.body;
    return v;
  }
  static std::string S(const json::value& v, std::string_view key) {
    const auto* o = v.if_object();
    if (!o || !o->contains(key) || !o->at(key).is_string()) return "<missing>";
    return std::string(o->at(key).as_string());
  }
  jobs::JobKey Schedule(const std::string& tmpl, const std::string& extra = "") {
    json::value v = Json({.method = "POST", .path = "JobSchedule",
                          .query = "JobTemplateName='" + tmpl + "'&JobText='Test'&JobUser='ALICE'" + extra});
    const json::value& d = v.at("d");
    return {S(d, "JobName"), S(d, "JobRunCount")};
  }
  jobs::Job Terminal(const jobs::JobKey& key) {
    auto j = jobs_->WaitForTerminal(key, kWait);
    EXPECT_TRUE(j && jobs::IsTerminal(j->status));
    return j.value_or(jobs::Job{});
  }

};

TEST_F(AppJobServiceTest, JobTemplateSetAtomListsTheSeedTemplates) {
  http::Response r = Send({.path = "JobTemplateSet"});
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_NE(r.body.find("<d:JobTemplateName>/IBP/CREATE_TIME_PERIODS</d:JobTemplateName>"), std::string::npos);
  EXPECT_NE(r.body.find("<d:JobReportName>/IBP/R_LOG_DELETE</d:JobReportName>"), std::string::npos);
  EXPECT_NE(r.body.find("BC_EXT_APPJOB_MANAGEMENT.JobTemplate"), std::string::npos);
  EXPECT_NE(r.body.find("JobTemplateSet(JobTemplateName='%2FIBP%2FLOG_DELETION',JobTemplateVersion='0')"),
            std::string::npos);
}

TEST_F(AppJobServiceTest, JobTemplateSetFilterOnTextAndSelect) {
  json::value v = Json({.path = "JobTemplateSet",
                        .query = "$filter=substringof('Demo',JobTemplateText)&$select=JobTemplateName"});
  const json::array& rows = v.at("d").at("results").as_array();
  EXPECT_EQ(rows.size(), 5u);
  for (const auto& row : rows) {
    EXPECT_EQ(S(row, "JobTemplateName").rfind("ZCW_DEMO_", 0), 0u);
    EXPECT_FALSE(row.as_object().contains("JobTemplateText"));
  }
  json::value one = Json({.path = "JobTemplateSet(JobTemplateName='%2FIBP%2FLOG_DELETION',JobTemplateVersion='0')"});
  EXPECT_EQ(S(one.at("d"), "JobTemplateText"), "Delete Application Logs");
  EXPECT_EQ(S(one.at("d"), "CreationDateTime"), "/Date(1441122156094)/");
}

TEST_F(AppJobServiceTest, ScheduleAndPollStatusInJson) {
  json::value v = Json({.method = "POST", .path = "JobSchedule",
                        .query = "JobTemplateName='ZCW_DEMO_CHAIN'&JobText='Chain'&JobUser='ALICE'&TestModeInd=false"});
  const json::value& d = v.at("d");
  EXPECT_EQ(S(d, "JobName").size(), 32u);
  EXPECT_EQ(S(d, "JobRunCount").size(), 8u);
  EXPECT_EQ(d.at("ReturnCode").as_int64(), 0);
  EXPECT_EQ(S(d.at("__metadata"), "type"), "BC_EXT_APPJOB_MANAGEMENT.JobScheduleStatus");
  jobs::JobKey key{S(d, "JobName"), S(d, "JobRunCount")};
  ASSERT_TRUE(jobs_->WaitUntil([&] { return jobs_->GetJob({"COMM", true}, key)->steps[1].started_at.has_value(); }, kWait));
  clock_.Advance(5s);
  Terminal(key);
  json::value st = Json({.path = "JobStatusGet", .query = "JobName='" + key.name + "'&JobRunCount='" + key.run_count + "'"});
  EXPECT_EQ(S(st.at("d"), "JobStatus"), "F");
  json::value info = Json({.path = "JobinfoGet", .query = "JobName='" + key.name + "'&JobRunCount='" + key.run_count + "'"});
  const json::array& steps = info.at("d").at("results").as_array();
  ASSERT_EQ(steps.size(), 3u);
  EXPECT_EQ(steps[2].at("StepCount").as_int64(), 3);
  EXPECT_EQ(S(steps[2], "StepStatus"), "F");
  EXPECT_EQ(S(steps[0], "JobStatus"), "F");
}

TEST_F(AppJobServiceTest, ScheduleAnswersAtomEntryByDefault) {
  http::Response r = Send({.method = "POST", .path = "JobSchedule",
                           .query = "JobTemplateName='ZCW_DEMO_NOOP'&JobText='Atom'&JobUser='ALICE'"});
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_NE(r.body.find("<entry"), std::string::npos);
  EXPECT_NE(r.body.find("<d:JobName>"), std::string::npos);
  EXPECT_NE(r.body.find("<d:JobStatus>"), std::string::npos);
  EXPECT_NE(r.body.find("JobScheduleStatusCollection(JobName='"), std::string::npos);
}

TEST_F(AppJobServiceTest, ErrorsAreGatewayErrorsWithApjCodes) {
  json::value e = Json({.path = "JobStatusGet", .query = "JobName='0000'&JobRunCount='X'"}, 400);
  EXPECT_EQ(S(e.at("error"), "code"), "APJ_RT/003");
  json::value t = Json({.method = "POST", .path = "JobSchedule", .query = "JobTemplateName='NOPE'&JobText='x'&JobUser='ALICE'"}, 400);
  EXPECT_EQ(S(t.at("error"), "code"), "APJ_RT/015");
  EXPECT_EQ(S(t.at("error").at("message"), "value"), "Job template NOPE doesn't exist.");
  json::value u = Json({.method = "POST", .path = "JobSchedule",
                        .query = "JobTemplateName='ZCW_DEMO_NOOP'&JobText='x'&JobUser='NOBODY'"}, 400);
  EXPECT_EQ(S(u.at("error"), "code"), "APJ_RT/083");
  http::Response atom = Send({.path = "JobStatusGet", .query = "JobName='0000'&JobRunCount='X'"});
  EXPECT_EQ(atom.status, 400);
  EXPECT_NE(atom.body.find("<code>APJ_RT/003</code>"), std::string::npos);
}

TEST_F(AppJobServiceTest, CancelRunningJobAndRestart) {
  jobs::JobKey key = Schedule("ZCW_DEMO_SLEEP");
  ASSERT_TRUE(jobs_->WaitUntil([&] { return jobs_->GetJob({"COMM", true}, key)->status == jobs::JobStatus::kRunning; }, kWait));
  json::value c = Json({.method = "POST", .path = "JobCancel", .query = "JobName='" + key.name + "'&JobRunCount='" + key.run_count + "'"});
  EXPECT_EQ(c.at("d").at("ReturnCode").as_int64(), 0);
  EXPECT_EQ(Terminal(key).status, jobs::JobStatus::kCanceled);
  json::value again = Json({.method = "POST", .path = "JobAbort", .query = "JobName='" + key.name + "'&JobRunCount='" + key.run_count + "'"}, 400);
  EXPECT_EQ(S(again.at("error"), "code"), "APJ_RT/040");
  json::value r = Json({.method = "POST", .path = "JobRestart",
                        .query = "JobName='" + key.name + "'&JobRunCount='" + key.run_count + "'&JobRestartMode='E'"});
  jobs::JobKey copy{S(r.at("d"), "JobName"), S(r.at("d"), "JobRunCount")};
  EXPECT_NE(copy, key);
  json::value h = Json({.path = "JobHeaderSet(JobName='" + copy.name + "',JobRunCount='" + copy.run_count + "')",
                        .query = "$expand=JobStepSet"});
  EXPECT_EQ(S(h.at("d"), "OrigJobName"), key.name);
  EXPECT_EQ(S(h.at("d"), "OrigJobCount"), key.run_count);
  EXPECT_EQ(h.at("d").at("JobRestartCount").as_int64(), 1);
  EXPECT_EQ(h.at("d").at("JobStepSet").at("results").as_array().size(), 1u);
}

TEST_F(AppJobServiceTest, RestartAfterFailedStepOfChain) {
  jobs::JobKey key = Schedule("ZCW_DEMO_FAIL");
  EXPECT_EQ(Terminal(key).status, jobs::JobStatus::kFailed);
  json::value r = Json({.method = "POST", .path = "JobRestart",
                        .query = "JobName='" + key.name + "'&JobRunCount='" + key.run_count + "'&JobRestartMode='A'"});
  jobs::JobKey copy{S(r.at("d"), "JobName"), S(r.at("d"), "JobRunCount")};
  jobs::Job done = Terminal(copy);
  EXPECT_EQ(done.status, jobs::JobStatus::kFinished);
  json::value steps = Json({.path = "JobHeaderSet(JobName='" + copy.name + "',JobRunCount='" + copy.run_count + "')/JobStepSet"});
  const json::array& rows = steps.at("d").at("results").as_array();
  ASSERT_EQ(rows.size(), 3u);
  EXPECT_EQ(S(rows[0], "StepStatus"), "K");
  EXPECT_EQ(S(rows[1], "StepStatus"), "K");
  EXPECT_EQ(S(rows[2], "StepStatus"), "F");
}

// Key path of a job in a resource path: JobName='…',JobRunCount='…'.
std::string JobKeyPath(const jobs::JobKey& k) { return "JobName='" + k.name + "',JobRunCount='" + k.run_count + "'"; }

TEST_F(AppJobServiceTest, JobLogsThroughMultiLevelExpand) {
  jobs::JobKey key = Schedule("ZCW_DEMO_FAIL");
  EXPECT_EQ(Terminal(key).status, jobs::JobStatus::kFailed);
  json::value h = Json({.path = "JobHeaderSet(" + JobKeyPath(key) + ")",
                        .query = "$expand=JobStepSet/JobStepLogInfoSet/JobLogMessageSet"});
  const json::value& d = h.at("d");
  EXPECT_EQ(d.at("JobStepCount").as_int64(), 3);
  const json::array& steps = d.at("JobStepSet").at("results").as_array();
  ASSERT_EQ(steps.size(), 3u);
  // Step 2 failed: its log has an error; step 3 never ran and has no log.
  const json::array& logs2 = steps[1].at("JobStepLogInfoSet").at("results").as_array();
  ASSERT_EQ(logs2.size(), 1u);
  EXPECT_EQ(S(logs2[0], "Severity"), "E");
  EXPECT_GE(logs2[0].at("MsgCntE").as_int64(), 1);
  EXPECT_EQ(S(logs2[0], "LogHandle").size(), 22u);
  const json::array& msgs = logs2[0].at("JobLogMessageSet").at("results").as_array();
  ASSERT_EQ(static_cast<int64_t>(msgs.size()), logs2[0].at("MsgCntAll").as_int64());
  EXPECT_EQ(S(msgs[0], "MsgNumber"), "000001");
  EXPECT_EQ(steps[2].at("NrOfLogs").as_int64(), 0);
  EXPECT_TRUE(steps[2].at("JobStepLogInfoSet").at("results").as_array().empty());
  // The same data through navigation and key reads.
  const std::string step2 = "JobStepSet(" + JobKeyPath(key) + ",StepNumber=2)";
  json::value nav = Json({.path = step2 + "/JobStepLogInfoSet"});
  const std::string handle = S(nav.at("d").at("results").at(0), "LogHandle");
  EXPECT_EQ(handle, S(logs2[0], "LogHandle"));
  const std::string log_path = "JobStepLogInfoSet(" + JobKeyPath(key) + ",StepNumber=2,LogHandle='" + handle + "')";
  EXPECT_EQ(Json({.path = log_path}).at("d").at("MsgCntAll").as_int64(), static_cast<int64_t>(msgs.size()));
  json::value m = Json({.path = log_path + "/JobLogMessageSet", .query = "$filter=MsgType eq 'E'"});
  EXPECT_FALSE(m.at("d").at("results").as_array().empty());
  json::value one = Json({.path = "JobLogMessageSet(" + JobKeyPath(key) + ",StepNumber=2,LogHandle='" + handle +
                                  "',MsgNumber='000001')"});
  EXPECT_EQ(S(one.at("d"), "MsgText"), S(msgs[0], "MsgText"));
  EXPECT_EQ(Send({.path = "JobStepLogInfoSet(" + JobKeyPath(key) + ",StepNumber=2,LogHandle='X')"}).status, 404);
}

TEST_F(AppJobServiceTest, RecoveryLineAfterCrashIsReadableAsJobLog) {
  // Simulate a crash: a job stored as running by a previous process, then the engine restarts.
  CloseEngines();
  jobs::Job j;
  j.key = jobs::GenerateJobKey();
  j.text = "crashed";
  j.template_name = "ZCW_DEMO_CHAIN";
  j.job_user = "ALICE";
  j.creator = "COMM";
  j.status = jobs::JobStatus::kRunning;
  j.created_at = j.planned_start = clock_.Now();
  j.started_at = clock_.Now();
  for (int i = 1; i <= 2; ++i) {
    jobs::StepRun step;
    step.step_nr = i;
    step.status = i == 1 ? jobs::JobStatus::kFinished : jobs::JobStatus::kRunning;
    step.started_at = clock_.Now();
    j.steps.push_back(step);
  }
  ASSERT_TRUE(db_->Write([&](store::Tx& tx) {
                   return jobs::repository::InsertJob(tx, j,
                                                      {{1, 0, clock_.Now(), 'S', "Job crashed has been scheduled."},
                                                       {2, 1, clock_.Now(), 'I', "Step 1 started"},
                                                       {3, 2, clock_.Now(), 'I', "Step 2 started"}});
                 }).ok());
  auto reopened = OpenEngines();
  ASSERT_TRUE(reopened.ok()) << reopened.error().text;

  json::value h = Json({.path = "JobHeaderSet(" + JobKeyPath(j.key) + ")",
                        .query = "$expand=JobStepSet/JobStepLogInfoSet/JobLogMessageSet"});
  EXPECT_EQ(S(h.at("d"), "JobStatus"), "A");
  const json::value& step2 = h.at("d").at("JobStepSet").at("results").at(1);
  EXPECT_EQ(S(step2, "StepStatus"), "A");
  const json::value& log = step2.at("JobStepLogInfoSet").at("results").at(0);
  EXPECT_EQ(S(log, "Severity"), "A");
  EXPECT_EQ(log.at("MsgCntA").as_int64(), 1);
  bool aborted = false, recovery = false;
  for (const auto& m : log.at("JobLogMessageSet").at("results").as_array()) {
    if (S(m, "MsgId") == "APJ_RT" && S(m, "MsgNo") == "001" && S(m, "MsgType") == "A") aborted = true;
    if (S(m, "MsgText").find("server stopped while the job was running") != std::string::npos) {
      recovery = true;
      EXPECT_EQ(S(m, "MsgType"), "E");
      EXPECT_EQ(S(m, "MsgId"), "BL");
      EXPECT_EQ(S(m, "MsgNo"), "001");
    }
  }
  EXPECT_TRUE(aborted);
  EXPECT_TRUE(recovery);
}

TEST_F(AppJobServiceTest, StatusTextsFollowSapLanguage) {
  json::value en = Json({.path = "JobStatusInfoSet('C')"});
  EXPECT_EQ(S(en.at("d"), "JobStatusText"), "Canceled");
  json::value de = Json({.path = "JobStatusInfoSet('C')", .language = "DE"});
  EXPECT_EQ(S(de.at("d"), "JobStatusText"), "Abgebrochen");
  json::value all = Json({.path = "JobStatusInfoSet"});
  EXPECT_EQ(all.at("d").at("results").as_array().size(), 14u);
}

TEST_F(AppJobServiceTest, ParameterFunctions) {
  jobs::JobKey key = Schedule(
      "ZCW_DEMO_COMMAND",
      "&JobParameterValues='" R"({"VALUES":[{"NAME":"P_MESSAGE","T_VALUE":[{"SIGN":"I","OPTION":"EQ","LOW":"hi there","HIGH":""}]}]})" "'");
  jobs::Job done = Terminal(key);
  EXPECT_EQ(done.status, jobs::JobStatus::kFinished);
  auto log = jobs_->JobLog({"COMM", false}, key);
  ASSERT_TRUE(log.ok());
  bool printed = false;
  for (const auto& l : *log) printed = printed || l.text.find("P_MESSAGE=hi there") != std::string::npos;
  EXPECT_TRUE(printed);

  json::value pv = Json({.path = "JobParamValuesGet", .query = "JobName='" + key.name + "'&JobCount='" + key.run_count + "'"});
  std::string values = S(pv.at("d"), "ParameterValues");
  EXPECT_NE(values.find("\"LOW\":\"hi there\""), std::string::npos);
  json::value ps = Json({.path = "JobParamValuesStructGet", .query = "JobName='" + key.name + "'&JobCount='" + key.run_count + "'"});
  ASSERT_EQ(ps.at("d").at("results").as_array().size(), 1u);
  EXPECT_EQ(S(ps.at("d").at("results").as_array()[0], "Low"), "hi there");

  json::value tv = Json({.path = "TemplateValuesStructGet", .query = "JobTemplateName='%2FIBP%2FLOG_DELETION'"});
  ASSERT_EQ(tv.at("d").at("results").as_array().size(), 1u);
  EXPECT_EQ(S(tv.at("d").at("results").as_array()[0], "JobParameterName"), "P_DAYS");
  EXPECT_EQ(S(tv.at("d").at("results").as_array()[0], "Low"), "30");
  json::value tg = Json({.path = "TemplateValuesGet", .query = "JobTemplateName='%2FIBP%2FLOG_DELETION'"});
  EXPECT_NE(S(tg.at("d"), "ParameterValues").find("P_DAYS"), std::string::npos);
  json::value tr = Json({.path = "JobTemplateRead", .query = "JobTemplateName='%2FIBP%2FLOG_DELETION'"});
  EXPECT_NE(S(tr.at("d"), "TemplateData").find("\"seq_param_val\""), std::string::npos);

  json::value check = Json({.method = "POST", .path = "JobScheduleCheck",
                            .query = "JobTemplateName='%2FIBP%2FLOG_DELETION'&JobUser='ALICE'&JobParameterValues='" +
                                     std::string(R"({"VALUES":[{"NAME":"P_NOPE","T_VALUE":[]}]})") + "'"});
  EXPECT_FALSE(check.at("d").at("SuccessfulInd").as_bool());
  EXPECT_NE(S(check.at("d"), "ErrMessages").find("P_NOPE"), std::string::npos);
  EXPECT_NE(S(check.at("d"), "DynamicProperties").find("\"jobParameterName\":\"P_DAYS\""), std::string::npos);
}

TEST_F(AppJobServiceTest, AuthorizationAndJobList) {
  jobs::JobKey key = Schedule("ZCW_DEMO_NOOP");
  Terminal(key);
  json::value other = Json({.path = "JobStatusGet", .query = "JobName='" + key.name + "'&JobRunCount='" + key.run_count + "'",
                            .user = "OTHER"}, 400);
  EXPECT_EQ(S(other.at("error"), "code"), "APJ_RT/028");
  json::value admin = Json({.path = "JobStatusGet", .query = "JobName='" + key.name + "'&JobRunCount='" + key.run_count + "'",
                            .user = "OTHER", .scenarios = {"SAP_COM_0064", "SAP_COM_0326"}});
  EXPECT_EQ(S(admin.at("d"), "JobStatus"), "F");
  json::value list = Json({.path = "JobListGet", .query = "TemplateName='ZCW_DEMO_*'"});
  const json::array& rows = list.at("d").at("results").as_array();
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(S(rows[0], "JobCreator"), "COMM");
  EXPECT_EQ(S(rows[0], "JobStatus"), "F");
  json::value none = Json({.path = "JobListGet", .query = "TemplateName='ZCW_DEMO_*'", .user = "OTHER"});
  EXPECT_TRUE(none.at("d").at("results").as_array().empty());
  // The seed's call: ' ' (ABAP's initial CHAR value) for every filter it does not use, and
  // trailing blanks that are not part of a value.
  json::value seed = Json({.path = "JobListGet",
                           .query = "JobName='%20'&CreationTimeFrom=datetime'2000-01-01T00:00:00'&CreationTimeTo="
                                    "datetime'2100-01-01T00:00:00'&JobCreator='%20'&JobText='%20'&Report='%20'&"
                                    "TemplateName='ZCW_DEMO_NOOP%20%20'&Variant='%20'"});
  ASSERT_EQ(seed.at("d").at("results").as_array().size(), 1u);
  EXPECT_EQ(S(seed.at("d").at("results").as_array()[0], "JobName"), key.name);
  // SAP's open ends, 0001-01-01 and 9999-12-31, lie beyond the nanosecond clock: they still
  // bound nothing.
  json::value open = Json({.path = "JobListGet",
                           .query = "CreationTimeFrom=datetime'0001-01-01T00:00:00'&CreationTimeTo="
                                    "datetime'9999-12-31T23:59:59'&TemplateName='ZCW_DEMO_NOOP'"});
  ASSERT_EQ(open.at("d").at("results").as_array().size(), 1u);
  json::value past = Json({.path = "JobListGet",
                           .query = "CreationTimeFrom=datetime'1000-01-01T00:00:00'&CreationTimeTo="
                                    "datetime'1001-01-01T00:00:00'&TemplateName='ZCW_DEMO_NOOP'"});
  EXPECT_TRUE(past.at("d").at("results").as_array().empty());
}

TEST_F(AppJobServiceTest, MetadataDeclaresTheFunctionImports) {
  http::Response r = Send({.path = "$metadata"});
  ASSERT_EQ(r.status, 200);
  for (const char* fn : {"JobSchedule", "JobStatusGet", "JobAbort", "JobCancel", "JobRestart", "JobinfoGet", "JobListGet",
                         "JobScheduleCheck", "JobParamValuesGet", "JobParamValuesStructGet", "TemplateValuesGet",
                         "TemplateValuesStructGet", "JobTemplateRead"})
    EXPECT_NE(r.body.find(std::string("FunctionImport Name=\"") + fn + "\""), std::string::npos) << fn;
  EXPECT_NE(r.body.find("Name=\"JobCount\""), std::string::npos);
}

}  // namespace
}  // namespace causeway::services::appjob
