// Lenient Cookie header parsing: clients in the field send several Cookie lines, stray
// spaces, empty pairs and quoted values; ICF accepts them, so do we.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace causeway::http {

// The value of cookie `name` (exact, case-sensitive name as browsers do) from every Cookie
// header line; the last occurrence wins, as ICF does when a jar holds a stale duplicate.
std::optional<std::string> FindCookie(const std::vector<std::string_view>& cookie_headers, std::string_view name);

}  // namespace causeway::http
