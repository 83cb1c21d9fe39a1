// Numbered, forward-only schema migrations. Each domain keeps its own as SQL files under
// migrations/ (embedded at build time by cmake/EmbedSql.cmake); Migrate() applies those not yet
// recorded in the schema_migrations table, each in its own transaction.
#pragma once

#include <string>
#include <vector>

#include "store/database.h"

namespace causeway::store {

struct Migration {
  int version;       // unique across the whole store; domains take disjoint ranges
  std::string name;  // file name without extension, e.g. "0001_jobs"
  std::string sql;   // one or more statements separated by ';'
};

// Applies every migration whose version is not recorded yet, in version order.
Status Migrate(Database& db, const std::vector<Migration>& migrations);

// Splits a migration script into statements (';' outside quotes, '--' comments dropped).
std::vector<std::string> SplitSqlStatements(std::string_view sql);

}  // namespace causeway::store
