#include "store/postgres/pg_statement.h"

#include <array>
#include <cctype>

#include "store/database.h"
#include "store/sql_text.h"

namespace causeway::store::postgres {
namespace {

// Statements run once per schema change (or session), whose plans must not outlive a schema
// change: a cached "CREATE TABLE" is never run twice, and keeping it would only fill the cache.
bool IsUtility(std::string_view sql) {
  static constexpr std::array<std::string_view, 12> kUtility = {
      "CREATE", "ALTER", "DROP", "TRUNCATE", "COMMENT", "GRANT", "REVOKE", "DO", "SET", "RESET", "LOCK", "VACUUM"};
  size_t i = 0;
  // Skip leading blanks and comments.
  while (i < sql.size()) {
    if (std::isspace(static_cast<unsigned char>(sql[i]))) {
      ++i;
      continue;
    }
    size_t end = 0;
    SqlSpan span = NextSqlSpan(sql, i, &end);
    if (span != SqlSpan::kLineComment && span != SqlSpan::kBlockComment) break;
    i = end;
  }
  size_t j = i;
  while (j < sql.size() && std::isalpha(static_cast<unsigned char>(sql[j]))) ++j;
  std::string word(sql.substr(i, j - i));
  for (char& c : word) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  for (std::string_view u : kUtility)
    if (word == u) return true;
  return false;
}

}  // namespace

core::Result<PgStatement> RewritePlaceholders(std::string_view sql) {
  PgStatement out;
  out.sql.reserve(sql.size() + 8);
  for (size_t i = 0, end = 0; i < sql.size(); i = end) {
    if (NextSqlSpan(sql, i, &end) == SqlSpan::kCode && sql[i] == '?') {
      if (end < sql.size() && std::isdigit(static_cast<unsigned char>(sql[end])))
        return StoreError(core::Code::kInternal, "002", "numbered placeholders (?NNN) are not supported");
      out.sql += '$';
      out.sql += std::to_string(++out.params);
    } else {
      out.sql.append(sql.substr(i, end - i));
    }
  }
  out.cacheable = !IsUtility(sql);
  return out;
}

}  // namespace causeway::store::postgres
