// Persistence of change records and what hangs on them, in the caller's transaction (the
// domain operation owns it). A change is one row: its JSON document (change_codec.h) plus the
// columns reads use; every update checks the version it read (optimistic, across nodes).
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"
#include "domain/changes/change.h"
#include "store/database.h"
#include "store/migration.h"

namespace causeway::changes {

// The embedded migrations of migrations/*.sql (range 700-799).
const std::vector<store::Migration>& ChangeMigrations();

struct FileInfo {
  std::string guid, name, content_type, creator;
  int64_t length = 0;
  int64_t created_ms = 0;
};

namespace repo {
core::Result<std::optional<Change>> FindChange(store::Tx& tx, std::string_view tenant, std::string_view id);
core::Status InsertChange(store::Tx& tx, std::string_view tenant, const Change& c);
// Writes `c` (whose version is already the new one) if the stored version is still
// `expected_version`; otherwise kConflict CAUSEWAY/CX/009.
core::Status UpdateChange(store::Tx& tx, std::string_view tenant, const Change& c, int64_t expected_version);
// Every change of the tenant, by id, decoded; `visit` returns false to stop.
core::Status ScanChanges(store::Tx& tx, std::string_view tenant, const std::function<bool(const Change&)>& visit);

core::Result<std::vector<Comment>> Comments(store::Tx& tx, std::string_view tenant, std::string_view change_id);
core::Status InsertComment(store::Tx& tx, std::string_view tenant, std::string_view change_id, const Comment& c);

core::Result<std::vector<ExternalReference>> RefsOfChange(store::Tx& tx, std::string_view tenant, std::string_view change_id);
core::Result<std::optional<ExternalReference>> FindRefByExternalId(store::Tx& tx, std::string_view tenant,
                                                                   std::string_view system_id, std::string_view external_id);
// Filters left empty match everything.
core::Result<std::vector<ExternalReference>> ListRefs(store::Tx& tx, std::string_view tenant, std::string_view change_id,
                                                      std::string_view system_id, std::string_view external_id);
core::Status UpsertRef(store::Tx& tx, std::string_view tenant, const ExternalReference& r);
core::Status DeleteRef(store::Tx& tx, std::string_view tenant, std::string_view change_id, std::string_view system_id);

core::Status InsertFile(store::Tx& tx, std::string_view tenant, const FileInfo& f, const std::string& content);
// The file's info and, when `content` is given, its bytes.
core::Result<std::optional<FileInfo>> FindFile(store::Tx& tx, std::string_view tenant, std::string_view guid,
                                               std::string* content);

// Takes `n` numbers of counter `name` in one UPDATE … RETURNING; returns the first.
core::Result<int64_t> TakeNumbers(store::Tx& tx, std::string_view name, int64_t n);
}  // namespace repo

}  // namespace causeway::changes
