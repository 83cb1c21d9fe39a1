// The EDM model of BC_EXT_APPJOB_MANAGEMENT version 0002 (spec §1.3-1.4). Internal to appjob.
#pragma once

#include "odata/edm.h"

namespace causeway::services::appjob {

inline constexpr const char* kNamespace = "BC_EXT_APPJOB_MANAGEMENT";

odata::Schema BuildAppJobSchema();

}  // namespace causeway::services::appjob
