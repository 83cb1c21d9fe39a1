#include "domain/jobs/job_template.h"

#include "core/random.h"
#include "domain/jobs/job.h"

namespace causeway::jobs {

const char* StepKindName(StepKind k) {
  switch (k) {
    case StepKind::kNoop: return "noop";
    case StepKind::kSleep: return "sleep";
    case StepKind::kFail: return "fail";
    case StepKind::kLogCleanup: return "log_cleanup";
    case StepKind::kCommand: return "command";
  }
  return "noop";
}

bool StepKindFromName(std::string_view name, StepKind* out) {
  for (StepKind k : {StepKind::kNoop, StepKind::kSleep, StepKind::kFail, StepKind::kLogCleanup, StepKind::kCommand}) {
    if (name == StepKindName(k)) {
      *out = k;
      return true;
    }
  }
  return false;
}

const ParameterDefinition* JobTemplate::FindParameter(int step_nr, std::string_view param_name) const {
  for (const auto& p : parameters)
    if (p.step_nr == step_nr && p.name == param_name) return &p;
  return nullptr;
}

std::string GenerateTemplateId() {
  return "Z" + core::RandomFromAlphabet(25, "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789");
}

JobKey GenerateJobKey() {
  return JobKey{core::RandomHexUpper(16),
                core::RandomFromAlphabet(8, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789")};
}

}  // namespace causeway::jobs
