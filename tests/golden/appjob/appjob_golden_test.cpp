// Runs every tests/golden/appjob/cases/*.txt case against the real AppJobService over a
// JobEngine on a temporary SQLite store, with a ManualClock fixed at 2024-01-01T12:00:00Z, the
// demo templates and one worker. Case format: ../golden_case.h. The caller is COMM with
// SAP_COM_0064 and SAP_COM_0326; ALICE is the only business user.
//
// Directives ("#!" lines), executed in order before the request:
//   #! job <alias> <template> <terminal|running> [NAME=VALUE …]
//        schedules a job as COMM for ALICE (parameters as JobParameterValues) and waits until
//        it is terminal / running. With one worker, a running job keeps later jobs in status Y.
//   #! abort <alias>       aborts a running job (it ends in C)
// In the request, {alias.JobName} and {alias.JobRunCount} are replaced by the job's key; in the
// response, those values become <alias.JobName> / <alias.JobRunCount>. Other generated values
// (JobName, JobRunCount, OrigJobCount, LogHandle, LogNumber of jobs the request creates or
// reads) are masked as <JobName>, <JobRunCount>, <LogHandle>, <LogNumber>.
#include <gtest/gtest.h>

#include <filesystem>
#include <map>
#include <regex>
#include <sstream>

#include "core/clock.h"
#include "domain/jobs/job_engine.h"
#include "golden_case.h"
#include "odata/engine.h"
#include "services/appjob/appjob_service.h"
#include "services/appjob/demo_templates.h"
#include "services/appjob/testing/appjob_stack.h"

namespace causeway::services::appjob {
namespace {

using namespace std::chrono_literals;

constexpr char kRoot[] = "https://127.0.0.1:8443/sap/opu/odata/sap/BC_EXT_APPJOB_MANAGEMENT;v=0002/";
constexpr auto kWait = 20s;
const jobs::Caller kComm{"COMM", true};

std::string ReplaceAll(std::string s, const std::string& from, const std::string& to) {
  if (from.empty()) return s;
  for (size_t pos = s.find(from); pos != std::string::npos; pos = s.find(from, pos + to.size()))
    s.replace(pos, from.size(), to);
  return s;
}

// Masks generated keys that no directive named (see the file comment).
std::string MaskGenerated(std::string s) {
  static const std::regex kName("([^0-9A-Za-z<])[0-9A-F]{32}([^0-9A-Za-z>])");
  s = std::regex_replace(s, kName, "$1<JobName>$2");
  for (const char* field : {"JobRunCount", "OrigJobCount", "JobCount"})
    s = golden::MaskField(std::move(s), field, std::string("d:") + field, "[A-Za-z0-9]{8}", "<JobRunCount>");
  s = golden::MaskField(std::move(s), "LogHandle", "d:LogHandle", "[0-9A-F]{16}[0-9]{6}", "<LogHandle>");
  s = golden::MaskField(std::move(s), "LogNumber", "d:LogNumber", "[0-9]{20}", "<LogNumber>");
  return s;
}

class AppJobGoldenTest : public ::testing::TestWithParam<std::string>, protected testing::AppJobStack {
 protected:
  AppJobGoldenTest() : AppJobStack(core::FromUnixMillis(1704110400000)) {}  // 2024-01-01T12:00:00Z
  void SetUp() override {
    auto st = OpenStack("golden_" + golden::CaseTestName(GetParam()),
                        {.workers = 1, .cancel_wait = 10s});
    ASSERT_TRUE(st.ok()) << st.error().text;
  }

  // Runs one directive; returns "" or a problem.
  std::string Run(const std::string& directive) {
    std::istringstream in(directive);
    std::string verb, alias;
    in >> verb >> alias;
    if (verb == "job") {
      std::string tmpl, state, assignment, values;
      in >> tmpl >> state;
      while (in >> assignment) {
        size_t eq = assignment.find('=');
        if (eq == std::string::npos) return "bad parameter " + assignment;
        values += std::string(values.empty() ? "" : ",") + "{\"NAME\":\"" + assignment.substr(0, eq) +
                  "\",\"T_VALUE\":[{\"SIGN\":\"I\",\"OPTION\":\"EQ\",\"LOW\":\"" + assignment.substr(eq + 1) +
                  "\",\"HIGH\":\"\"}]}";
      }
      jobs::ScheduleRequest req{.template_name = tmpl, .text = "Golden " + alias, .job_user = "ALICE"};
      if (!values.empty()) req.parameter_values = "{\"VALUES\":[" + values + "]}";
      auto scheduled = jobs_->Schedule(kComm, req);
      if (!scheduled.ok()) return scheduled.error().text;
      const jobs::JobKey key = scheduled->job.key;
      keys_[alias] = key;
      if (state == "terminal") {
        auto j = jobs_->WaitForTerminal(key, kWait);
        return j && jobs::IsTerminal(j->status) ? "" : "job " + alias + " did not end";
      }
      if (state == "running") {
        bool ok = jobs_->WaitUntil(
            [&] {
              auto j = jobs_->GetJob(kComm, key);
              return j.ok() && j->status == jobs::JobStatus::kRunning;
            },
            kWait);
        return ok ? "" : "job " + alias + " did not start";
      }
      return "unknown state " + state;
    }
    if (verb == "abort") {
      if (!keys_.count(alias)) return "unknown job " + alias;
      auto st = jobs_->Abort(kComm, keys_[alias]);
      return st.ok() ? "" : st.error().text;
    }
    return "unknown directive " + verb;
  }

  std::string Substitute(std::string s) const {
    for (const auto& [alias, key] : keys_) {
      s = ReplaceAll(std::move(s), "{" + alias + ".JobName}", key.name);
      s = ReplaceAll(std::move(s), "{" + alias + ".JobRunCount}", key.run_count);
    }
    return s;
  }
  std::string Mask(std::string s) const {
    for (const auto& [alias, key] : keys_) {
      s = ReplaceAll(std::move(s), key.name, "<" + alias + ".JobName>");
      s = std::regex_replace(s, std::regex("([^0-9A-Za-z])" + key.run_count + "([^0-9A-Za-z])"),
                             "$1<" + alias + ".JobRunCount>$2");
    }
    return MaskGenerated(golden::MaskVolatile(std::move(s)));
  }

  std::map<std::string, jobs::JobKey> keys_;
};

TEST_P(AppJobGoldenTest, Matches) {
  const std::filesystem::path file = std::filesystem::path(CW_GOLDEN_DIR) / GetParam();
  golden::GoldenCase c;
  ASSERT_EQ(golden::LoadCase(file, c), "");
  for (const auto& d : c.directives) ASSERT_EQ(Run(d), "") << d;
  ASSERT_EQ(golden::LoadCase(file, c, [&](std::string s) { return Substitute(std::move(s)); }), "");
  c.request.user = "COMM";
  c.request.scenarios = {"SAP_COM_0064", "SAP_COM_0326"};
  odata::RoutedRequest routed;
  routed.service_root_url = kRoot;
  routed.resource_path = c.resource_path;
  routed.query = c.query;
  http::Response resp = odata_->Handle(c.request, routed);
  golden::CheckResponse(c, resp, Mask(resp.body));
}

INSTANTIATE_TEST_SUITE_P(AppJob, AppJobGoldenTest, ::testing::ValuesIn(golden::CaseFiles(CW_GOLDEN_DIR)),
                         [](const auto& param_info) { return golden::CaseTestName(param_info.param); });

}  // namespace
}  // namespace causeway::services::appjob
