// The change domain's operations behind the case exchange REST API: master data, logon
// checks, reads, edits from agents (EMS create/update, comments, attachments), incoming case
// exchange operations, the poll of outgoing operations, files and the operation log.
//
// Every edit is one unit of work (store::Transact: the caller's current unit if there is one,
// else its own): the record, its comments and references, and the outgoing operations it
// generates (plus their outbox messages, through the OperationPublisher) are written together
// or not at all. An edit of several entities reports per entity; an entity that fails changes
// nothing (its refusal is still logged for incoming operations), the others are written.
//
// Thread-safe. Blocking (store reads and durable writes): not for I/O threads.
#pragma once

#include <atomic>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "core/clock.h"
#include "core/result.h"
#include "domain/changes/change.h"
#include "domain/changes/change_repository.h"
#include "domain/changes/directory.h"
#include "domain/changes/number_blocks.h"
#include "domain/changes/operation_clock.h"
#include "domain/changes/operation_log.h"
#include "domain/changes/record_locks.h"
#include "store/database.h"
#include "store/unit_of_work.h"

namespace causeway::changes {

// A record with what hangs on it, as read or as an edit left it.
struct ChangeState {
  Change change;
  std::vector<Comment> comments;              // by seq
  std::vector<ExternalReference> references;  // by system
  const ExternalReference* ReferenceOf(std::string_view system_id) const {
    for (const auto& r : references)
      if (r.system_id == system_id) return &r;
    return nullptr;
  }
};

// Who acts: a person of the tenant (the token's owner).
struct Caller {
  std::string tenant;
  std::string person_id;
  std::string login;
};

struct CommentInput {
  std::string id;  // optional: one of the record's, sent back with its body, is not added again
  std::string body;
  std::string privacy;                 // "" = PUBLIC
  std::optional<bool> is_system;
  std::optional<int64_t> created_ms;   // default: now
  std::string submitter;               // person id; default: the caller
};

struct ChangeInput {
  PropertyList properties;  // without ChangeAttachments
  std::optional<std::vector<Attachment>> attachments;  // ChangeAttachments: the whole new list
  std::vector<CommentInput> comments;
};

// ext_properties of an incoming entity.
struct ExternalProperties {
  std::string system;     // ExternalSystem (System id)
  std::string operation;  // Operation, as sent
  std::optional<std::string> external_id, external_entity_type, external_status;
};

struct IncomingOperation {
  std::string entity_type;  // must be "Change"
  ChangeInput input;
  ExternalProperties ext;
};

struct EntityOutcome {
  core::Status status;  // this entity's result
  std::string id;       // the change concerned; "" when none
  std::shared_ptr<const ChangeState> state;  // after the edit; null when it failed
};

// One polled operation with the record's current state.
struct PolledOperation {
  OutgoingRecord operation;
  std::shared_ptr<const ChangeState> state;  // references: only the polled system's
};

struct PollPage {
  int64_t read_moment_ms = 0;  // no later than the read (OperationClock::SafeMoment)
  int64_t total = 0;           // operations at or after `since`, all pages
  std::vector<PolledOperation> operations;  // by (time, change id, rseq)
};

// Sends outgoing operations to systems configured with a URL (the service implements it with
// the outbox). Stage runs inside the edit's unit of work; its error fails the edit.
class OperationPublisher {
 public:
  virtual ~OperationPublisher() = default;
  virtual bool Pushes(const Tenant& tenant, const ExternalSystem& system) const = 0;
  virtual core::Status Stage(store::UnitOfWork& unit, const Tenant& tenant, const OutgoingRecord& operation,
                             const ChangeState& state) = 0;
  // The desk swapped in a new Directory (a write of this node, or another node's seen by a
  // reload): what the publisher derives from the master data follows it now, not only at the
  // next edit that pushes (messages other nodes accepted are delivered by this node too).
  virtual void DirectoryChanged(const Directory& directory) { (void)directory; }
};

struct ChangeDeskOptions {
  std::chrono::milliseconds lock_timeout{std::chrono::seconds(10)};
  std::chrono::milliseconds refresh_interval{std::chrono::seconds(1)};  // master data from other nodes
  int64_t number_block = 100;
};

namespace internal {
struct Edit;
}

class ChangeDesk {
 public:
  ChangeDesk(store::Database& db, const core::Clock& clock, ChangeDeskOptions options = {});
  // Loads the master data. The store must be migrated (ChangeMigrations()).
  core::Status Open();
  // Set before the first edit; must outlive the desk.
  void SetPublisher(OperationPublisher* publisher) { publisher_ = publisher; }

