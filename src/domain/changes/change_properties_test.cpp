#include "domain/changes/change_properties.h"

#include <gtest/gtest.h>

#include <tuple>

namespace causeway::changes {
namespace {

Tenant PropertiesTenant() {
  Tenant t;
  t.id = "100000002";
  t.people["10010"] = {"10010", "ana", "Ana", "Lopez", "ana@example.com", "ana@corp", "", {"agent"}};
  t.groups["20001"] = {"20001", "Change Advisory", ""};
  t.groups["20003"] = {"20003", "ServiceNow Fulfillment", "SNOW"};
  return t;
}

TEST(ChangePropertiesTest, PriorityFromUrgencyAndImpact) {
  // The spec's table (B.5), row by row: Enterprise, SiteOrDepartment, MultipleUsers, SingleUser.
  const std::vector<std::pair<const char*, std::vector<const char*>>> table = {
      {"TotalLossOfService", {"CriticalPriority", "HighPriority", "HighPriority", "MediumPriority"}},
      {"SevereDisruption", {"HighPriority", "HighPriority", "MediumPriority", "MediumPriority"}},
      {"SlightDisruption", {"HighPriority", "MediumPriority", "MediumPriority", "LowPriority"}},
      {"NoDisruption", {"MediumPriority", "MediumPriority", "LowPriority", "LowPriority"}},
  };
  const char* impacts[] = {"Enterprise", "SiteOrDepartment", "MultipleUsers", "SingleUser"};
  for (const auto& [urgency, row] : table)
    for (size_t i = 0; i < 4; ++i) EXPECT_EQ(PriorityOf(urgency, impacts[i]), row[i]) << urgency << " " << impacts[i];
  EXPECT_EQ(PriorityOf("Slight", "SingleUser"), "");
}

TEST(ChangePropertiesTest, WireProperties) {
  Change c;
  c.id = "10001";
  c.phase_id = "Log";
  c.urgency = "TotalLossOfService";
  c.impact_scope = "Enterprise";
  c.created_ms = 5;
  c.custom["SNOWNumber_c"] = std::string("CHG0001");
  auto props = WireProperties(c, DefaultWorkflows());
  ASSERT_FALSE(props.empty());
  EXPECT_EQ(props.front().first, "Id");
  auto find = [&](const char* name) {
    for (const auto& [n, v] : props)
      if (n == name) return PropertyText(v);
    return std::string("<absent>");
  };
  EXPECT_EQ(find("Priority"), "CriticalPriority");
  EXPECT_EQ(find("MetaphaseId"), "Classification");
  EXPECT_EQ(find("EmsCreationTime"), "5");
  EXPECT_EQ(find("SNOWNumber_c"), "CHG0001");
  EXPECT_EQ(find("Description"), "");
  EXPECT_EQ(find("ChangeAttachments"), "<absent>");
  // The table's names are the list's names, in its order, before the custom fields; each
  // property by name is the list's value.
  const auto& names = WirePropertyNames();
  ASSERT_EQ(names.size() + c.custom.size(), props.size());
  for (size_t i = 0; i < names.size(); ++i) {
    EXPECT_EQ(names[i], props[i].first);
    EXPECT_EQ(PropertyOf(c, names[i], DefaultWorkflows()), props[i].second) << names[i];
  }
}

TEST(ChangePropertiesTest, ApplyAcceptsAndRefuses) {
  const Tenant t = PropertiesTenant();
  const WorkflowSet wfs = DefaultWorkflows();
  struct Row {
    const char* name;
    PropertyList props;
    const char* error;  // "" = accepted
  };
  const Row rows[] = {
      {"text", {{"DisplayLabel", std::string("x")}, {"Description", int64_t{7}}}, ""},
      {"urgency", {{"Urgency", std::string("SevereDisruption")}}, ""},
      {"urgency bad case", {{"Urgency", std::string("severedisruption")}}, "CAUSEWAY/CX/012"},
      {"impact null", {{"ImpactScope", PropertyValue()}}, "CAUSEWAY/CX/012"},
      {"completion code cleared", {{"CompletionCode", PropertyValue()}}, ""},
      {"completion code bad", {{"CompletionCode", std::string("WithdrawnbyUser")}}, "CAUSEWAY/CX/012"},
      {"unknown", {{"Color", std::string("red")}}, "CAUSEWAY/CX/010"},
      {"read-only", {{"Priority", std::string("HighPriority")}}, "CAUSEWAY/CX/011"},
      {"other id", {{"Id", std::string("99")}}, "CAUSEWAY/CX/011"},
      {"same id", {{"Id", std::string("10001")}}, ""},
      {"person by id", {{"RequestedByPerson", std::string("10010")}}, ""},
      {"person unknown", {{"RequestedByPerson", std::string("1")}}, "CAUSEWAY/CX/013"},
      {"person by email", {{"RequestedByPerson.Email", std::string("ANA@example.com")}}, ""},
      {"person by bad key", {{"RequestedByPerson.Shoe", std::string("x")}}, "CAUSEWAY/CX/010"},
      {"group by name", {{"OwningGroup.Name", std::string("ServiceNow Fulfillment")}}, ""},
      {"group unknown", {{"OwningGroup", std::string("1")}}, "CAUSEWAY/CX/013"},
      {"flag for text", {{"Description", true}}, "CAUSEWAY/CX/014"},
      {"custom", {{"Ticket_c", std::string("INC1")}, {"Count_c", int64_t{3}}}, ""},
      {"type", {{"ChangeType", std::string("Emergency")}}, ""},
      {"type unknown", {{"ChangeType", std::string("Minor")}}, "CAUSEWAY/CX/012"},
  };
  for (const Row& r : rows) {
    SCOPED_TRACE(r.name);
    Change c;
    c.id = "10001";
    c.phase_id = "Log";
    core::Status st = ApplyProperties(r.props, t, wfs, c);
    if (*r.error == 0) EXPECT_TRUE(st.ok()) << st.error().text;
    else {
      ASSERT_FALSE(st.ok());
      EXPECT_EQ(st.error().GatewayCode(), r.error) << st.error().text;
    }
  }
}

TEST(ChangePropertiesTest, RelationsResolveToIds) {
  const Tenant t = PropertiesTenant();
  Change c;
  c.id = "1";
  ASSERT_TRUE(ApplyProperties({{"RequestedByPerson.Upn", std::string("ana@corp")},
                               {"OwningGroup.Name", std::string("ServiceNow Fulfillment")},
                               {"Count_c", int64_t{3}}},
                              t, DefaultWorkflows(), c)
                  .ok());
  EXPECT_EQ(c.requested_by, "10010");
  EXPECT_EQ(c.owning_group, "20003");
  auto related = RelatedProperties(c, t);
  ASSERT_EQ(related.size(), 2u);
  EXPECT_EQ(related[0].first, "RequestedByPerson");
  EXPECT_EQ(PropertyText(related[0].second[1].second), "Ana Lopez");
  EXPECT_EQ(PropertyText(related[1].second[2].second), "SNOW");
  ASSERT_TRUE(ApplyProperties({{"Count_c", PropertyValue()}, {"OwningGroup", PropertyValue()}}, t, DefaultWorkflows(), c).ok());
  EXPECT_TRUE(c.custom.empty());
  EXPECT_EQ(c.owning_group, "");
}

// Names and addresses need not be unique: a key that matches several records is refused with
// their ids, not resolved to whichever came last.
TEST(ChangePropertiesTest, AKeyThatMatchesSeveralRecordsIsRefusedNotGuessed) {
  Tenant t = PropertiesTenant();
  t.people["10011"] = {"10011", "ana2", "Ana", "Lopez", "ANA@example.com", "", "", {}};
  t.groups["20004"] = {"20004", "Change Advisory", ""};
  Change c;
  c.id = "1";
  for (const auto& [name, value, ids] :
       std::vector<std::tuple<std::string, std::string, std::string>>{
           {"RequestedByPerson.Email", "ana@example.com", "10010, 10011"},
           {"RequestedByPerson.Name", "Ana Lopez", "10010, 10011"},
           {"OwningGroup.Name", "Change Advisory", "20001, 20004"}}) {
    core::Status st = ApplyProperties({{name, value}}, t, DefaultWorkflows(), c);
    ASSERT_FALSE(st.ok()) << name;
    EXPECT_EQ(st.error().GatewayCode(), "CAUSEWAY/CX/019") << name;
    EXPECT_EQ(st.error().text, "Several records match " + name + " = '" + value + "' (Id " + ids + "); send the Id");
  }
  EXPECT_EQ(c.requested_by, "");
  EXPECT_EQ(c.owning_group, "");
  // A unique key still resolves; the Id always does.
  ASSERT_TRUE(ApplyProperties({{"RequestedByPerson.Upn", std::string("ana@corp")}, {"OwningGroup", std::string("20004")}},
                              t, DefaultWorkflows(), c)
                  .ok());
  EXPECT_EQ(c.requested_by, "10010");
  EXPECT_EQ(c.owning_group, "20004");
}

TEST(ChangePropertiesTest, TypeChangesOnlyInTheFirstPhase) {
  const Tenant t = PropertiesTenant();
  Change c;
  c.phase_id = "Evaluate";
  core::Status st = ApplyProperties({{"ChangeType", std::string("Standard")}}, t, DefaultWorkflows(), c);
  ASSERT_FALSE(st.ok());
  EXPECT_EQ(st.error().GatewayCode(), "CAUSEWAY/CX/015");
  c.phase_id = "Log";
  ASSERT_TRUE(ApplyProperties({{"ChangeType", std::string("Standard")}}, t, DefaultWorkflows(), c).ok());
  EXPECT_EQ(c.change_type, "Standard");
  EXPECT_EQ(c.phase_id, "Log");
}

TEST(ChangePropertiesTest, TypeAndPhaseInOneEditDoNotDependOnTheirOrder) {
  const Tenant t = PropertiesTenant();
  const PropertyValue type = std::string("Standard"), phase = std::string("Evaluate");
  for (bool type_first : {true, false}) {
    SCOPED_TRACE(type_first ? "ChangeType first" : "PhaseId first");
    PropertyList props = {{"PhaseId", phase}, {"ChangeType", type}};
    if (type_first) std::swap(props[0], props[1]);
    // In the first phase as stored: the type changes and the phase is the one asked for.
    Change fresh;
    fresh.change_type = "Normal";
    fresh.phase_id = "Log";
    ASSERT_TRUE(ApplyProperties(props, t, DefaultWorkflows(), fresh).ok());
    EXPECT_EQ(fresh.change_type, "Standard");
    EXPECT_EQ(fresh.phase_id, "Evaluate");
    // Past it, the type is fixed, even when the PhaseId member names the first phase.
    Change later;
    later.change_type = "Normal";
    later.phase_id = "Plan";
    props = {{"PhaseId", PropertyValue(std::string("Log"))}, {"ChangeType", type}};
    if (type_first) std::swap(props[0], props[1]);
    core::Status st = ApplyProperties(props, t, DefaultWorkflows(), later);
    ASSERT_FALSE(st.ok());
    EXPECT_EQ(st.error().GatewayCode(), "CAUSEWAY/CX/015");
  }
}

}  // namespace
}  // namespace causeway::changes
