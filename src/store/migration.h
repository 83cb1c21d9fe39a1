// Numbered, forward-only schema migrations. Each domain keeps its own as SQL files under
// migrations/ (embedded at build time by cmake/EmbedSql.cmake); Migrate() applies those not yet
// recorded in the schema_migrations table, each in its own transaction.
//
// One file serves both back ends. Where their SQL differs, a marker line switches the dialect
// of the lines that follow until the next marker:
//   -- dialect: sqlite      (only SQLite runs these lines)
//   -- dialect: postgres    (only PostgreSQL runs these lines)
//   -- dialect: all         (back to lines for both; also the default at the top of a file)
#pragma once

#include <string>
#include <vector>

#include "store/database.h"

namespace causeway::store {

struct Migration {
  int version;       // unique across the whole store; domains take disjoint ranges
  std::string name;  // file name without extension, e.g. "0001_jobs"
  std::string sql;   // one or more statements separated by ';', with optional dialect markers
};

// The advisory-lock key PostgreSQL nodes take while migrating ("causeway" in ASCII).
inline constexpr int64_t kMigrationLockKey = 0x6361757365776179;

// Applies every migration whose version is not recorded yet, in version order, each in its own
// Write() transaction. Safe to run from several nodes (or threads) at once: on PostgreSQL each
// transaction first takes pg_advisory_xact_lock(kMigrationLockKey), on SQLite the single writer
// serializes them, and each re-checks schema_migrations inside its transaction so a migration
// another node applied meanwhile is skipped. Fails, before applying anything, on duplicate
// versions or an unknown dialect marker; otherwise returns the first failing migration's error
// (earlier migrations stay applied).
Status Migrate(Database& db, const std::vector<Migration>& migrations);

// Returns `sql` with the lines of other dialects' sections blanked (line numbers are kept), or
// a kInternal error naming an unknown dialect in a marker.
Result<std::string> SqlForDialect(std::string_view sql, Dialect dialect);

// Splits a migration script into statements (';' outside quotes, dollar quotes and comments;
// comments dropped).
std::vector<std::string> SplitSqlStatements(std::string_view sql);

}  // namespace causeway::store
