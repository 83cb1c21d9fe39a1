#include "domain/changes/outgoing.h"

#include <algorithm>

namespace causeway::changes {

std::vector<PlannedOperation> PlanOutgoing(const Tenant& tenant, EditFacts facts, Change& after) {
  std::vector<PlannedOperation> planned;
  const std::string old_group = facts.before ? facts.before->owning_group : std::string();
  const std::string old_system = facts.before ? tenant.SystemOfGroup(old_group) : std::string();
  const std::string new_system = tenant.SystemOfGroup(after.owning_group);
  const std::string group_cause = "OwningGroup " + (old_group.empty() ? std::string("(none)") : old_group) + " -> " +
                                  (after.owning_group.empty() ? std::string("(none)") : after.owning_group);
  if (old_system != new_system) {
    if (!old_system.empty()) planned.push_back({old_system, Operation::kAccept, group_cause});
    if (!new_system.empty()) planned.push_back({new_system, Operation::kAssign, group_cause});
  }
  const bool was_withdrawn = facts.before && facts.before->completion_code == kWithdrawn;
  if (after.completion_code == kWithdrawn && !was_withdrawn && !new_system.empty()) {
    planned.push_back({new_system, Operation::kCancel, "CompletionCode Withdrawn"});
    after.cancel_generated = true;
  } else if (!after.cancel_generated && !new_system.empty()) {
    std::string cause;
    for (const auto& id : facts.comments_added) cause += (cause.empty() ? "" : ", ") + ("comment " + id);
    for (const auto& id : facts.attachments_added) cause += (cause.empty() ? "" : ", ") + ("attachment " + id);
    if (!cause.empty()) planned.push_back({new_system, Operation::kUpdate, cause});
  }
  std::vector<PlannedOperation> sent;
  for (auto& p : planned)
    if (std::find(facts.cause_systems.begin(), facts.cause_systems.end(), p.system_id) == facts.cause_systems.end())
      sent.push_back(std::move(p));
  return sent;
}

}  // namespace causeway::changes
