#include "store/sql_text.h"

namespace causeway::store {
namespace {

bool IsIdentChar(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
         static_cast<unsigned char>(c) >= 0x80;
}

// Length of a dollar-quote tag ("$tag$" or "$$") at i, or 0 if none starts there.
size_t DollarTagLength(std::string_view sql, size_t i) {
  size_t j = i + 1;
  if (j < sql.size() && sql[j] >= '0' && sql[j] <= '9') return 0;  // $1 is a parameter
  while (j < sql.size() && IsIdentChar(sql[j])) ++j;
  return j < sql.size() && sql[j] == '$' ? j + 1 - i : 0;
}

}  // namespace

SqlSpan NextSqlSpan(std::string_view sql, size_t i, size_t* end) {
  const char c = sql[i];
  const char next = i + 1 < sql.size() ? sql[i + 1] : '\0';
  if (c == '\'' || c == '"') {
    // A doubled quote inside is an escaped quote: it closes and reopens, so scanning on works.
    size_t j = i + 1;
    for (;;) {
      j = sql.find(c, j);
      if (j == std::string_view::npos) {
        *end = sql.size();
        break;
      }
      if (j + 1 < sql.size() && sql[j + 1] == c) {
        j += 2;
        continue;
      }
      *end = j + 1;
      break;
    }
    return c == '\'' ? SqlSpan::kString : SqlSpan::kIdentifier;
  }
  if (c == '-' && next == '-') {
    size_t j = sql.find('\n', i);
    *end = j == std::string_view::npos ? sql.size() : j;
    return SqlSpan::kLineComment;
  }
  if (c == '/' && next == '*') {
    size_t j = sql.find("*/", i + 2);
    *end = j == std::string_view::npos ? sql.size() : j + 2;
    return SqlSpan::kBlockComment;
  }
  // "a$b" is an identifier in PostgreSQL, not the start of a dollar quote.
  if (c == '$' && (i == 0 || !IsIdentChar(sql[i - 1]))) {
    if (size_t tag = DollarTagLength(sql, i)) {
      size_t j = sql.find(sql.substr(i, tag), i + tag);
      *end = j == std::string_view::npos ? sql.size() : j + tag;
      return SqlSpan::kDollarQuoted;
    }
  }
  *end = i + 1;
  return SqlSpan::kCode;
}

}  // namespace causeway::store
