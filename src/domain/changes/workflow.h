// The change workflow as data (spec B.5): per change type, its phases (each in a metaphase),
// the transitions allowed between them and the properties a transition requires. The first
// phase of a type is where its changes start. A transition marked `automatic` is taken as soon
// as its requirements hold (Log → Evaluate, "once required fields are valid").
//
// The default set (DefaultWorkflows) is written down where the public sources are silent; see
// the README. Plain values, no I/O.
#pragma once

#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"

namespace causeway::changes {

struct Change;

struct Phase {
  std::string id;         // PhaseId on the wire, e.g. "Evaluate"
  std::string metaphase;  // e.g. "Classification"
  friend bool operator==(const Phase&, const Phase&) = default;
};

struct Transition {
  std::string from, to;
  std::vector<std::string> required;  // property names that must be set
  bool automatic = false;
  friend bool operator==(const Transition&, const Transition&) = default;
};

struct Workflow {
  std::string change_type;  // "Normal", "Standard", "Emergency", or a configured one
  std::vector<Phase> phases;
  std::vector<Transition> transitions;

  const Phase* FindPhase(std::string_view id) const;
  const Transition* FindTransition(std::string_view from, std::string_view to) const;
  const std::string& InitialPhase() const { return phases.front().id; }
  friend bool operator==(const Workflow&, const Workflow&) = default;
};

using WorkflowSet = std::map<std::string, Workflow, std::less<>>;

// Normal, Standard and Emergency (README "Default workflow").
WorkflowSet DefaultWorkflows();

// Phases unique and non-empty, transitions between known phases (at most one per pair),
// required properties known (IsRequirableProperty). kBadRequest CAUSEWAY/CX/050, target = the
// field.
core::Status ValidateWorkflow(const Workflow& w);

// The required properties `change` lacks for `t`, in the transition's order.
std::vector<std::string> MissingRequirements(const Change& change, const Transition& t);

// Checks a phase change of `change` (already holding the new values) from `from` to its
// phase_id: the phase must exist, a transition must be defined and its requirements met.
// kBadRequest CAUSEWAY/CX/020 (unknown phase), 021 (no transition), 022 (requirements).
core::Status CheckPhaseChange(const Workflow& w, const Change& change, std::string_view from);

// Takes automatic transitions from the change's phase while their requirements hold (at most
// one per phase; stops on a cycle). Returns whether the phase moved.
bool ApplyAutomaticTransitions(const Workflow& w, Change& change);

}  // namespace causeway::changes
