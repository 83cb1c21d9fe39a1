// JSON text for the definition columns of the job tables. Internal to the jobs folder (the
// repository); not a wire format.
#pragma once

#include <string>
#include <vector>

#include "core/result.h"
#include "domain/jobs/job_template.h"

namespace causeway::jobs {

std::string EncodeStep(const StepDefinition& step);
core::Result<StepDefinition> DecodeStep(std::string_view text);
std::string EncodeSteps(const std::vector<StepDefinition>& steps);
core::Result<std::vector<StepDefinition>> DecodeSteps(std::string_view text);
std::string EncodeParameterDefinitions(const std::vector<ParameterDefinition>& params);
core::Result<std::vector<ParameterDefinition>> DecodeParameterDefinitions(std::string_view text);
std::string EncodeStrings(const std::vector<std::string>& v);
core::Result<std::vector<std::string>> DecodeStrings(std::string_view text);

}  // namespace causeway::jobs
