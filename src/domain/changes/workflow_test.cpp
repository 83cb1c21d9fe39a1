#include "domain/changes/workflow.h"

#include <gtest/gtest.h>

#include "domain/changes/change.h"

namespace causeway::changes {
namespace {

Change Complete(std::string phase) {
  Change c;
  c.phase_id = std::move(phase);
  c.display_label = "Patch routers";
  c.description = "Firmware 17.3";
  c.requested_by = "10010";
  c.reason_for_change = "Security";
  c.justification = "CVE";
  c.change_model = "Router patch";
  c.category = "Network";
  c.service = "WAN";
  return c;
}

TEST(WorkflowTest, DefaultsAreValidAndStartInLog) {
  WorkflowSet set = DefaultWorkflows();
  ASSERT_EQ(set.size(), 3u);
  for (const auto& [type, w] : set) {
    SCOPED_TRACE(type);
    EXPECT_TRUE(ValidateWorkflow(w).ok());
    EXPECT_EQ(w.InitialPhase(), "Log");
    EXPECT_NE(w.FindPhase("Abandon"), nullptr);
    EXPECT_EQ(w.FindPhase("Log")->metaphase, "Classification");
    EXPECT_NE(w.FindTransition("Log", "Evaluate"), nullptr);
    EXPECT_TRUE(w.FindTransition("Log", "Evaluate")->automatic);
    EXPECT_EQ(w.FindTransition("Implement", "Abandon"), nullptr);  // no way back from deployment
  }
  EXPECT_NE(set["Normal"].FindPhase("Approve"), nullptr);
  EXPECT_EQ(set["Standard"].FindPhase("Approve"), nullptr);  // pre-approved
  EXPECT_NE(set["Emergency"].FindPhase("EmergencyApprove"), nullptr);
}

TEST(WorkflowTest, PhaseChangesAsTheTableSays) {
  const Workflow w = DefaultWorkflows()["Normal"];
  struct Row {
    const char* from;
    const char* to;
    bool complete;
    const char* completion_code;
    const char* error;  // "" = allowed
  };
  const Row rows[] = {
      {"Log", "Evaluate", true, "", ""},
      {"Log", "Evaluate", false, "", "CAUSEWAY/CX/022"},
      {"Log", "Plan", true, "", "CAUSEWAY/CX/021"},
      {"Evaluate", "Plan", false, "", ""},
      {"Plan", "Evaluate", false, "", ""},
      {"Test", "Build", false, "", ""},
      {"Review", "Close", false, "", "CAUSEWAY/CX/022"},
      {"Review", "Close", false, "Successful", ""},
      {"Build", "Abandon", false, "Withdrawn", ""},
      {"Build", "Abandon", false, "", "CAUSEWAY/CX/022"},
      {"Implement", "Abandon", false, "Withdrawn", "CAUSEWAY/CX/021"},
      {"Log", "Nowhere", true, "", "CAUSEWAY/CX/020"},
  };
  for (const Row& r : rows) {
    SCOPED_TRACE(std::string(r.from) + " -> " + r.to);
    Change c = r.complete ? Complete(r.to) : Change{};
    c.phase_id = r.to;
    c.completion_code = r.completion_code;
    core::Status st = CheckPhaseChange(w, c, r.from);
    if (*r.error == 0) EXPECT_TRUE(st.ok()) << st.error().text;
    else {
      ASSERT_FALSE(st.ok());
      EXPECT_EQ(st.error().GatewayCode(), r.error);
      EXPECT_EQ(st.error().target, "PhaseId");
    }
  }
}

TEST(WorkflowTest, MissingRequirementsAreNamedInOrder) {
  const Workflow w = DefaultWorkflows()["Normal"];
  Change c;
  c.display_label = "x";
  c.category = "y";
  auto missing = MissingRequirements(c, *w.FindTransition("Log", "Evaluate"));
  EXPECT_EQ(missing, (std::vector<std::string>{"Description", "RequestedByPerson", "ReasonForChange", "Justification",
                                               "ChangeModel", "AffectsActualService"}));
  c.phase_id = "Evaluate";
  core::Status st = CheckPhaseChange(w, c, "Log");
  ASSERT_FALSE(st.ok());
  EXPECT_NE(st.error().text.find("requires Description, RequestedByPerson"), std::string::npos) << st.error().text;
}

TEST(WorkflowTest, AutomaticTransitionOnlyWhenRequirementsHold) {
  const Workflow w = DefaultWorkflows()["Standard"];
  Change c;
  c.phase_id = "Log";
  EXPECT_FALSE(ApplyAutomaticTransitions(w, c));
  EXPECT_EQ(c.phase_id, "Log");
  c = Complete("Log");
  EXPECT_TRUE(ApplyAutomaticTransitions(w, c));
  EXPECT_EQ(c.phase_id, "Evaluate");  // and not further: Evaluate → Plan is not automatic
}

TEST(WorkflowTest, ValidateNamesWhatIsWrong) {
  struct Row {
    Workflow w;
    const char* target;
  };
  Workflow ok = DefaultWorkflows()["Standard"];
  Workflow no_phases = ok;
  no_phases.phases.clear();
  Workflow twice = ok;
  twice.phases.push_back(twice.phases[0]);
  Workflow unknown = ok;
  unknown.transitions.push_back({"Log", "Mars", {}, false});
  Workflow bad_req = ok;
  bad_req.transitions[0].required.push_back("Priority");  // read-only: can never be set
  Workflow dup = ok;
  dup.transitions.push_back(dup.transitions[0]);
  Workflow no_type = ok;
  no_type.change_type.clear();
  const Row rows[] = {{no_phases, "phases"}, {twice, "phases"},  {unknown, "transitions"},
                      {bad_req, "transitions"}, {dup, "transitions"}, {no_type, "change_type"}};
  for (const Row& r : rows) {
    core::Status st = ValidateWorkflow(r.w);
    ASSERT_FALSE(st.ok()) << r.target;
    EXPECT_EQ(st.error().target, r.target);
    EXPECT_EQ(st.error().GatewayCode(), "CAUSEWAY/CX/050");
  }
}

}  // namespace
}  // namespace causeway::changes
