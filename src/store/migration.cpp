#include "store/migration.h"

#include <algorithm>
#include <set>

namespace causeway::store {

std::vector<std::string> SplitSqlStatements(std::string_view sql) {
  std::vector<std::string> out;
  std::string cur;
  char quote = 0;
  for (size_t i = 0; i < sql.size(); ++i) {
    char c = sql[i];
    if (quote) {
      cur += c;
      if (c == quote) quote = 0;
      continue;
    }
    if (c == '-' && i + 1 < sql.size() && sql[i + 1] == '-') {
      while (i < sql.size() && sql[i] != '\n') ++i;
      cur += '\n';
      continue;
    }
    if (c == '\'' || c == '"') quote = c;
    if (c == ';') {
      if (cur.find_first_not_of(" \t\r\n") != std::string::npos) out.push_back(cur);
      cur.clear();
      continue;
    }
    cur += c;
  }
  if (cur.find_first_not_of(" \t\r\n") != std::string::npos) out.push_back(cur);
  return out;
}

Status Migrate(Database& db, const std::vector<Migration>& migrations) {
  CW_RETURN_IF_ERROR(db.Write([](Tx& tx) {
    return tx.Exec(
        "CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, "
        "applied_at TEXT NOT NULL)");
  }));
  std::set<int64_t> applied;
  CW_RETURN_IF_ERROR(db.Read([&](Tx& tx) {
    return tx.Query("SELECT version FROM schema_migrations", {}, [&](const Row& r) { applied.insert(r.Int(0)); });
  }));
  std::vector<const Migration*> todo;
  for (const auto& m : migrations)
    if (!applied.count(m.version)) todo.push_back(&m);
  std::sort(todo.begin(), todo.end(), [](auto* a, auto* b) { return a->version < b->version; });
  for (const Migration* m : todo) {
    CW_RETURN_IF_ERROR(db.Write([m](Tx& tx) -> Status {
      for (const std::string& stmt : SplitSqlStatements(m->sql)) CW_RETURN_IF_ERROR(tx.Exec(stmt));
      return tx.Exec("INSERT INTO schema_migrations(version, name, applied_at) VALUES (?, ?, CURRENT_TIMESTAMP)",
                     {Value(int64_t{m->version}), Value(m->name)});
    }));
  }
  return Status::Ok();
}

}  // namespace causeway::store
