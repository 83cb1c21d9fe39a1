#include "services/common/control_methods.h"

#include "services/common/problem_json.h"

namespace causeway::services {

std::string_view ControlMethod(const http::Request& req) {
  return req.method == "HEAD" ? std::string_view("GET") : std::string_view(req.method);
}

std::string AllowedMethods(std::initializer_list<std::string_view> methods) {
  std::string allow;
  auto add = [&](std::string_view m) { (allow += allow.empty() ? "" : ", ") += m; };
  for (std::string_view m : methods) {
    add(m);
    if (m == "GET") add("HEAD");
  }
  return allow;
}

http::Response MethodNotAllowed(std::initializer_list<std::string_view> methods) {
  std::string use;  // "GET", "GET or PUT", "GET, PUT or DELETE"
  size_t n = 0;
  for (std::string_view m : methods) {
    if (n) use += n + 1 == methods.size() ? " or " : ", ";
    use += m;
    ++n;
  }
  http::Response r = ProblemJson(ControlError(core::Code::kMethodNotAllowed, "002", "Use " + use));
  r.headers.Set("allow", AllowedMethods(methods));
  return r;
}

std::optional<std::string_view> ControlSubresource(std::string_view rest, std::string_view name) {
  if (rest == name) return std::string_view();
  if (rest.size() > name.size() && rest.starts_with(name) && rest[name.size()] == '/')
    return rest.substr(name.size() + 1);
  return std::nullopt;
}

}  // namespace causeway::services
