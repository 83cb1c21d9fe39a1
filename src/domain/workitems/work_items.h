// The Focused Build operations: create and change work packages and work items, their
// partners, texts, appointments and documents, set statuses, run S1_CALL_EXT ("handover to
// development"), and take status updates from the external tool (EXT_INTEGRATION_SRV).
//
// Pushes. A saved change of an object pushes it to the external tool when (guide §2-3):
//   - the object was handed over (S1_CALL_EXT ran for it or, for a work item, for its package)
//     or the operation is S1_CALL_EXT itself;
//   - its cPro project has a project mapping, and the mapping's profile enables its process
//     type;
//   - the business partner in the profile's trigger partner function (normally /SALM/09, Dev
//     Team) has the identification S1EXTI with number X;
//   - for a work item: its package was pushed to the same destination.
// The push is a create when the object was never created at that destination (or its create
// was given up without a result), else an update. The domain change and the outbox message it
// causes are staged into ONE unit of work (store::Transact: the caller's, e.g. the request's,
// or one of its own), so either both are durable or neither. A status change that arrives
// through SetStatusFromExternal never pushes (the tool already has it).
//
// Concurrency. Operations read a snapshot, check, and stage writes guarded by the object's
// version: a concurrent change of the same object makes the later commit fail with
// ChangedMeanwhile (kConflict, CAUSEWAY/FB/014). SetStatusFromExternal reads and writes inside
// its staged write instead (one serialized step, so status calls never conflict). A work item's
// create and its package's handover at the same moment do not miss each other: each one's write
// checks under the package's row lock what it decided from, and starts over when it moved.
//
// Thread-safe. Every operation blocks on the store: not for I/O threads.
#pragma once

#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "core/clock.h"
#include "core/result.h"
#include "domain/workitems/customizing.h"
#include "domain/workitems/object_repository.h"
#include "domain/workitems/push.h"
#include "domain/workitems/work_object.h"
#include "exchange/outbox.h"
#include "store/database.h"
#include "store/unit_of_work.h"

namespace causeway::workitems {

struct WorkItemsOptions {
  int64_t max_document_bytes = 8 * 1024 * 1024;
  std::string sap_client = "100";  // the client in document link paths
  int number_block = 20;           // ticket numbers reserved per store write
  std::string system_guid;         // fixed SYSTEM_GUID; "" = generated once and stored
};

// Who saves, and how the pushes a save causes address Causeway's document links.
struct Actor {
  std::string user;
  std::string link_base_url;  // e.g. "https://solman.example:50089"
};

struct NewDocument {
  Document meta;        // kind, names, texts, type; id: "" = a new one; link_url for link attachments
  std::string content;  // the bytes (none for a link attachment)
};

// A new work package or work item.
struct NewObject {
  std::string process_type;  // S1IT, S1CG, S1MJ
  std::string description;
  std::string project;       // a work item takes its package's when empty
  std::optional<std::string> status;  // default: the status profile's initial status
  ObjectPatch fields;
  std::vector<TextEntry> texts;  // author "" = the actor's user
  std::vector<NewDocument> documents;
  // Imports (the demo's appendix sample): given identity and times instead of new ones.
  std::string guid, ticket_id;
  std::optional<core::SystemTime> created_at, changed_at;
  std::string created_by, changed_by;
};

struct PushRecord {
  std::string guid, ticket_id;
  PushKind kind = PushKind::kCreate;
  exchange::MessageId message = 0;
  std::string destination;
};

struct SaveResult {
  WorkObject object;
  std::vector<PushRecord> pushes;
  // Objects S1_CALL_EXT did not push, with the reason ("ticket: why").
  std::vector<std::string> not_pushed;
};

class WorkItems {
 public:
  // `outbox` may be null (then nothing is ever pushed: trigger conditions still checked, every
  // push reported in not_pushed). Everything passed must outlive this object.
  WorkItems(store::Database& db, const core::Clock& clock, exchange::Outbox* outbox, const PayloadBuilder& builder,
            WorkItemsOptions options);

  // Reads or generates the SYSTEM_GUID. Call once before anything else.
  core::Status Open();
  const std::string& system_guid() const { return system_guid_; }
  // A value every node agrees on (stored once, the first writer wins), e.g. a signing key.
  core::Result<std::string> SharedSetting(const std::string& name, const std::function<std::string()>& generate);

  // --- customizing ---
  std::shared_ptr<const Customizing> customizing() const;
  // Makes `c` current after Validate (nothing stored).
  core::Status UseCustomizing(Customizing c);
  // Validate, store `document` (the service layer's canonical text of `c`) durably, make current.
  // `based_on`: the stored document `c` was derived from (empty: none was stored); then it is
  // stored only if the store still holds that one, else CustomizingChangedMeanwhile and nothing
  // changes. Without it the store is overwritten (the configuration file's, at start).
  core::Status SaveCustomizing(Customizing c, std::string document, const std::string& user,
                               const std::string* based_on = nullptr);
  core::Result<std::optional<repo::StoredCustomizing>> StoredCustomizing() const;

