#include "store/migration.h"

#include <algorithm>
#include <ctime>
#include <set>

#include "store/sql_text.h"

namespace causeway::store {
namespace {

core::Error MigrationError(std::string text) {
  return StoreError(core::Code::kInternal, "009", std::move(text));
}

std::string_view Trim(std::string_view s) {
  size_t b = s.find_first_not_of(" \t\r");
  if (b == std::string_view::npos) return {};
  return s.substr(b, s.find_last_not_of(" \t\r") + 1 - b);
}

// schema_migrations.applied_at, formatted like SQLite's CURRENT_TIMESTAMP on both back ends
// (PostgreSQL's would carry fractions and a zone).
std::string UtcNow() {
  std::time_t now = std::time(nullptr);
  std::tm tm{};
  gmtime_r(&now, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%d %H:%M:%S", &tm);
  return buf;
}

Status LockMigrations(Tx& tx, Dialect dialect) {
  if (dialect != Dialect::kPostgres) return Status::Ok();  // SQLite has one writer
  return tx.Exec("SELECT pg_advisory_xact_lock(?)", {Value(kMigrationLockKey)});
}

}  // namespace

Result<std::string> SqlForDialect(std::string_view sql, Dialect dialect) {
  constexpr std::string_view kMarker = "-- dialect:";
  std::string out;
  out.reserve(sql.size());
  bool keep = true;
  size_t pos = 0;
  while (pos < sql.size()) {
    size_t nl = sql.find('\n', pos);
    std::string_view line = sql.substr(pos, nl == std::string_view::npos ? std::string_view::npos : nl - pos);
    std::string_view trimmed = Trim(line);
    if (trimmed.starts_with(kMarker)) {
      std::string_view which = Trim(trimmed.substr(kMarker.size()));
      if (which == "all") keep = true;
      else if (which == "sqlite") keep = dialect == Dialect::kSqlite;
      else if (which == "postgres") keep = dialect == Dialect::kPostgres;
      else return MigrationError("unknown dialect '" + std::string(which) + "' in a migration marker");
    } else if (keep) {
      out += line;
    }
    if (nl == std::string_view::npos) break;
    out += '\n';
    pos = nl + 1;
  }
  return out;
}

std::vector<std::string> SplitSqlStatements(std::string_view sql) {
  std::vector<std::string> out;
  std::string cur;
  auto flush = [&] {
    if (cur.find_first_not_of(" \t\r\n") != std::string::npos) out.push_back(cur);
    cur.clear();
  };
  for (size_t i = 0, end = 0; i < sql.size(); i = end) {
    switch (NextSqlSpan(sql, i, &end)) {
      case SqlSpan::kLineComment:
        break;  // the newline after it is kept as code
      case SqlSpan::kBlockComment:
        cur += ' ';
        break;
      case SqlSpan::kCode:
        if (sql[i] == ';') flush();
        else cur += sql[i];
        break;
      default:
        cur.append(sql.substr(i, end - i));
    }
  }
  flush();
  return out;
}

Status Migrate(Database& db, const std::vector<Migration>& migrations) {
  const Dialect dialect = db.dialect();
  // Resolve every script first so that a bad marker or duplicate fails before anything applies.
  std::vector<std::pair<const Migration*, std::vector<std::string>>> all;
  std::set<int> versions;
  for (const Migration& m : migrations) {
    if (!versions.insert(m.version).second)
      return MigrationError("migration version " + std::to_string(m.version) + " appears twice");
    auto sql = SqlForDialect(m.sql, dialect);
    if (!sql.ok()) return MigrationError(m.name + ": " + sql.error().text);
    all.emplace_back(&m, SplitSqlStatements(*sql));
  }
  std::sort(all.begin(), all.end(), [](auto& a, auto& b) { return a.first->version < b.first->version; });

  // PostgreSQL's CREATE TABLE IF NOT EXISTS is not safe against a concurrent twin: lock first.
  CW_RETURN_IF_ERROR(db.Write([dialect](Tx& tx) -> Status {
    CW_RETURN_IF_ERROR(LockMigrations(tx, dialect));
    return tx.Exec(
        "CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, "
        "applied_at TEXT NOT NULL)");
  }));
  std::set<int64_t> applied;
  CW_RETURN_IF_ERROR(db.Read([&](Tx& tx) {
    return tx.Query("SELECT version FROM schema_migrations", {}, [&](const Row& r) { applied.insert(r.Int(0)); });
  }));
  for (const auto& [m, statements] : all) {
    if (applied.count(m->version)) continue;
    Status st = db.Write([&, m = m, &statements = statements](Tx& tx) -> Status {
      CW_RETURN_IF_ERROR(LockMigrations(tx, dialect));
      // Another node may have applied it since the read above.
      int64_t done = 0;
      CW_RETURN_IF_ERROR(tx.Query("SELECT COUNT(*) FROM schema_migrations WHERE version = ?",
                                  {Value(int64_t{m->version})}, [&](const Row& r) { done = r.Int(0); }));
      if (done) return Status::Ok();
      for (const std::string& stmt : statements) CW_RETURN_IF_ERROR(tx.Exec(stmt));
      return tx.Exec("INSERT INTO schema_migrations(version, name, applied_at) VALUES (?, ?, ?)",
                     {Value(int64_t{m->version}), Value(m->name), Value(UtcNow())});
    });
    // Named here, not per statement: a back end may report a statement's failure at COMMIT.
    if (!st.ok()) {
      core::Error e = std::move(st).error();
      e.text = "migration " + m->name + ": " + e.text;
      return e;
    }
  }
  return Status::Ok();
}

}  // namespace causeway::store
