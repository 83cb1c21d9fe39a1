// Job parameters for JobSchedule: `--param STEP:NAME=VALUE` and `--params-json FILE` become the
// JobParameterValuesSimple JSON string (spec §1.7):
//   {"VALUES":[{"STEP_NR":1,"NAME":"P_X","T_VALUE":[{"SIGN":"I","OPTION":"EQ","LOW":"v","HIGH":""}]}]}
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"

namespace causeway::client {

struct ParamSpec {
  int step = 1;
  std::string name;
  std::string value;
};

// Parses "STEP:NAME=VALUE" (or "NAME=VALUE", step 1). VALUE may contain ':' and '='.
// kBadRequest when the name is empty, STEP is not a positive integer or '=' is missing.
core::Result<ParamSpec> ParseParamSpec(std::string_view text);

// Builds the JobParameterValuesSimple string. `json_file_text` (may be empty) is the content of a
// --params-json file: an object {"VALUES":[...]} in the same format; its entries come first and
// the --param entries are appended (repeating STEP:NAME adds another single value, I EQ).
// Returns "" when there are no parameters at all (the template's defaults are used then).
// kBadRequest when the file is not such a JSON object.
core::Result<std::string> BuildParameterValuesSimple(const std::vector<ParamSpec>& params,
                                                     std::string_view json_file_text);

}  // namespace causeway::client
