// Merges the parameter values a client sent with a template's definitions and defaults.
// Pure function; thread-safe.
#pragma once

#include <string>
#include <vector>

#include "domain/jobs/job_parameters.h"
#include "domain/jobs/job_template.h"

namespace causeway::jobs {

struct ResolvedParameters {
  // One entry per parameter the template defines, with its step number: the client's value
  // where one was sent (and allowed), the default otherwise.
  std::vector<ParameterValue> values;
  // Read-only parameters whose supplied value differed from the default and was dropped
  // (APJ_RT/074 warnings).
  std::vector<std::string> removed_read_only;
  // Reasons scheduling must fail: unknown parameters, bad step numbers, missing mandatory values.
  std::vector<std::string> errors;
};

// A value without a step number applies to every step defining a parameter of that name.
ResolvedParameters ResolveParameters(const JobTemplate& t, const std::vector<ParameterValue>& supplied);

// The template's parameters with their defaults (a single empty I/EQ row where there is
// none), as TemplateValuesGet returns them.
std::vector<ParameterValue> TemplateDefaults(const JobTemplate& t);

}  // namespace causeway::jobs
