// The store a server (or `causeway store …`) uses: [store] of causeway.toml, docs/configuration.md.
//   backend = "sqlite" (default: <data_dir>/causeway.db) or "postgres"
//   uri = "postgresql://causeway@db.example:5432/causeway"   (libpq URI or key=value string)
//   password_file = "/run/secrets/pg"  or  password_env = "CAUSEWAY_PG_PASSWORD"   (never logged)
//   pool_size = 16
#pragma once

#include <toml++/toml.h>

#include <filesystem>
#include <memory>
#include <string>

#include "core/result.h"
#include "services/common/config_table.h"
#include "store/database.h"
#include "store/migration.h"

namespace causeway::app {

struct StoreConfig {
  std::string backend = "sqlite";
  std::string uri;
  std::string password_file;
  std::string password_env;
  int pool_size = 16;
};

// The error of a configuration value that cannot be used (kBadRequest CAUSEWAY/CONFIG/001);
// `text` names the key. One helper for the house and the modules.
using services::ConfigError;

// Errors name the key (kBadRequest CAUSEWAY/CONFIG/001).
core::Result<StoreConfig> ParseStoreConfig(const toml::table& root);

// Opens the configured back end; SQLite under `data_dir`.
core::Result<std::unique_ptr<store::Database>> OpenStore(const StoreConfig& c, const std::filesystem::path& data_dir);

// The versions of `migrations` not yet recorded in the store.
core::Result<std::vector<int>> PendingMigrations(store::Database& db, const std::vector<store::Migration>& migrations);

}  // namespace causeway::app
