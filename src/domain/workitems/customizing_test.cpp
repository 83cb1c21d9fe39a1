#include "domain/workitems/customizing.h"

#include <gtest/gtest.h>

#include <functional>

#include "domain/workitems/demo_data.h"

namespace causeway::workitems {
namespace {

TEST(CustomizingTest, DemoIsValidAndDeliversFbdf) {
  Customizing c = DemoCustomizing();
  core::Status st = Validate(c);
  ASSERT_TRUE(st.ok()) << st.error().text;
  const IntegrationProfile* fbdf = c.FindProfile("/SALM/FBDF");
  ASSERT_NE(fbdf, nullptr);
  for (const char* pt : {"S1IT", "S1CG", "S1MJ"}) {
    const ProcessTypeSettings* s = fbdf->Find(pt);
    ASSERT_NE(s, nullptr) << pt;
    EXPECT_EQ(s->partner_function, "/SALM/09");
    EXPECT_EQ(s->fields.size(), 54u);
  }
  EXPECT_EQ(c.FindDestination("JIRA_DEMO")->BaseUrl(), "http://127.0.0.1:8083");
  EXPECT_TRUE(c.FindPartner("4000")->Has("S1EXTI", "X"));
  EXPECT_FALSE(c.FindPartner("4001")->Has("S1EXTI", "X"));
  const StatusProfile* wi = c.StatusProfileOf("S1CG");
  ASSERT_NE(wi, nullptr);
  EXPECT_TRUE(wi->Allows("E0001", "E0002"));
  EXPECT_TRUE(wi->Allows("E0002", "E0002"));
  EXPECT_FALSE(wi->Allows("E0001", "E0006"));
}

TEST(CustomizingTest, DemoToolUrlIsReadWithoutThrowing) {
  struct Case {
    std::string url, base;  // base "" = refused
  };
  const std::vector<Case> cases = {
      {"http://127.0.0.1:8083", "http://127.0.0.1:8083"},
      {"https://tool.example", "https://tool.example:443"},
      {"http://tool:8083/jira", "http://tool:8083/jira"},
      {"http://[::1]:9000/x", "http://[::1]:9000/x"},
      {"http://tool:", ""},
      {"http://tool:abc", ""},
      {"http://tool:99999", ""},
      {"http://:80", ""},
      {"ftp://tool", ""},
      {"tool:8083", ""},
  };
  for (const auto& c : cases) {
    Customizing demo;
    ASSERT_NO_THROW(demo = DemoCustomizing(c.url)) << c.url;
    const RfcDestination* d = demo.FindDestination("JIRA_DEMO");
    ASSERT_NE(d, nullptr) << c.url;
    core::Status valid = Validate(demo);
    if (c.base.empty()) {
      ASSERT_FALSE(valid.ok()) << c.url;
      EXPECT_EQ(valid.error().target, "destinations[JIRA_DEMO].host") << c.url;
      EXPECT_FALSE(DemoToolDestination(c.url).has_value()) << c.url;
    } else {
      EXPECT_TRUE(valid.ok()) << c.url << ": " << valid.error().text;
      EXPECT_EQ(d->BaseUrl(), c.base);
      EXPECT_EQ(d->user, "SOLMAN_SYNC");
    }
  }
}

TEST(CustomizingTest, DestinationBaseUrl) {
  RfcDestination d;
  d.protocol = "https";
  d.host = "examplehost.domain";
  d.port = 8083;
  EXPECT_EQ(d.BaseUrl(), "https://examplehost.domain:8083");
  d.path_prefix = "/jira/";
  EXPECT_EQ(d.BaseUrl(), "https://examplehost.domain:8083/jira");
}

TEST(CustomizingTest, RulesParseInBothSpellings) {
  EXPECT_EQ(ParseMappingRule("copy"), MappingRule::kCopyValue);
  EXPECT_EQ(ParseMappingRule("Copy Value"), MappingRule::kCopyValue);
  EXPECT_EQ(ParseMappingRule("SET SPECIFIC VALUE"), MappingRule::kSetSpecificValue);
  EXPECT_EQ(ParseMappingRule("move"), std::nullopt);
}

TEST(CustomizingTest, EveryBrokenReferenceNamesItsField) {
  struct Case {
    std::function<void(Customizing&)> breaks;
    std::string target;
  };
  const std::vector<Case> cases = {
      {[](Customizing& c) { c.destinations.push_back(c.destinations[0]); }, "destinations[JIRA_DEMO]"},
      {[](Customizing& c) { c.destinations[0].protocol = "ftp"; }, "destinations[JIRA_DEMO].protocol"},
      {[](Customizing& c) { c.destinations[0].host = "a b"; }, "destinations[JIRA_DEMO].host"},
      {[](Customizing& c) { c.destinations[0].port = 0; }, "destinations[JIRA_DEMO].port"},
      {[](Customizing& c) { c.destinations[0].name = "bad name"; }, "destinations[bad name].name"},
      {[](Customizing& c) { c.project_mappings[0].destination = "NOPE"; }, "project_mappings[ST_OST_SP2].destination"},
      {[](Customizing& c) { c.project_mappings[0].profile = "/Z/NOPE"; }, "project_mappings[ST_OST_SP2].profile"},
      {[](Customizing& c) { c.project_mappings[0].project = "NOPE"; }, "project_mappings[NOPE].project"},
      {[](Customizing& c) { c.project_mappings[0].update_uri = "/Issues"; }, "project_mappings[ST_OST_SP2].update_uri"},
      {[](Customizing& c) { c.project_mappings[0].create_uri = "http://x/Issues"; },
       "project_mappings[ST_OST_SP2].create_uri"},
      {[](Customizing& c) { c.project_mappings[0].create_method = "GET"; }, "project_mappings[ST_OST_SP2].create_method"},
      {[](Customizing& c) { c.profiles[0].process_types[0].fields[3].attribute = "NOPE"; },
       "profiles[/SALM/FBDF].process_types[S1IT].fields[3].attribute"},
      {[](Customizing& c) {
         auto& f = c.profiles[0].process_types[0].fields[15];  // PRIORITY
         f.rule = MappingRule::kSetSpecificValue;
         f.value = "high";
       },
       "profiles[/SALM/FBDF].process_types[S1IT].fields[PRIORITY].value"},
      {[](Customizing& c) {
         auto& f = c.profiles[0].process_types[0].fields[47];  // PARTNER
         f.rule = MappingRule::kSetSpecificValue;
       },
       "profiles[/SALM/FBDF].process_types[S1IT].fields[PARTNER].rule"},
      {[](Customizing& c) { c.profiles[0].process_types[1].inbound_status[0].internal_status = "E0099"; },
       "profiles[/SALM/FBDF].process_types[S1CG].inbound_status[0].internal"},
      {[](Customizing& c) { c.profiles[0].process_types[1].inbound_status.push_back({"Done", "E0006"}); },
       "profiles[/SALM/FBDF].process_types[S1CG].inbound_status[8].external"},
      {[](Customizing& c) { c.status_profiles[0].initial = "E0099"; }, "status_profiles[S1ITHEAD].initial"},
      {[](Customizing& c) { c.status_profiles[0].statuses[0].code = "X1"; }, "status_profiles[S1ITHEAD].statuses[X1]"},
      {[](Customizing& c) { c.status_profiles[0].transitions.push_back({"E0001", "E0099"}); },
       "status_profiles[S1ITHEAD].transitions[9]"},
      {[](Customizing& c) { c.process_types.pop_back(); }, "process_types[S1MJ]"},
      {[](Customizing& c) { c.process_types[0].status_profile = "NOPE"; }, "process_types[S1IT].status_profile"},
      {[](Customizing& c) { c.business_partners.push_back(c.business_partners[0]); }, "business_partners[786]"},
  };
  for (const auto& c : cases) {
    Customizing broken = DemoCustomizing();
    c.breaks(broken);
    core::Status st = Validate(broken);
    ASSERT_FALSE(st.ok()) << c.target;
    EXPECT_EQ(st.error().target, c.target);
    EXPECT_EQ(st.error().GatewayCode(), "CAUSEWAY/FB/012");
    EXPECT_NE(st.error().text.find(c.target), std::string::npos) << st.error().text;
  }
}

}  // namespace
}  // namespace causeway::workitems
