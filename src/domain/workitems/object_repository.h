// Persistence of work packages and items, their documents and status history, the ticket
// number range, shared settings and the stored customizing document: plain SQL over the
// caller's store::Tx ('?' placeholders, the portable subset; migrations/0500_workitems.sql).
// The domain operation owns the transaction (a read snapshot, or a staged write of its unit).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/result.h"
#include "domain/workitems/work_object.h"
#include "store/database.h"
#include "store/migration.h"

namespace causeway::workitems {

// The embedded migrations of migrations/*.sql (range 500-599).
const std::vector<store::Migration>& WorkItemMigrations();

namespace repo {

// The object with its lists and document metadata (not their content); nullopt if unknown.
core::Result<std::optional<WorkObject>> Find(store::Tx& tx, std::string_view guid);
core::Result<std::optional<WorkObject>> FindByTicket(store::Tx& tx, std::string_view ticket_id);
// Header fields only (lists empty): what the inbound status update needs.
core::Result<std::optional<WorkObject>> FindHeader(store::Tx& tx, std::string_view guid);
// The work items of a package, by ticket number, with their lists.
core::Result<std::vector<WorkObject>> Items(store::Tx& tx, std::string_view package_guid);
// The guids of a package's items, by ticket number, as committed now.
core::Result<std::vector<std::string>> ItemGuids(store::Tx& tx, std::string_view package_guid);
// Takes the object's row lock for the rest of the write (PostgreSQL; SQLite's writes are serial
// anyway) and answers its handed_over as committed now; nullopt if the object is unknown.
core::Result<std::optional<bool>> LockHandedOver(store::Tx& tx, std::string_view guid);
// Headers of objects with ticket_id > after, by ticket number, at most `limit`; "" = all types.
core::Result<std::vector<WorkObject>> List(store::Tx& tx, std::string_view after_ticket, int limit,
                                           std::string_view process_type);

core::Status Insert(store::Tx& tx, const WorkObject& o);
// Replaces header and lists (not documents) if the stored version is `expected_version`, and
// stores o.version; otherwise ChangedMeanwhile (kConflict).
core::Status Update(store::Tx& tx, const WorkObject& o, int64_t expected_version);
// Only what S1_CALL_EXT changes: handed_over, push_destination, create_message and version, if
// the stored version is `expected_version` (else ChangedMeanwhile). Lists stay as they are: a
// handover rewrites none of them (each list row is a page of the write-ahead log per object).
core::Status UpdatePushState(store::Tx& tx, const WorkObject& o, int64_t expected_version);
// Only the status columns (inbound update): status, changed_at/by, last_external_status,
// version + 1, if the stored version is `expected_version`.
core::Status UpdateStatus(store::Tx& tx, const WorkObject& o, int64_t expected_version);

core::Status AppendHistory(store::Tx& tx, std::string_view guid, const StatusChange& change);
core::Result<std::vector<StatusChange>> History(store::Tx& tx, std::string_view guid);

core::Status InsertDocument(store::Tx& tx, std::string_view guid, const Document& d, std::string_view content_base64);
core::Status DeleteDocument(store::Tx& tx, std::string_view doc_id);
struct StoredDocument {
  std::string object_guid;
  Document meta;
  std::string content_base64;
};
core::Result<std::optional<StoredDocument>> ReadDocument(store::Tx& tx, std::string_view doc_id);

// Reserves `count` numbers of a range; returns the first.
core::Result<int64_t> ReserveNumbers(store::Tx& tx, std::string_view object, int64_t count);
// Moves the range past `used` if it is not already (an imported number).
core::Status NoteNumberUsed(store::Tx& tx, std::string_view object, int64_t used);

struct StoredCustomizing {
  std::string document;
  core::SystemTime changed_at;
  std::string changed_by;
};
core::Result<std::optional<StoredCustomizing>> LoadCustomizing(store::Tx& tx, std::string_view name);
core::Status StoreCustomizing(store::Tx& tx, std::string_view name, const StoredCustomizing& c);
// Stores `c` only if the stored document is still `based_on` (empty: none is stored yet); false
// when another writer changed it meanwhile (then nothing is written).
core::Result<bool> ReplaceCustomizing(store::Tx& tx, std::string_view name, const StoredCustomizing& c,
                                      const std::string& based_on);

}  // namespace repo
}  // namespace causeway::workitems