  // --- objects (id: TICKET_GUID or ticket number) ---
  // A work item needs `package` (id of its work package); a package takes "".
  core::Result<SaveResult> Create(const NewObject& in, std::string_view package, const Actor& actor);
  core::Result<SaveResult> Change(std::string_view id, const ObjectPatch& patch, const Actor& actor);
  // Appends a text (author "" = the actor's user; time = now).
  core::Result<SaveResult> AddText(std::string_view id, TextEntry text, const Actor& actor);
  // A user status change through the "UI" (the control plane): checked against the profile.
  core::Result<SaveResult> SetStatus(std::string_view id, std::string_view status, const Actor& actor);
  core::Result<SaveResult> AddDocument(std::string_view id, NewDocument document, const Actor& actor);
  core::Result<SaveResult> RemoveDocument(std::string_view id, std::string_view doc_id, const Actor& actor);
  // S1_CALL_EXT. On a package: pushes it (its conditions must hold, else NotPushable) and each
  // of its items whose conditions hold (the others are listed in not_pushed). On an item: its
  // package must have been pushed.
  core::Result<SaveResult> HandOver(std::string_view id, const Actor& actor);

  // The inbound status update (StatusSet PUT): maps `external_status` through the profile's
  // inbound status mapping of the item's process type, checks the transition, writes status
  // and history, never pushes. Staged into the current unit of work (or its own); the checks
  // run inside the staged write, so their errors come from the commit. `body_guid` "" = not
  // sent. Errors (all kInternal, see workitems_errors.h): InboundGuidMismatch (at once),
  // InboundUnknownGuid, InboundWorkPackage, StatusMappingMissing, InboundTransitionRefused.
  core::Status SetStatusFromExternal(std::string_view key_guid, std::string_view body_guid,
                                     std::string_view external_status, const std::string& user);

  // --- reads ---
  core::Result<WorkObject> Get(std::string_view id) const;
  core::Result<std::vector<WorkObject>> ItemsOf(std::string_view package_guid) const;
  core::Result<std::vector<WorkObject>> List(std::string_view after_ticket, int limit,
                                             std::string_view process_type) const;
  core::Result<std::vector<StatusChange>> History(std::string_view id) const;
  core::Result<repo::StoredDocument> ReadDocument(std::string_view doc_id) const;
  // What the outbox kept of the object's delivered create (the payload builder's kinds write
  // it, e.g. {"EXTERNAL_ID":"BFD-17"}); nullopt before one was delivered.
  core::Result<std::optional<std::string>> CreateResult(const WorkObject& object) const;
  exchange::Outbox* outbox() const { return outbox_; }

 private:
  struct Loaded;
  struct Plan;
  core::Result<Loaded> Load(std::string_view id) const;
  core::Result<WorkObject> FindObject(store::Tx& tx, std::string_view id) const;
  // Why `o` cannot be pushed now ("" = it can), with the destination it would go to.
  std::string PushBlocker(const Customizing& c, const WorkObject& o, const WorkObject* package) const;
  core::Result<bool> NeedsCreate(const WorkObject& o, const std::string& destination) const;
  core::Status StagePush(const Customizing& c, WorkObject& o, const WorkObject* package, const Actor& actor,
                         store::UnitOfWork& unit, std::vector<PushRecord>& pushes);
  core::Result<SaveResult> CreateOnce(const NewObject& in, std::string_view package, const Actor& actor,
                                      std::shared_ptr<bool> moved);
  core::Result<SaveResult> HandOverOnce(std::string_view id, const Actor& actor, std::shared_ptr<bool> moved);
  core::Result<SaveResult> SaveOne(Loaded loaded, const Actor& actor, std::optional<StatusChange> status_change,
                                   std::function<core::Status(store::Tx&)> extra_write = {});
  core::Result<std::string> NextTicketId();
  core::Status CheckReferences(const Customizing& c, const WorkObject& o) const;

  store::Database& db_;
  const core::Clock& clock_;
  exchange::Outbox* outbox_;
  const PayloadBuilder& builder_;
  const WorkItemsOptions options_;
  std::string system_guid_;

  mutable std::mutex mu_;
  std::shared_ptr<const Customizing> customizing_;  // GUARDED_BY(mu_)
  std::mutex numbers_mu_;
  int64_t next_number_ = 0, end_number_ = 0;  // GUARDED_BY(numbers_mu_): reserved block [next, end)
};

}  // namespace causeway::workitems
