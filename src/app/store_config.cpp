#include "app/store_config.h"

#include <cstdlib>
#include <fstream>
#include <set>

#include "store/postgres/postgres_database.h"
#include "store/sqlite/sqlite_database.h"

namespace causeway::app {

namespace {

core::Result<std::string> ReadPassword(const StoreConfig& c) {
  if (!c.password_file.empty()) {
    std::ifstream in(c.password_file);
    if (!in) return ConfigError("[store] password_file " + c.password_file + " cannot be read");
    std::string pw;
    std::getline(in, pw);
    return pw;
  }
  if (!c.password_env.empty()) {
    const char* v = std::getenv(c.password_env.c_str());
    if (!v) return ConfigError("[store] password_env: " + c.password_env + " is not set");
    return std::string(v);
  }
  return std::string();
}

}  // namespace

core::Result<StoreConfig> ParseStoreConfig(const toml::table& root) {
  StoreConfig c;
  CW_ASSIGN_OR_RETURN(services::ConfigTable s, services::ConfigTable::Section(root, "store"));
  CW_RETURN_IF_ERROR(s.String("backend", c.backend));
  CW_RETURN_IF_ERROR(s.String("uri", c.uri));
  CW_RETURN_IF_ERROR(s.String("password_file", c.password_file));
  CW_RETURN_IF_ERROR(s.String("password_env", c.password_env));
  CW_RETURN_IF_ERROR(s.Int("pool_size", c.pool_size, 1, 1000));
  CW_RETURN_IF_ERROR(s.Done());
  if (c.backend != "sqlite" && c.backend != "postgres") return ConfigError("[store] backend must be sqlite or postgres");
  if (c.backend == "postgres" && c.uri.empty()) return ConfigError("[store] backend = \"postgres\" needs uri");
  if (!c.password_file.empty() && !c.password_env.empty())
    return ConfigError("[store] give password_file or password_env, not both");
  return c;
}

core::Result<std::unique_ptr<store::Database>> OpenStore(const StoreConfig& c, const std::filesystem::path& data_dir) {
  if (c.backend == "postgres") {
    store::postgres::Options o;
    o.conninfo = c.uri;
    CW_ASSIGN_OR_RETURN(o.password, ReadPassword(c));
    o.pool_size = c.pool_size;
    CW_ASSIGN_OR_RETURN(auto db, store::postgres::PostgresDatabase::Open(o));
    return std::unique_ptr<store::Database>(std::move(db));
  }
  CW_ASSIGN_OR_RETURN(auto db, store::sqlite::SqliteDatabase::Open({.path = (data_dir / "causeway.db").string()}));
  return std::unique_ptr<store::Database>(std::move(db));
}

core::Result<std::vector<int>> PendingMigrations(store::Database& db, const std::vector<store::Migration>& migrations) {
  std::set<int> applied;
  core::Status st = db.Read([&](store::Tx& tx) {
    applied.clear();
    return tx.Query("SELECT version FROM schema_migrations", {},
                    [&](const store::Row& r) { applied.insert(static_cast<int>(r.Int(0))); });
  });
  std::vector<int> pending;
  for (const auto& m : migrations)
    if (!st.ok() || !applied.count(m.version)) pending.push_back(m.version);  // no table yet: all pending
  return pending;
}

}  // namespace causeway::app
