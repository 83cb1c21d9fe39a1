// Parsed system query options and the $filter AST handed to services. Services either call
// ApplyQueryInMemory (query_memory.h) on all rows, evaluate the AST themselves
// (filter_eval.h), or translate it to parameterised SQL (filter_sql.h).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "odata/edm.h"
#include "odata/value.h"

namespace causeway::odata {

// A $filter expression node. Value semantics (children held by value).
//
// `and` / `or` chains are n-ary (a kBinary node with two or more children), so that a long
// list of alternatives (`A eq 1 or A eq 2 or …`, as UI5 and the Cloud SDK generate) stays
// shallow. Everything that walks the tree recurses, so the parser bounds both the height and the
// node count (ParseFilter); trees built elsewhere must respect kMaxFilterHeight too.
struct FilterExpr {
  enum class Kind {
    kLiteral,   // `literal`, typed `type` (null literal: literal.is_null())
    kProperty,  // `name`, typed `type` (the property's EDM type)
    kBinary,    // `op` applied to children[0], children[1] (kAnd/kOr: to every child, in order)
    kNot,       // not children[0]
    kNegate,    // -children[0]
    kCall,      // function `name` applied to children
  };
  enum class Op { kEq, kNe, kGt, kGe, kLt, kLe, kAnd, kOr, kAdd, kSub, kMul, kDiv, kMod };

  Kind kind = Kind::kLiteral;
  Op op = Op::kEq;
  std::string name;  // property name or function name (substringof, startswith, year, ...)
  Value literal;
  EdmType type = EdmType::kString;  // for literals/properties: EDM type; for others: result type
  bool is_bool = false;             // true when the node yields Edm.Boolean
  int height = 1;                   // nodes on the longest path down to a leaf, this one included
  std::vector<FilterExpr> children;
};

// Bounds of a parsed $filter: evaluation, SQL translation and destruction recurse once per
// level, so the height bounds their stack use; the node count bounds their time.
inline constexpr int kMaxFilterHeight = 100;
inline constexpr int kMaxFilterNodes = 10000;

// Operator spelling in $filter ("eq", "add", ...).
const char* FilterOpName(FilterExpr::Op op);

struct OrderBy {
  std::string property;
  bool descending = false;
};

struct QueryOptions {
  std::optional<FilterExpr> filter;
  std::vector<OrderBy> orderby;
  std::optional<int64_t> top;
  std::optional<int64_t> skip;
  bool inline_count = false;             // $inlinecount=allpages
  std::vector<std::string> select;       // empty: all properties ("*" is folded to empty)
  std::vector<std::string> expand;       // navigation paths: "Nav" or "Nav1/Nav2/…" (multi-level)
  std::string skiptoken;                 // $skiptoken as sent (decoded)
  std::string search;                    // SAP `search=` (decoded)
  bool count_only = false;               // the /$count path segment
  // Custom query options (not starting with '$', not sap-*), decoded, in order. Gateway passes
  // them to the data provider and otherwise ignores them.
  std::vector<std::pair<std::string, std::string>> custom;
};

// What a service returns for a read of a collection.
struct EntityCollection {
  std::vector<Entity> entities;
  std::optional<int64_t> total_count;  // required when QueryOptions::inline_count or count_only
  // Non-empty: more rows follow; the engine writes a `__next` / rel="next" link carrying it.
  std::string next_skiptoken;
};

}  // namespace causeway::odata
