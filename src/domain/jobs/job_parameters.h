// Job parameter values and the two string formats clients send them in (spec §1.7):
//   {"VALUES":[{"STEP_NR":1,"NAME":"P_X","T_VALUE":[{"SIGN":"I","OPTION":"EQ","LOW":"a","HIGH":""}]}]}
//     (JobParameterValuesSimple; JobParameterValues uses the same shape, STEP_NR optional)
//   [{"StepNr":1,"JobParameterName":"P_X","Sign":"I","Option":"EQ","Low":"a","High":""}]
//     (the JobParamValuesStruct shape)
// Pure functions; thread-safe.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"

namespace causeway::jobs {

struct ParameterRange {
  std::string sign = "I";     // I / E
  std::string option = "EQ";  // EQ, BT, CP, ...
  std::string low;
  std::string high;
  bool operator==(const ParameterRange&) const = default;
};

// One parameter with its range table. step_nr 0 means "not given": the value applies to every
// step whose template defines a parameter of that name.
struct ParameterValue {
  int step_nr = 0;
  std::string name;
  std::vector<ParameterRange> ranges;
  bool operator==(const ParameterValue&) const = default;
};

// Parses either shape above. An empty or blank string yields no values. Errors are
// kBadRequest with class APJ_RT/032 and the reason in the text.
core::Result<std::vector<ParameterValue>> ParseParameterValues(std::string_view text);

// The VALUES shape with STEP_NR (usable again as JobParameterValues, spec §1.4.8).
std::string FormatParameterValues(const std::vector<ParameterValue>& values);

// JSON array of {"jobParameterName","hidden","readOnly"} (JobScheduleCheck.DynamicProperties).
struct DynamicProperty {
  std::string name;
  bool hidden = false;
  bool read_only = false;
};
std::string FormatDynamicProperties(const std::vector<DynamicProperty>& props);

// Environment variable for a parameter: "CW_PARAM_" + name upper-cased with every character
// outside [A-Z0-9] replaced by '_' ("/IBP/P_X" -> "CW_PARAM__IBP_P_X").
std::string ParameterEnvName(std::string_view parameter_name);

// Environment entries for the parameters of one step (see README.md, "Environment"):
//   CW_PARAM_<N>=<LOW of the first range>, CW_PARAM_<N>_HIGH (if non-empty), and for range
//   tables with more than one row CW_PARAM_<N>_COUNT and CW_PARAM_<N>_<i>_{SIGN,OPTION,LOW,HIGH}.
std::vector<std::pair<std::string, std::string>> ParameterEnvironment(const std::vector<ParameterValue>& values);

}  // namespace causeway::jobs
