// A SQLite database in a fresh directory <temp>/<name>_<pid>, for golden runners that play all
// their cases against one store. The constructor empties and creates the directory; the
// destructor closes the database and removes the directory, so declare a ScratchStore before
// anything that uses its database. Not thread-safe; not copyable.
#pragma once

#include <filesystem>
#include <memory>
#include <string>

#include "core/result.h"
#include "store/sqlite/sqlite_database.h"

namespace causeway::golden {

class ScratchStore {
 public:
  explicit ScratchStore(const std::string& name);
  ~ScratchStore();
  ScratchStore(const ScratchStore&) = delete;
  ScratchStore& operator=(const ScratchStore&) = delete;

  // Opens the database file; SQLite's error if it cannot. Call once, before db().
  core::Status Open();
  store::sqlite::SqliteDatabase& db() { return *db_; }

 private:
  std::filesystem::path dir_;
  std::unique_ptr<store::sqlite::SqliteDatabase> db_;
};

}  // namespace causeway::golden
