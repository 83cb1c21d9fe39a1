// $filter and $orderby/$select/$expand parsing with type checking against an entity type.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"
#include "odata/edm.h"
#include "odata/query.h"

namespace causeway::odata {

// Parses a decoded $filter expression. Operators: eq ne gt ge lt le and or not add sub mul div
// mod, unary '-', parentheses. Functions: substringof startswith endswith length indexof replace
// substring tolower toupper trim concat year month day hour minute second round floor ceiling.
// Properties are resolved against `type`; operand types are checked (e.g. a string compared with
// a number → 400). The top-level expression must be boolean. `and`/`or` chains become one n-ary
// node. The tree may be at most kMaxFilterHeight high and hold kMaxFilterNodes nodes (query.h).
// Errors: 400 Gateway error with the reason and position.
core::Result<FilterExpr> ParseFilter(std::string_view text, const EntityType& type);

// "A desc, B" → [{A,true},{B,false}]; properties must exist in `type`.
core::Result<std::vector<OrderBy>> ParseOrderBy(std::string_view text, const EntityType& type);

// Comma-separated names, trimmed; "*" alone yields an empty list (all properties).
std::vector<std::string> SplitList(std::string_view text);

}  // namespace causeway::odata
