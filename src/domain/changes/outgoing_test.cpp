#include "domain/changes/outgoing.h"

#include <gtest/gtest.h>

namespace causeway::changes {
namespace {

Tenant OutgoingTenant() {
  Tenant t;
  t.id = "100000002";
  t.groups["INT"] = {"INT", "Change Advisory", ""};
  t.groups["INT2"] = {"INT2", "Network", ""};
  t.groups["SNOWG"] = {"SNOWG", "ServiceNow team", "SNOW"};
  t.groups["SNOWG2"] = {"SNOWG2", "ServiceNow second", "SNOW"};
  t.groups["JIRAG"] = {"JIRAG", "Jira team", "JIRA"};
  t.systems["SNOW"] = {"SNOW", "ServiceNow", "sx", "", "", ""};
  t.systems["JIRA"] = {"JIRA", "Jira", "jira", "", "", ""};
  return t;
}

std::string Describe(const std::vector<PlannedOperation>& ops) {
  std::string s;
  for (const auto& o : ops) s += (s.empty() ? "" : " ") + std::string(OperationName(o.operation)) + ">" + o.system_id;
  return s;
}

TEST(OutgoingTest, TheSeedsTriggerTable) {
  const Tenant t = OutgoingTenant();
  struct Row {
    const char* name;
    const char* group_before;  // nullptr: a new record
    const char* group_after;
    const char* code_before;
    const char* code_after;
    bool comment;
    bool attachment;
    bool cancelled_before;
    std::vector<std::string> cause;
    const char* expected;
  };
  const Row rows[] = {
      {"internal to external", "INT", "SNOWG", "", "", false, false, false, {}, "Assign>SNOW"},
      {"external to internal", "SNOWG", "INT", "", "", false, false, false, {}, "Accept>SNOW"},
      {"internal to internal", "INT", "INT2", "", "", false, false, false, {}, ""},
      {"same system, other group", "SNOWG", "SNOWG2", "", "", false, false, false, {}, ""},
      {"external to other external", "SNOWG", "JIRAG", "", "", false, false, false, {}, "Accept>SNOW Assign>JIRA"},
      {"new record in an external group", nullptr, "SNOWG", "", "", false, false, false, {}, "Assign>SNOW"},
      {"new record in an internal group", nullptr, "INT", "", "", false, false, false, {}, ""},
      {"withdrawn", "SNOWG", "SNOWG", "", "Withdrawn", false, false, false, {}, "Cancel>SNOW"},
      {"withdrawn again", "SNOWG", "SNOWG", "Withdrawn", "Withdrawn", false, false, true, {}, ""},
      {"withdrawn in an internal group", "INT", "INT", "", "Withdrawn", false, false, false, {}, ""},
      {"other completion code", "SNOWG", "SNOWG", "", "Successful", false, false, false, {}, ""},
      {"comment", "SNOWG", "SNOWG", "", "", true, false, false, {}, "Update>SNOW"},
      {"attachment", "SNOWG", "SNOWG", "", "", false, true, false, {}, "Update>SNOW"},
      {"comment after cancel", "SNOWG", "SNOWG", "Withdrawn", "Withdrawn", true, false, true, {}, ""},
      {"comment with cancel", "SNOWG", "SNOWG", "", "Withdrawn", true, false, false, {}, "Cancel>SNOW"},
      {"comment internal group", "INT", "INT", "", "", true, false, false, {}, ""},
      {"assign and comment", "INT", "SNOWG", "", "", true, false, false, {}, "Assign>SNOW Update>SNOW"},
      {"caused by SNOW itself", "SNOWG", "SNOWG", "", "", true, false, false, {"SNOW"}, ""},
      {"caused by SNOW, moved to JIRA", "SNOWG", "JIRAG", "", "", false, false, false, {"SNOW"}, "Assign>JIRA"},
      {"cancel caused by SNOW", "SNOWG", "SNOWG", "", "Withdrawn", false, false, false, {"SNOW"}, ""},
  };
  for (const Row& r : rows) {
    SCOPED_TRACE(r.name);
    Change before;
    before.id = "10001";
    if (r.group_before) before.owning_group = r.group_before;
    before.completion_code = r.code_before;
    before.cancel_generated = r.cancelled_before;
    Change after = before;
    after.owning_group = r.group_after;
    after.completion_code = r.code_after;
    EditFacts f;
    f.before = r.group_before ? &before : nullptr;
    f.after = &after;
    if (r.comment) f.comments_added = {"7"};
    if (r.attachment) f.attachments_added = {"abc"};
    f.cause_systems = r.cause;
    EXPECT_EQ(Describe(PlanOutgoing(t, f, after)), r.expected);
  }
}

TEST(OutgoingTest, CancelMarksTheRecordEvenWhenNotSentBack) {
  const Tenant t = OutgoingTenant();
  Change before;
  before.owning_group = "SNOWG";
  Change after = before;
  after.completion_code = "Withdrawn";
  EditFacts f{&before, &after, {}, {}, {"SNOW"}};
  EXPECT_TRUE(PlanOutgoing(t, f, after).empty());
  EXPECT_TRUE(after.cancel_generated);  // a later comment generates no Update
  Change later = after;
  EditFacts g{&after, &later, {"9"}, {}, {}};
  EXPECT_TRUE(PlanOutgoing(t, g, later).empty());
}

TEST(OutgoingTest, CausesNameWhatHappened) {
  const Tenant t = OutgoingTenant();
  Change before;
  before.owning_group = "INT";
  Change after = before;
  after.owning_group = "SNOWG";
  EditFacts f{&before, &after, {"5"}, {"f00d"}, {}};
  auto ops = PlanOutgoing(t, f, after);
  ASSERT_EQ(ops.size(), 2u);
  EXPECT_EQ(ops[0].cause, "OwningGroup INT -> SNOWG");
  EXPECT_EQ(ops[1].cause, "comment 5, attachment f00d");
}

}  // namespace
}  // namespace causeway::changes
