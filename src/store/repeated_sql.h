// Statement texts that differ only in how often one part repeats — a multi-row VALUES list,
// "IN (?, ?, …)" — built once for every count up to a bound, so that a statement over n rows
// or keys is one of a handful of texts each connection prepares once (and nothing is
// concatenated per call).
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace causeway::store {

class RepeatedSql {
 public:
  // Text n (1 <= n <= max): `head`, then `item` n times with `separator` between, then `tail`.
  RepeatedSql(std::string_view head, std::string_view item, std::string_view separator, std::string_view tail,
              size_t max);
  // Text n; std::out_of_range for 0 or above max (a caller's bug: it splits into at most max).
  const std::string& operator()(size_t n) const;
  size_t max() const { return texts_.size() - 1; }

 private:
  std::vector<std::string> texts_;  // [0] unused
};

}  // namespace causeway::store
