// Syntax of OData V2 resource paths and query strings (no model knowledge; see resource.h for
// binding to a model). Percent-decoding happens here, exactly once per segment / name / value.
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/result.h"

namespace causeway::odata {

// One key predicate term: `name` empty for the positional form Set('X'); `literal` is the
// decoded literal text (e.g. "'It''s'", "12L").
struct KeyTerm {
  std::string name;
  std::string literal;
};

struct PathSegment {
  std::string name;  // decoded identifier, "$count", "$value" or a property/navigation name
  bool has_parens = false;
  std::vector<KeyTerm> key;  // empty with has_parens: "Fn()" or "Set()"
};

struct ParsedPath {
  enum class Kind { kServiceDocument, kMetadata, kBatch, kResource };
  Kind kind = Kind::kServiceDocument;
  std::vector<PathSegment> segments;  // kResource only
};

// Parses `raw` (percent-encoded, relative to the service root, no leading '/'). A single
// trailing '/' is ignored. Errors: 400 Gateway error for a malformed segment, key predicate or
// percent escape.
core::Result<ParsedPath> ParseResourcePath(std::string_view raw);

// Parses the inside of a key predicate "K1='a',K2=5" / "'a'" (already decoded).
core::Result<std::vector<KeyTerm>> ParseKeyPredicate(std::string_view inner);

struct QueryParam {
  std::string name;   // decoded
  std::string value;  // decoded
};

// Splits a raw query string on '&' and decodes names and values: %XX escapes, and '+' as a
// space (ICF form-field decoding; send %2B for a literal plus). Empty items are skipped.
core::Result<std::vector<QueryParam>> ParseQueryString(std::string_view raw);

}  // namespace causeway::odata
