// The query string of a REST or control-plane request as decoded name → value pairs: %XX and '+'
// for space, as clients encode them either way (Java's URLEncoder writes '+', curl and browsers
// %20). Empty items ("a=1&&b=2") are skipped, a name without '=' has the value "", and a name
// given twice keeps its last value. Each API refuses bad input with its own message class and
// numbers (QueryMessages), so its wire errors stay what its clients know.
// A QueryParams is a value: immutable after Parse, safe to read from several threads.
#pragma once

#include <cstdint>
#include <functional>
#include <limits>
#include <map>
#include <optional>
#include <string>
#include <string_view>

#include "core/result.h"

namespace causeway::services {

// The messages of the refusals (all kBadRequest): `message_class`/`malformed` for a malformed
// %-escape, `message_class`/`bad_number` for QueryParams::Int outside its range.
struct QueryMessages {
  const char* message_class;  // e.g. "CAUSEWAY/CONTROL"
  const char* malformed;      // e.g. "010"
  const char* bad_number;     // e.g. "010"
};

// The control plane's (/_causeway/…): CAUSEWAY/CONTROL 010, malformed input (docs/errors.md).
inline constexpr QueryMessages kControlQueryMessages{"CAUSEWAY/CONTROL", "010", "010"};

// Paging of every control-plane list route (QueryParams::PageLimit, PageAfter), so that the same
// value gets the same answer on every list.
inline constexpr int64_t kDefaultPageLimit = 100;
inline constexpr int64_t kMaxPageLimit = 1000;

class QueryParams {
 public:
  using Map = std::map<std::string, std::string, std::less<>>;

  // Fails with messages.malformed ("Malformed query string") on a malformed %-escape.
  static core::Result<QueryParams> Parse(std::string_view query, const QueryMessages& messages);

  std::optional<std::string> Get(std::string_view name) const;
  std::string GetOr(std::string_view name, std::string fallback) const;
  // A whole number in [min, max]; `fallback` when absent or empty; messages.bad_number ("Query
  // parameter <name> must be a whole number from <min> to <max>", target = name) otherwise.
  core::Result<int64_t> Int(std::string_view name, int64_t fallback, int64_t min, int64_t max) const;
  // A list's `limit`: 1 to kMaxPageLimit, `fallback` (the route's default page) when absent.
  core::Result<int64_t> PageLimit(int64_t fallback = kDefaultPageLimit) const {
    return Int("limit", fallback, 1, kMaxPageLimit);
  }
  // A list's numeric `after` (the last id of the previous page): 0 or more, 0 when absent.
  core::Result<int64_t> PageAfter() const { return Int("after", 0, 0, std::numeric_limits<int64_t>::max()); }

  // Every pair, sorted by name (for APIs that refuse names they do not know).
  const Map& values() const { return values_; }

 private:
  QueryMessages messages_{};
  Map values_;
};

}  // namespace causeway::services
