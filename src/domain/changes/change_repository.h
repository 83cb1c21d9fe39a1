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

// The statements of the reads every incoming operation and every poll make. Each must be
// answered from an index without a sort or a walk over the tenant's other rows (lookup plans
// are checked by change_desk_test: PlansUseIndexes).
namespace sql {
// tenant, system_id, external_id.
inline constexpr char kRefByExternalId[] =
    "SELECT id, change_id, system_id, external_id, external_status, external_entity_type FROM cx_external_refs "
    "WHERE tenant = ? AND system_id = ? AND external_id = ? ORDER BY change_id";
// tenant, system_id, since.
inline constexpr char kPollCount[] =
    "SELECT COUNT(*) FROM cx_outgoing WHERE tenant = ? AND system_id = ? AND time_ms >= ?";
// tenant, system_id, since, limit, offset: change_id, rseq, operation, time_ms, cause, pushed, doc.
inline constexpr char kPollPage[] =
    "SELECT o.change_id, o.rseq, o.operation, o.time_ms, o.cause, o.pushed, c.doc FROM cx_outgoing o "
    "JOIN cx_changes c ON c.tenant = o.tenant AND c.id = o.change_id "
    "WHERE o.tenant = ? AND o.system_id = ? AND o.time_ms >= ? ORDER BY o.time_ms, o.change_id, o.rseq LIMIT ? OFFSET ?";
// tenant, then the page's (tenant, system_id, since, limit, offset): the comments of its records.
inline constexpr char kPollComments[] =
    "SELECT change_id, id, body, privacy, is_system, created_ms, submitter, seq FROM cx_comments "
    "WHERE tenant = ? AND change_id IN (SELECT change_id FROM cx_outgoing WHERE tenant = ? AND system_id = ? AND "
    "time_ms >= ? ORDER BY time_ms, change_id, rseq LIMIT ? OFFSET ?) ORDER BY change_id, seq";
// tenant, system_id, then the page's: its records' references for that system.
inline constexpr char kPollRefs[] =
    "SELECT id, change_id, system_id, external_id, external_status, external_entity_type FROM cx_external_refs "
    "WHERE tenant = ? AND system_id = ? AND change_id IN (SELECT change_id FROM cx_outgoing WHERE tenant = ? AND "
    "system_id = ? AND time_ms >= ? ORDER BY time_ms, change_id, rseq LIMIT ? OFFSET ?)";
}  // namespace sql

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
