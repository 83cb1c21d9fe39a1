// The case exchange reads query strings with services::QueryParams (decoded both ways: %XX and
// '+' for space); its refusals are CAUSEWAY/CX 100 (malformed %-escape) and 101 (a number
// parameter that is not a whole number in its range, target = the parameter).
#pragma once

#include "services/common/query_params.h"

namespace causeway::services::case_exchange {

inline constexpr QueryMessages kQueryMessages{"CAUSEWAY/CX", "100", "101"};

}  // namespace causeway::services::case_exchange
