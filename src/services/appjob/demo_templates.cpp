#include "services/appjob/demo_templates.h"

#include "core/time_format.h"

namespace causeway::services::appjob {
namespace {

using jobs::JobTemplate;
using jobs::ParameterDefinition;
using jobs::StepDefinition;
using jobs::StepKind;

core::SystemTime At(const char* iso) { return core::ParseIso8601(iso).value_or(core::SystemTime{}); }

StepDefinition Step(StepKind kind, std::string catalog, std::string text) {
  StepDefinition s;
  s.kind = kind;
  s.catalog_entry_name = std::move(catalog);
  s.text = std::move(text);
  return s;
}

JobTemplate Make(std::string name, std::string text, std::string report, std::vector<StepDefinition> steps,
                 std::vector<ParameterDefinition> params, const char* created, std::string created_by,
                 const char* changed, std::string changed_by) {
  JobTemplate t;
  t.name = std::move(name);
  t.text = std::move(text);
  t.report_name = std::move(report);
  t.steps = std::move(steps);
  t.parameters = std::move(params);
  t.created_at = At(created);
  t.created_by = std::move(created_by);
  t.changed_at = At(changed);
  t.changed_by = std::move(changed_by);
  return t;
}

ParameterDefinition Param(std::string name, int step, std::string text, std::string value, bool mandatory = false) {
  ParameterDefinition p;
  p.name = std::move(name);
  p.step_nr = step;
  p.text = std::move(text);
  p.mandatory = mandatory;
  if (!value.empty()) p.defaults.push_back({"I", "EQ", std::move(value), ""});
  return p;
}

}  // namespace

std::vector<JobTemplate> DemoTemplates(const DemoOptions& options) {
  std::vector<JobTemplate> out;
  // The two entries of the seed guide's JobTemplateSet response, with its timestamps.
  out.push_back(Make("/IBP/CREATE_TIME_PERIODS", "Create Time Periods for Time Profiles", "/IBP/CREATE_TIME_PERIODS",
                     {Step(StepKind::kNoop, "/IBP/CREATE_TIME_PERIODS", "Create Time Periods")},
                     {Param("P_TPROF", 1, "Time Profile", "1", true)}, "2015-09-01T15:42:36.094Z", "SAP",
                     "2015-12-17T18:42:23.276Z", "SAP"));
  out.push_back(Make("/IBP/LOG_DELETION", "Delete Application Logs", "/IBP/R_LOG_DELETE",
                     {Step(StepKind::kLogCleanup, "/IBP/R_LOG_DELETE", "Delete Logs of Finished Jobs")},
                     {Param("P_DAYS", 1, "Delete jobs older than (days)", "30", true)}, "2015-09-01T15:42:36.094Z",
                     "SAP", "2015-12-17T18:42:23.276Z", "SAP"));
  // A customer template: generated 26-character ID, as on IBP tenants (seed guide, ABAP sample).
  out.push_back(Make("ZHDVKOF2BIAPONJPTEHJC26PCR4", "EH_HCI", "/IBP/RHCI_DI",
                     {Step(StepKind::kNoop, "/IBP/RHCI_DI", "Data Integration")}, {}, "2016-10-21T14:17:12.782Z",
                     "CB8980000030", "2017-09-18T13:36:24.315Z", "CB8980000030"));
  out.push_back(Make("ZCW_DEMO_CHAIN", "Demo: three-step chain", "ZCW_R_CHAIN",
                     {Step(StepKind::kNoop, "ZCW_PREPARE", "Prepare"),
                      Step(StepKind::kSleep, "ZCW_PROCESS", "Process (sleeps P_SECONDS)"),
                      Step(StepKind::kNoop, "ZCW_FINALIZE", "Finalize")},
                     {Param("P_SECONDS", 2, "Seconds to process", "2")}, "2024-01-01T00:00:00Z", "CAUSEWAY",
                     "2024-01-01T00:00:00Z", "CAUSEWAY"));
  out.push_back(Make("ZCW_DEMO_FAIL", "Demo: job that fails in step 2", "ZCW_R_FAIL",
                     {Step(StepKind::kNoop, "ZCW_PREPARE", "Prepare"), Step(StepKind::kFail, "ZCW_BREAK", "Fails"),
                      Step(StepKind::kNoop, "ZCW_FINALIZE", "Finalize")},
                     {}, "2024-01-01T00:00:00Z", "CAUSEWAY", "2024-01-01T00:00:00Z", "CAUSEWAY"));
  out.push_back(Make("ZCW_DEMO_SLEEP", "Demo: runs for a configurable time", "ZCW_R_SLEEP",
                     {Step(StepKind::kSleep, "ZCW_SLEEP", "Sleep P_SECONDS seconds")},
                     {Param("P_SECONDS", 1, "Run time in seconds", std::to_string(options.sleep_seconds), true)},
                     "2024-01-01T00:00:00Z", "CAUSEWAY", "2024-01-01T00:00:00Z", "CAUSEWAY"));
  out.push_back(Make("ZCW_DEMO_NOOP", "Demo: does nothing", "ZCW_R_NOOP",
                     {Step(StepKind::kNoop, "ZCW_NOOP", "No operation")}, {}, "2024-01-01T00:00:00Z", "CAUSEWAY",
                     "2024-01-01T00:00:00Z", "CAUSEWAY"));
  StepDefinition shell = Step(StepKind::kCommand, "ZCW_SHELL", "Echo the job parameters");
  shell.argv = {"/bin/sh", "-c", "echo \"Job $CW_JOB_NAME/$CW_JOB_RUN_COUNT as $CW_JOB_USER: P_MESSAGE=$CW_PARAM_P_MESSAGE\""};
  shell.timeout = std::chrono::seconds(60);
  out.push_back(Make("ZCW_DEMO_COMMAND", "Demo: runs a shell command", "ZCW_R_COMMAND", {shell},
                     {Param("P_MESSAGE", 1, "Message to print", "hello")}, "2024-01-01T00:00:00Z", "CAUSEWAY",
                     "2024-01-01T00:00:00Z", "CAUSEWAY"));
  return out;
}

}  // namespace causeway::services::appjob
