// Logging: spdlog behind two calls so that the sink and level are set once at start-up.
// Never log secrets (passwords, tokens, cookies, Authorization headers): see security/README.md.
#pragma once

#include <spdlog/spdlog.h>

#include <string_view>

namespace causeway::core {

// Configures the process-wide logger. `level` is one of trace, debug, info, warn, error, off.
void InitLogging(std::string_view level, bool json = false);

}  // namespace causeway::core
