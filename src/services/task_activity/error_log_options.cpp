#include "services/task_activity/error_log_options.h"

namespace causeway::services::task_activity {

core::Status ReadErrorLogOptions(ConfigTable& section, soap::ErrorLogOptions& out) {
  int64_t retention_s = out.retention.count();
  CW_RETURN_IF_ERROR(section.Int("error_log_retention_s", 60, int64_t{3650} * 86400, retention_s));
  CW_RETURN_IF_ERROR(section.Int("error_log_max_entries", 1, 10'000'000, out.max_entries));
  out.retention = std::chrono::seconds(retention_s);
  return core::Status::Ok();
}

}  // namespace causeway::services::task_activity
