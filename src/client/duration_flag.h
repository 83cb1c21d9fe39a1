// Durations on the command line and in the config file: "90" (seconds), "500ms", "90s", "5m", "2h".
#pragma once

#include <chrono>
#include <string_view>

#include "core/result.h"

namespace causeway::client {

// kBadRequest for anything else (negative, empty, unknown unit, overflow).
core::Result<std::chrono::milliseconds> ParseDuration(std::string_view text);

}  // namespace causeway::client
