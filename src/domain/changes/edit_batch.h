// Internal to ChangeDesk: one batch of edits (a request's entities) inside one unit of work.
// It locks the records, reads them once, applies each edit to a copy (an edit that fails
// leaves no trace but its refusal in the incoming log), plans the outgoing operations, and
// stages every write plus the outbox messages into the unit. Locks and operation stamps are
// released when the unit commits or rolls back.
#pragma once

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "domain/changes/change_desk.h"
#include "domain/changes/outgoing.h"

namespace causeway::changes::internal {

struct Edit {
  enum class Kind { kCreate, kUpdate, kIncoming, kComment };
  Kind kind = Kind::kUpdate;
  std::string id;  // the record (update, comment, and incoming with properties.Id)
  ChangeInput input;
  std::string entity_type;  // incoming
  ExternalProperties ext;   // incoming
};

// What an EditBatch needs of its ChangeDesk.
struct EditContext {
  store::Database& db;
  const core::Clock& clock;
  NumberBlocks& numbers;
  RecordLocks& locks;
  OperationClock& op_clock;
  OperationPublisher* publisher;
  std::chrono::milliseconds lock_timeout;
};

class EditBatch {
 public:
  EditBatch(EditContext ctx, store::UnitOfWork& unit, const Directory& dir, const Tenant& tenant, const Caller& caller);
  // Fills `outcomes` (one per edit); an error only for a store failure or a lock timeout.
  core::Status Run(const std::vector<Edit>& edits, std::vector<EntityOutcome>& outcomes);

 private:
  struct Record {
    std::shared_ptr<const ChangeState> state;  // null: no such record
    bool is_new = false;
    bool dirty = false;
    int64_t stored_version = 0;
  };
  // A working copy of one record during one edit.
  struct Draft {
    ChangeState state;
    std::optional<Change> before;  // empty for a new record
    std::vector<Comment> comments_added;
    std::vector<std::string> attachments_added;
    std::map<std::string, std::optional<ExternalReference>> references;  // by system: new value, or deleted
    std::vector<std::string> cause_systems;
  };
  struct Push {
    OutgoingRecord operation;
    std::shared_ptr<const ChangeState> state;
  };

  core::Status Load(const std::vector<Edit>& edits);
  void RunOne(const Edit& edit, EntityOutcome& out);
  core::Status RunIncoming(const Edit& edit, EntityOutcome& out, IncomingRecord& log);
  core::Result<Draft> NewDraft();
  core::Result<Draft> DraftOf(const std::string& id);
  // Properties, attachments, phase rules and comments of `in` applied to draft.state.
  core::Status ApplyInput(const ChangeInput& in, bool from_integration, Draft& d);
  core::Status AddComments(const std::vector<CommentInput>& in, bool from_integration, Draft& d);
  core::Status AddSystemComment(std::string_view text, Draft& d);
  core::Status LinkReference(const ExternalProperties& ext, bool create, Draft& d);
  core::Result<std::string> NextNumber();
  // Plans the outgoing operations, keeps the draft as the record's state; returns it.
  std::shared_ptr<const ChangeState> Finish(Draft d);
  core::Status Stage();

  EditContext ctx_;
  store::UnitOfWork& unit_;
  const Directory& dir_;
  const Tenant& tenant_;
  const Caller& caller_;
  const int64_t now_ms_;
  std::vector<std::string> caller_systems_;  // systems whose authorized user the caller is

  std::map<std::string, Record> records_;
  std::map<std::string, std::string> created_by_external_;  // "system\nexternal id" → change id
  std::vector<std::pair<std::string, Comment>> comments_;
  std::map<std::pair<std::string, std::string>, std::optional<ExternalReference>> references_;
  std::vector<OutgoingRecord> outgoing_;
  std::vector<IncomingRecord> incoming_;
  std::vector<Push> pushes_;
};

}  // namespace causeway::changes::internal
