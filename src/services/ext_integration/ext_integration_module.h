// The Focused Build module: EXT_INTEGRATION_SRV (namespace /SALM/) on the OData engine, the
// outbound pushes (message kinds fb.wp.* / fb.wi.* of the outbox), the document download links,
// its [ext_integration] section with the customizing, the scenario CAUSEWAY_FB_EXT_INTEGRATION
// (grants EXT_INTEGRATION_SRV) with the demo communication user FB_CONNECTOR, and the control
// routes /_causeway/fb/ (control_routes.h).
#pragma once

#include <memory>

#include "services/common/module.h"

namespace causeway::services::ext_integration {

inline constexpr char kScenario[] = "CAUSEWAY_FB_EXT_INTEGRATION";

std::unique_ptr<Module> MakeExtIntegrationModule();

}  // namespace causeway::services::ext_integration
