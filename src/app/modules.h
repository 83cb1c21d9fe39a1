// The service modules of this build, in mounting order. Adding a service: a folder under
// src/services/ with its module, and one line in modules.cpp.
#pragma once

#include <memory>
#include <vector>

#include "services/common/module.h"

namespace causeway::app {

std::vector<std::unique_ptr<services::Module>> ServiceModules();

}  // namespace causeway::app
