// Lexical scanning of SQL text shared by the migration splitter (migration.cpp) and the
// PostgreSQL placeholder rewrite (postgres/placeholders.cpp), so that both agree on what is code
// and what is quoted.
//
// Understood: '…' strings ('' inside), "…" identifiers, $tag$…$tag$ bodies (PostgreSQL), -- line
// and /* … */ block comments (not nested). Not understood: E'…' backslash escapes.
#pragma once

#include <cstddef>
#include <string_view>

namespace causeway::store {

enum class SqlSpan {
  kCode,           // one character of plain SQL
  kString,         // '…'
  kIdentifier,     // "…"
  kDollarQuoted,   // $tag$…$tag$
  kLineComment,    // -- … (without the newline)
  kBlockComment,   // /* … */
};

// Classifies the text starting at `i` (< sql.size()) and sets *end just past it: past the closing
// quote or comment (sql.size() if unterminated), or i + 1 for a character of code.
SqlSpan NextSqlSpan(std::string_view sql, size_t i, size_t* end);

}  // namespace causeway::store
