// Logging: spdlog behind two calls so that the sink and level are set once at start-up.
// Never log secrets (passwords, tokens, cookies, Authorization headers): see security/README.md.
#pragma once

#include <spdlog/spdlog.h>

#include <string_view>

namespace causeway::core {

// Configures the process-wide logger. `level` is one of trace, debug, info, warn, error, off.
void InitLogging(std::string_view level, bool json = false);
// True for the level names InitLogging knows (spdlog's, lower case: trace, debug, info, warn,
// warning, error, err, critical, off).
bool IsLogLevel(std::string_view level);

}  // namespace causeway::core
