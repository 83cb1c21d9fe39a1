#include "domain/changes/workflow.h"

#include <set>

#include "domain/changes/change.h"
#include "domain/changes/change_errors.h"
#include "domain/changes/change_properties.h"

namespace causeway::changes {

const Phase* Workflow::FindPhase(std::string_view id) const {
  for (const Phase& p : phases)
    if (p.id == id) return &p;
  return nullptr;
}

const Transition* Workflow::FindTransition(std::string_view from, std::string_view to) const {
  for (const Transition& t : transitions)
    if (t.from == from && t.to == to) return &t;
  return nullptr;
}

namespace {

// Log → Evaluate needs what the spec lists as required in Log (B.5).
const std::vector<std::string> kLogRequirements = {"DisplayLabel",    "Description",   "RequestedByPerson",
                                                   "ReasonForChange", "Justification", "ChangeModel",
                                                   "Category",        "AffectsActualService"};

Workflow Build(std::string type, std::vector<Phase> phases, const std::vector<std::string>& path,
               const std::vector<std::pair<std::string, std::string>>& back, const std::vector<std::string>& abandon_from) {
  Workflow w;
  w.change_type = std::move(type);
  w.phases = std::move(phases);
  for (size_t i = 0; i + 1 < path.size(); ++i) {
    Transition t{path[i], path[i + 1], {}, false};
    if (path[i] == "Log") {
      t.required = kLogRequirements;
      t.automatic = true;
    }
    if (path[i + 1] == "Close") t.required = {"CompletionCode"};
    w.transitions.push_back(std::move(t));
  }
  for (const auto& [from, to] : back) w.transitions.push_back({from, to, {}, false});
  for (const auto& from : abandon_from) w.transitions.push_back({from, std::string(kAbandonPhase), {"CompletionCode"}, false});
  return w;
}

}  // namespace

WorkflowSet DefaultWorkflows() {
  WorkflowSet set;
  set["Normal"] = Build("Normal",
                        {{"Log", "Classification"},
                         {"Evaluate", "Classification"},
                         {"Plan", "Planning"},
                         {"Approve", "Planning"},
                         {"Build", "Deployment"},
                         {"Test", "Deployment"},
                         {"Implement", "Deployment"},
                         {"Review", "Validation"},
                         {"Close", "Done"},
                         {"Abandon", "Done"}},
                        {"Log", "Evaluate", "Plan", "Approve", "Build", "Test", "Implement", "Review", "Close"},
                        {{"Evaluate", "Log"}, {"Plan", "Evaluate"}, {"Approve", "Plan"}, {"Test", "Build"}},
                        {"Log", "Evaluate", "Plan", "Approve", "Build", "Test"});
  set["Standard"] = Build("Standard",
                          {{"Log", "Classification"},
                           {"Evaluate", "Classification"},
                           {"Plan", "Planning"},
                           {"Implement", "Deployment"},
                           {"Review", "Validation"},
                           {"Close", "Done"},
                           {"Abandon", "Done"}},
                          {"Log", "Evaluate", "Plan", "Implement", "Review", "Close"},
                          {{"Evaluate", "Log"}, {"Plan", "Evaluate"}},
                          {"Log", "Evaluate", "Plan"});
  set["Emergency"] = Build("Emergency",
                           {{"Log", "Classification"},
                            {"Evaluate", "Classification"},
                            {"Plan", "Planning"},
                            {"EmergencyApprove", "Planning"},
                            {"Implement", "Deployment"},
                            {"Review", "Validation"},
                            {"Close", "Done"},
                            {"Abandon", "Done"}},
                           {"Log", "Evaluate", "Plan", "EmergencyApprove", "Implement", "Review", "Close"},
                           {{"Evaluate", "Log"}, {"EmergencyApprove", "Plan"}},
                           {"Log", "Evaluate", "Plan", "EmergencyApprove"});
  return set;
}

core::Status ValidateWorkflow(const Workflow& w) {
  if (w.change_type.empty() || w.change_type.size() > 64) return errors::MasterData("change_type", "A workflow needs a change type of 1-64 characters");
  if (w.phases.empty()) return errors::MasterData("phases", "Workflow " + w.change_type + " has no phases");
  std::set<std::string> ids;
  for (const Phase& p : w.phases) {
    if (p.id.empty() || p.metaphase.empty())
      return errors::MasterData("phases", "Every phase of workflow " + w.change_type + " needs an id and a metaphase");
    if (!ids.insert(p.id).second)
      return errors::MasterData("phases", "Phase " + p.id + " appears twice in workflow " + w.change_type);
  }
  std::set<std::pair<std::string, std::string>> pairs;
  for (const Transition& t : w.transitions) {
    if (!ids.count(t.from) || !ids.count(t.to))
      return errors::MasterData("transitions", "Transition " + t.from + " -> " + t.to + " of workflow " + w.change_type +
                                                   " names an unknown phase");
    if (t.from == t.to) return errors::MasterData("transitions", "Transition " + t.from + " -> " + t.to + " goes nowhere");
    if (!pairs.insert({t.from, t.to}).second)
      return errors::MasterData("transitions", "Transition " + t.from + " -> " + t.to + " appears twice");
    for (const std::string& r : t.required)
      if (!IsRequirableProperty(r))
        return errors::MasterData("transitions", "Transition " + t.from + " -> " + t.to + " requires unknown property " + r);
  }
  return core::Status::Ok();
}

std::vector<std::string> MissingRequirements(const Change& change, const Transition& t) {
  std::vector<std::string> missing;
  for (const std::string& r : t.required)
    if (!HasValue(change, r)) missing.push_back(r);
  return missing;
}

core::Status CheckPhaseChange(const Workflow& w, const Change& change, std::string_view from) {
  if (!w.FindPhase(change.phase_id)) return errors::UnknownPhase(change.phase_id, w.change_type);
  const Transition* t = w.FindTransition(from, change.phase_id);
  if (!t) return errors::NoTransition(from, change.phase_id, w.change_type);
  std::vector<std::string> missing = MissingRequirements(change, *t);
  if (!missing.empty()) {
    std::string list;
    for (const auto& m : missing) list += (list.empty() ? "" : ", ") + m;
    return errors::RequirementsMissing(from, change.phase_id, list);
  }
  return core::Status::Ok();
}

bool ApplyAutomaticTransitions(const Workflow& w, Change& change) {
  bool moved = false;
  std::set<std::string> seen{change.phase_id};
  for (;;) {
    const Transition* next = nullptr;
    for (const Transition& t : w.transitions)
      if (t.automatic && t.from == change.phase_id && MissingRequirements(change, t).empty()) {
        next = &t;
        break;
      }
    if (!next || !seen.insert(next->to).second) return moved;
    change.phase_id = next->to;
    moved = true;
  }
}

}  // namespace causeway::changes
