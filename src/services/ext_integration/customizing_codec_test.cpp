#include "services/ext_integration/customizing_codec.h"

#include <boost/json.hpp>
#include <gtest/gtest.h>

#include "domain/workitems/demo_data.h"
#include "services/ext_integration/fb_runtime.h"

namespace causeway::services::ext_integration {
namespace {

namespace json = boost::json;

TEST(CustomizingCodecTest, JsonRoundTripKeepsEverything) {
  const workitems::Customizing demo = workitems::DemoCustomizing();
  const json::value once = CustomizingToJson(demo, true);
  auto decoded = CustomizingFromJson(once);
  ASSERT_TRUE(decoded.ok()) << decoded.error().text;
  EXPECT_EQ(json::serialize(CustomizingToJson(*decoded, true)), json::serialize(once));
  EXPECT_EQ(decoded->destinations[0].password.Reveal(), "Welcome1!");
  EXPECT_TRUE(workitems::Validate(*decoded).ok());
}

TEST(CustomizingCodecTest, AnswersNeverShowPasswords) {
  const std::string shown = json::serialize(CustomizingToJson(workitems::DemoCustomizing(), false));
  EXPECT_EQ(shown.find("Welcome1!"), std::string::npos);
  EXPECT_NE(shown.find("\"password_set\":true"), std::string::npos);
  // What GET shows can be PUT back as it is.
  EXPECT_TRUE(CustomizingFromJson(json::parse(shown)).ok());
}

TEST(CustomizingCodecTest, TomlWithShorthands) {
  toml::table t = toml::parse(R"toml(
[[destinations]]
name = "JIRA"
host = "jira.example.com"
port = 8443
user = "SOLMAN"
password_env = "JIRA_PASSWORD"

[[projects]]
id = "P1"

[[project_mappings]]
project = "P1"
destination = "JIRA"
create_uri = "/rest/fb/Issues"
update_uri = "/rest/fb/Issues('#EXTERNAL_ID#')"
profile = "/SALM/FBDF"

[[profiles]]
name = "/SALM/FBDF"
[[profiles.process_types]]
process_type = "S1CG"
fields = "all"
[[profiles.process_types]]
process_type = "S1IT"
fields = ["TICKET_GUID", { attribute = "PRIORITY", rule = "Set Specific Value", value = "1" }]
inbound_status = [{ external = "Done", internal = "E0005" }]

[texts.priorities]
"1" = "1: Very High"
[texts.partner_functions]
"/SALM/09" = "Dev Team"
)toml");
  auto c = CustomizingFromToml(t, "ext_integration.customizing");
  ASSERT_TRUE(c.ok()) << c.error().text;
  EXPECT_EQ(c->destinations[0].protocol, "https");
  EXPECT_EQ(c->destinations[0].BaseUrl(), "https://jira.example.com:8443");
  EXPECT_EQ(c->project_mappings[0].create_method, "POST");
  EXPECT_EQ(c->profiles[0].process_types[0].fields.size(), 54u);
  const auto& fields = c->profiles[0].process_types[1].fields;
  ASSERT_EQ(fields.size(), 2u);
  EXPECT_EQ(fields[1].rule, workitems::MappingRule::kSetSpecificValue);
  EXPECT_EQ(c->texts.priorities.at(1), "1: Very High");
  EXPECT_EQ(c->texts.partner_functions.at("/SALM/09"), "Dev Team");
}

TEST(CustomizingCodecTest, EveryDecodingErrorNamesItsPath) {
  struct Case {
    std::string json, target;
  };
  const std::vector<Case> cases = {
      {R"({"destination":[]})", "x.destination"},
      {R"({"destinations":{}})", "x.destinations"},
      {R"({"destinations":[{"name":"A"}]})", "x.destinations[0].host"},
      {R"({"destinations":[{"name":"A","host":"h","port":"443"}]})", "x.destinations[0].port"},
      {R"({"projects":[{"id":"P","txt":"typo"}]})", "x.projects[0].txt"},
      {R"({"profiles":[{"name":"N","process_types":[{"process_type":"S1IT","fields":"some"}]}]})",
       "x.profiles[0].process_types[0].fields"},
      {R"({"profiles":[{"name":"N","process_types":[{"process_type":"S1IT","fields":[{"attribute":"A","rule":"move"}]}]}]})",
       "x.profiles[0].process_types[0].fields[0].rule"},
      {R"({"texts":{"priorities":{"high":"x"}}})", "x.texts.priorities.high"},
      {R"({"business_partners":[{"number":"1","identifications":[{"number":"X"}]}]})",
       "x.business_partners[0].identifications[0].type"},
      {R"([])", "x"},
  };
  for (const auto& c : cases) {
    auto r = CustomizingFromJson(json::parse(c.json), "x");
    ASSERT_FALSE(r.ok()) << c.json;
    EXPECT_EQ(r.error().target, c.target) << c.json;
    EXPECT_EQ(r.error().GatewayCode(), "CAUSEWAY/FB/012");
  }
}

TEST(FbOptionsTest, ConfigurationErrorsNameTheKey) {
  struct Case {
    std::string toml, target;
  };
  const std::vector<Case> cases = {
      {"[ext_integration]\nlink_validity = 5", "ext_integration.link_validity"},
      {"[ext_integration]\nlink_validity_s = 5", "ext_integration.link_validity_s"},
      {"[ext_integration]\nlink_base_url = \"ftp://x\"", "ext_integration.link_base_url"},
      {"[ext_integration]\nsystem_guid = \"abc\"", "ext_integration.system_guid"},
      {"[ext_integration]\ndemo = \"yes\"", "ext_integration.demo"},
      {"ext_integration = 5", "ext_integration"},
      // These aborted the server (std::stoi threw while the demo customizing was built).
      {"[ext_integration]\ndemo_tool_url = \"http://127.0.0.1:\"", "ext_integration.demo_tool_url"},
      {"[ext_integration]\ndemo_tool_url = \"http://127.0.0.1:abc\"", "ext_integration.demo_tool_url"},
      {"[ext_integration]\ndemo_tool_url = \"ftp://tool\"", "ext_integration.demo_tool_url"},
      {"[ext_integration.customizing]\n[[ext_integration.customizing.project_mappings]]\nproject = \"P\"\n"
       "destination = \"D\"\ncreate_uri = \"/c\"\nupdate_uri = \"/u/#EXTERNAL_ID#\"\nprofile = \"X\"",
       "ext_integration.customizing.process_types[S1IT]"},  // the first problem: no process types
  };
  for (const auto& c : cases) {
    auto r = ParseFbOptions(toml::parse(c.toml));
    ASSERT_FALSE(r.ok()) << c.toml;
    EXPECT_EQ(r.error().target, c.target) << r.error().text;
  }
  // Worded as the house's own sections are (services::ConfigTable).
  EXPECT_EQ(ParseFbOptions(toml::parse("[ext_integration]\ndemo = \"yes\"")).error().text,
            "[ext_integration] demo: must be true or false");
  EXPECT_EQ(ParseFbOptions(toml::parse("[ext_integration]\nlink_validity_s = 5")).error().text,
            "[ext_integration] link_validity_s: must be an integer from 60 to 31622400");
  auto ok = ParseFbOptions(toml::parse("[server]\nsystem_id = \"SM1\"\ndefault_client = \"200\"\n"
                                       "[ext_integration]\nlink_validity_s = 600\nlink_base_url = \"https://sm:50001/\""));
  ASSERT_TRUE(ok.ok());
  EXPECT_EQ(ok->system_id, "SM1");
  EXPECT_EQ(ok->sap_client, "200");
  EXPECT_EQ(ok->link_validity, std::chrono::seconds(600));
  EXPECT_EQ(ok->link_base_url, "https://sm:50001");
}

}  // namespace
}  // namespace causeway::services::ext_integration
