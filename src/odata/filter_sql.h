// Translates a $filter AST into a parameterised SQL WHERE fragment (SQLite/PostgreSQL common
// subset). Literal values never enter the SQL text; each becomes a '?' placeholder with the value
// appended to `params` in order.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"
#include "odata/query.h"
#include "odata/value.h"

namespace causeway::odata {

struct SqlFragment {
  std::string sql;            // e.g. "(\"job_name\" = ?) AND (\"status\" <> ?)"
  std::vector<Value> params;  // one per '?', in order
};

// Maps a property name to a (trusted, already quoted if needed) column expression; nullopt if
// the property cannot be filtered in SQL (→ 400 "property not filterable").
using ColumnMap = std::function<std::optional<std::string>(std::string_view property)>;

// Errors: a function without an SQL equivalent (e.g. replace, round) → kNotImplemented (501),
// an unmapped property → kBadRequest.
core::Result<SqlFragment> TranslateFilterToSql(const FilterExpr& expr, const ColumnMap& columns);
// "ORDER BY" body for `orderby` ("col1 ASC, col2 DESC"), or empty; unmapped property → 400.
core::Result<std::string> TranslateOrderByToSql(const std::vector<OrderBy>& orderby, const ColumnMap& columns);

}  // namespace causeway::odata
