// How long and how many faults the web-service error log keeps, read from a SOAP service's
// section of causeway.toml ([task_activity], [business_agreement]): error_log_retention_s (60 s
// to ten years, default 7 days) and error_log_max_entries (1 to ten million, default 100,000).
// Here because the task-activity module applies the SOAP engine's tables (soap/error_log.h).
#pragma once

#include "services/common/config_table.h"
#include "soap/error_log.h"

namespace causeway::services::task_activity {

core::Status ReadErrorLogOptions(ConfigTable& section, soap::ErrorLogOptions& out);

}  // namespace causeway::services::task_activity
