#include "domain/jobs/job_errors.h"

#include <cstring>

namespace causeway::jobs {

namespace {
struct Message {
  const char* number;
  const char* text;
};
// The subset of the APJ_RT table (spec §1.8) this engine can raise or logs.
constexpr Message kMessages[] = {
    {"001", "Job was aborted due to a technical error."},
    {"003", "Job doesn't exist."},
    {"009", "Job &1 has been canceled."},
    {"013", "Job &1 has been scheduled."},
    {"015", "Job template &1 doesn't exist."},
    {"023", "Internal error occurred during job list processing."},
    {"024", "User &1 not authorized to schedule report &2. Report on BC-SRV-APS-APJ."},
    {"026", "Job completed without errors"},
    {"028", "User &1 is not authorized to read the job details."},
    {"031", "User &1 is not authorized to cancel the job."},
    {"032", "Job couldn't be scheduled."},
    {"039", "Job couldn't be canceled: Job does not exist."},
    {"040", "Job couldn't be canceled: Job is not running."},
    {"064", "Filter for job list couldn't be applied."},
    {"074", "Parameter &1 has been removed because it is read-only"},
    {"076", "Job was canceled by user &1."},
    {"077", "User &1 has no authorization to schedule the job."},
    {"079", "Invalid job run status."},
    {"081", "Can't restart the job due to the status"},
    {"082", "Can't restart the job after the last step"},
    {"083", "User &1 doesn't exist or is invalid."},
};
}  // namespace

const char* ApjText(const char* number) {
  for (const auto& m : kMessages)
    if (std::strcmp(m.number, number) == 0) return m.text;
  return "";
}

core::Error ApjError(const char* number, std::initializer_list<std::string> vars) {
  return core::MakeError(core::Code::kBadRequest, "APJ_RT", number, ApjText(number), vars);
}

core::Error SchedulingFailed(const std::string& reason) {
  core::Error e = ApjError("032");
  e.details.push_back({.code = "APJ_RT/032", .message = reason, .target = "", .severity = core::Severity::kError});
  return e;
}

core::Error ParameterFormatError(const std::string& reason) {
  core::Error e = SchedulingFailed("Invalid job parameter string: " + reason);
  e.target = "JobParameterValues";
  return e;
}

}  // namespace causeway::jobs