  // --- master data (each a durable write; the Directory is reloaded) ---
  // The current snapshot (reloaded from the store when another node changed it, at most once
  // per refresh_interval).
  std::shared_ptr<const Directory> directory();
  core::Status PutTenant(std::string_view id, std::string_view name);
  core::Status DeleteTenant(std::string_view id);
  // Creates or replaces person p.id. A login another person of the tenant has (letters compared
  // without case) is refused: kConflict CAUSEWAY/CX/051, target "login".
  core::Status PutPerson(std::string_view tenant, const Person& p);
  // Puts several people at once, among whom logins may move: one whose login another still
  // holds is put after the others, as long as that makes progress. A login kept by someone not
  // in `people` (or two people swapping logins) fails with that conflict.
  core::Status PutPeople(std::string_view tenant, std::vector<Person> people);
  core::Status PutGroup(std::string_view tenant, const Group& g);
  core::Status PutSystem(std::string_view tenant, const ExternalSystem& s);
  core::Status PutWorkflow(const Workflow& w);
  core::Status ReloadDirectory();

  // --- reads ---
  core::Result<std::shared_ptr<const ChangeState>> Find(std::string_view tenant, std::string_view id);
  // Changes for which `match` holds, by id: `skip` then at most `size`; *total counts all.
  core::Result<std::vector<std::shared_ptr<const ChangeState>>> List(std::string_view tenant,
                                                                     const std::function<bool(const Change&)>& match,
                                                                     int64_t skip, int64_t size, int64_t* total);
  core::Result<std::vector<Comment>> Comments(std::string_view tenant, std::string_view change_id);
  core::Result<std::vector<ExternalReference>> References(std::string_view tenant, std::string_view change_id,
                                                          std::string_view system_id, std::string_view external_id);
  core::Result<OperationLog> Operations(std::string_view tenant, std::string_view change_id);
  // Outgoing operations to `system` stamped at or after `since_ms`, by (time, change, rseq).
  core::Result<PollPage> Poll(std::string_view tenant, std::string_view system, int64_t since_ms, int64_t skip,
                              int64_t size);

  // --- edits (per-entity outcomes; the Result fails only when the store does, or inside a
  // core::NonBlockingScope with core::WouldBlock() when an edit would have to wait: a record
  // held by a commit in flight, a number block to take; nothing is staged then) ---
  core::Result<std::vector<EntityOutcome>> Create(const Caller& caller, std::vector<ChangeInput> inputs);
  // Each pair: change id, input.
  core::Result<std::vector<EntityOutcome>> Update(const Caller& caller,
                                                  std::vector<std::pair<std::string, ChangeInput>> inputs);
  core::Result<std::vector<EntityOutcome>> ApplyIncoming(const Caller& caller, std::vector<IncomingOperation> ops);
  // One comment by an agent (or an integration when it says IsSystem).
  core::Result<EntityOutcome> AddComment(const Caller& caller, std::string_view change_id, CommentInput comment);

  // --- files ---
  core::Result<FileInfo> StoreFile(const Caller& caller, std::string_view name, std::string_view content_type,
                                   std::string content);
  // Info and content; nullopt when the tenant has no such file.
  core::Result<std::optional<std::pair<FileInfo, std::string>>> LoadFile(std::string_view tenant, std::string_view guid);

  const OperationClock& operation_clock() const { return op_clock_; }
  const RecordLocks& locks() const { return locks_; }

 private:
  core::Result<std::vector<EntityOutcome>> Run(const Caller& caller, std::vector<internal::Edit> edits);
  core::Status PutMaster(std::function<core::Status(store::Tx&)> write);

  store::Database& db_;
  const core::Clock& clock_;
  const ChangeDeskOptions options_;
  OperationPublisher* publisher_ = nullptr;
  OperationClock op_clock_;
  RecordLocks locks_;
  NumberBlocks numbers_;
  std::mutex directory_mu_;
  std::shared_ptr<const Directory> directory_;  // GUARDED_BY(directory_mu_)
  std::atomic<int64_t> last_refresh_ms_{0};
};

}  // namespace causeway::changes
