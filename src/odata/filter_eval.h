// Evaluates a $filter AST against one entity (OData V2 semantics: comparisons with null yield
// false except eq/ne null; arithmetic on null yields null; string functions are byte-based on
// UTF-8 except length/substring/indexof which count code units of the UTF-8 bytes).
#pragma once

#include "core/result.h"
#include "odata/edm.h"
#include "odata/query.h"
#include "odata/value.h"

namespace causeway::odata {

// Value of `expr` for `entity` (values aligned with `type.properties`).
core::Result<Value> EvaluateFilter(const FilterExpr& expr, const EntityType& type, const Entity& entity);
// True if the filter yields boolean true (null and false both exclude the row).
core::Result<bool> FilterMatches(const FilterExpr& expr, const EntityType& type, const Entity& entity);
// Total order used by $orderby and comparisons: null < everything; same-kind values compare
// naturally (numbers numerically, strings bytewise, decimals numerically).
int CompareValues(const Value& a, const Value& b);

}  // namespace causeway::odata
