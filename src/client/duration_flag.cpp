#include "client/duration_flag.h"

#include <charconv>
#include <string>

namespace causeway::client {

core::Result<std::chrono::milliseconds> ParseDuration(std::string_view text) {
  auto bad = [&] {
    return core::MakeError(core::Code::kBadRequest, "CLIENT", "",
                           "invalid duration '" + std::string(text) +
                               "': use e.g. 500ms, 90s, 5m, 2h (plain numbers are seconds)");
  };
  long long n = 0;
  auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), n);
  if (ec != std::errc() || ptr == text.data() || n < 0) return bad();
  std::string_view unit(ptr, static_cast<size_t>(text.data() + text.size() - ptr));
  long long factor = 0;
  if (unit.empty() || unit == "s") factor = 1000;
  else if (unit == "ms") factor = 1;
  else if (unit == "m" || unit == "min") factor = 60'000;
  else if (unit == "h") factor = 3'600'000;
  else return bad();
  if (n > 10'000'000'000LL / factor) return bad();
  return std::chrono::milliseconds(n * factor);
}

}  // namespace causeway::client
