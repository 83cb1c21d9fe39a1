// A request's query string as decoded name → value pairs: %XX and '+' for space, as clients
// encode them either way (Java's URLEncoder writes '+', curl and browsers %20). A name given
// twice keeps its last value.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>

#include "core/result.h"

namespace causeway::services::case_exchange {

class QueryParams {
 public:
  // kBadRequest CAUSEWAY/CX/100 for a malformed %-escape.
  static core::Result<QueryParams> Parse(std::string_view query);
  std::optional<std::string> Get(std::string_view name) const;
  std::string GetOr(std::string_view name, std::string fallback) const;
  // A non-negative integer parameter; `fallback` when absent; 101 (target = name) when not a
  // number or outside [0, max].
  core::Result<int64_t> Int(std::string_view name, int64_t fallback, int64_t max) const;

 private:
  std::map<std::string, std::string, std::less<>> values_;
};

}  // namespace causeway::services::case_exchange
