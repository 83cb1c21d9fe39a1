// Domain → XML: the confirmation (TaskActivityBundleMaintainConfirmation_sync_V1 or the
// CheckMaintain response, same type) as A2X writes it: root `n0:` with the SAPGlobal20
// namespace and an unused `prx` proxy declaration, unqualified children in schema order
// (ActivityTask*: ReferenceObjectNodeSenderTechnicalID?, ChangeStateID, UUID, ID?; then Log:
// BusinessDocumentProcessingResultCode, MaximumLogItemSeverityCode?, Item*), nothing undeclared.
#pragma once

#include <string>
#include <string_view>

#include "domain/activities/task.h"

namespace causeway::services::task_activity {

inline constexpr std::string_view kMessageNamespace = "http://sap.com/xi/SAPGlobal20/Global";

// `root` is the response element's local name; `system_id` goes into the proxy declaration.
std::string WriteConfirmation(std::string_view root, const activities::BundleResult& result,
                              std::string_view system_id);

}  // namespace causeway::services::task_activity
