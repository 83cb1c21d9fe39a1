// The job scheduling module: BC_EXT_APPJOB_MANAGEMENT over the job engine, the scenarios
// SAP_COM_0064 / SAP_COM_0326, its [jobs] section (workers, demo and configured templates,
// docs/configuration.md) and its control routes /_causeway/templates (run-time templates).
#pragma once

#include <memory>

#include "services/common/module.h"

namespace causeway::services::appjob {

std::unique_ptr<Module> MakeAppJobModule();

}  // namespace causeway::services::appjob
