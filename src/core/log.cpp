#include "core/log.h"

#include <spdlog/sinks/stdout_sinks.h>

namespace causeway::core {

void InitLogging(std::string_view level, bool json) {
  auto logger = spdlog::stderr_logger_mt("causeway");
  logger->set_pattern(json ? R"({"t":"%Y-%m-%dT%H:%M:%S.%fZ","lvl":"%l","msg":"%v"})" : "%Y-%m-%dT%H:%M:%S.%fZ %l %v",
                      spdlog::pattern_time_type::utc);
  logger->set_level(spdlog::level::from_str(std::string(level)));
  logger->flush_on(spdlog::level::warn);
  spdlog::set_default_logger(logger);
}

bool IsLogLevel(std::string_view level) {
  // spdlog answers "off" for every name it does not know.
  return level == "off" || spdlog::level::from_str(std::string(level)) != spdlog::level::off;
}

}  // namespace causeway::core
