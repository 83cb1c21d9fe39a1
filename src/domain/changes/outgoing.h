// Which outgoing operations a change to a record generates (the seed's first table, all
// metaphases), as a pure function of the record before and after, what was added, and who
// caused it. See the README for the choices where the seed is silent.
//
//   OwningGroup: internal → external group           Assign to the new group's system
//   OwningGroup: external → internal group           Accept to the old group's system
//   OwningGroup: external (A) → external (B), A ≠ B  Accept to A, then Assign to B
//   CompletionCode becomes Withdrawn                 Cancel to the owning group's system
//   a public, non-system comment or an attachment    Update to the owning group's system,
//     was added                                      unless a Cancel was generated before
//
// Operations addressed to a system that caused the change (its incoming operation, or an edit
// by its authorized user) are dropped (no ping-pong); a Cancel still counts as generated for
// the Update rule.
#pragma once

#include <string>
#include <vector>

#include "domain/changes/change.h"
#include "domain/changes/directory.h"

namespace causeway::changes {

struct PlannedOperation {
  std::string system_id;
  Operation operation = Operation::kUpdate;
  std::string cause;  // for the operation log, e.g. "OwningGroup 20001 -> 20003"
  friend bool operator==(const PlannedOperation&, const PlannedOperation&) = default;
};

struct EditFacts {
  const Change* before = nullptr;  // null for a new record
  const Change* after = nullptr;
  std::vector<std::string> comments_added;     // ids of public, non-system comments added
  std::vector<std::string> attachments_added;  // ids of attachments new in the list
  // Systems that made the change (the incoming operation's, or those whose authorized user
  // edited the record): nothing is sent back to them.
  std::vector<std::string> cause_systems;
};

// The operations in the order they happen; sets after->cancel_generated (hence non-const) when
// a Cancel is planned.
std::vector<PlannedOperation> PlanOutgoing(const Tenant& tenant, EditFacts facts, Change& after);

}  // namespace causeway::changes
