#include "http/cookies.h"

#include "core/ascii.h"

namespace causeway::http {

std::optional<std::string> FindCookie(const std::vector<std::string_view>& cookie_headers, std::string_view name) {
  std::optional<std::string> found;
  for (std::string_view line : cookie_headers) {
    while (!line.empty()) {
      size_t semi = core::FindAny(line, ";,");
      std::string_view pair = core::Trim(line.substr(0, semi));
      line = semi == std::string_view::npos ? std::string_view() : line.substr(semi + 1);
      size_t eq = pair.find('=');
      if (eq == std::string_view::npos) continue;
      if (core::Trim(pair.substr(0, eq)) != name) continue;
      std::string_view v = core::Trim(pair.substr(eq + 1));
      if (v.size() >= 2 && v.front() == '"' && v.back() == '"') v = v.substr(1, v.size() - 2);
      found = std::string(v);
    }
  }
  return found;
}

}  // namespace causeway::http
