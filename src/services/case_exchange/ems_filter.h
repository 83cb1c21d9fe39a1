// The `filter` of EMS collection reads, e.g.
//   EntityId='10001' and ExternalSystem.SystemId='SNOW'
//   PhaseId in ('Plan','Build') or (Urgency = 'TotalLossOfService' and LastUpdateTime btw (1,2))
// Comparisons: =  !=  <  <=  >  >=  btw (a, b) (inclusive)  in (a, …); joined by `and` / `or`
// (and binds tighter; keywords in any case), parentheses. Operands: a property name (dotted for
// related records: ExternalSystem.SystemId), 'text' ('' for a quote), numbers, true, false,
// null. Values compare as integers when both sides are integers, otherwise as text (bytes). A
// property the record lacks compares as null (equal only to null).
#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"

namespace causeway::services::case_exchange {

class EmsFilter {
 public:
  // nullopt: the property's value is null or the record has no such property.
  using Lookup = std::function<std::optional<std::string>(std::string_view name)>;

  // An empty text matches everything. kBadRequest CAUSEWAY/CX/110 (target "filter") naming
  // the position of the first error.
  static core::Result<EmsFilter> Parse(std::string_view text);
  bool Matches(const Lookup& lookup) const;
  // The value a plain `Name = 'value'` conjunct requires of `name`, if there is one (lets a
  // caller narrow a read before filtering).
  std::optional<std::string> EqualityOn(std::string_view name) const;

  struct Node;

 private:
  std::shared_ptr<const Node> root_;
};

}  // namespace causeway::services::case_exchange
