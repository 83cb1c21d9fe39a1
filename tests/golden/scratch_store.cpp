#include "scratch_store.h"

#include <unistd.h>

namespace causeway::golden {

ScratchStore::ScratchStore(const std::string& name)
    : dir_(std::filesystem::temp_directory_path() / (name + "_" + std::to_string(::getpid()))) {
  std::filesystem::remove_all(dir_);
  std::filesystem::create_directories(dir_);
}

ScratchStore::~ScratchStore() {
  db_.reset();
  std::error_code ec;  // a leftover directory must not fail the run
  std::filesystem::remove_all(dir_, ec);
}

core::Status ScratchStore::Open() {
  CW_ASSIGN_OR_RETURN(db_, store::sqlite::SqliteDatabase::Open({.path = (dir_ / "g.db").string()}));
  return core::Status::Ok();
}

}  // namespace causeway::golden
