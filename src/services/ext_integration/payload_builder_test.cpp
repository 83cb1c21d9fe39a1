#include "services/ext_integration/payload_builder.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <boost/json.hpp>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <tuple>

#include "domain/workitems/demo_data.h"
#include "domain/workitems/object_repository.h"
#include "services/ext_integration/document_links.h"
#include "store/migration.h"
#include "store/sqlite/sqlite_database.h"

namespace causeway::services::ext_integration {
namespace {

namespace json = boost::json;
using namespace workitems;

std::string ReadFixture(const std::string& name) {
  std::ifstream in(std::string(CW_FB_FIXTURES) + "/" + name);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

// The guide's appendix payload (cleaned fixture) and ours for the demo's sample package must
// have the same members in the same order with the same JSON types, recursively.
void ExpectSameShape(const json::value& want, const json::value& got, const std::string& path) {
  ASSERT_EQ(want.kind(), got.kind()) << path;
  if (want.is_object()) {
    const auto& w = want.as_object();
    const auto& g = got.as_object();
    std::vector<std::string> wk, gk;
    for (const auto& [k, v] : w) wk.emplace_back(k);
    for (const auto& [k, v] : g) gk.emplace_back(k);
    ASSERT_EQ(wk, gk) << path;
    for (const auto& [k, v] : w) ExpectSameShape(v, g.at(k), path + "." + std::string(k));
  } else if (want.is_array()) {
    ASSERT_EQ(want.as_array().size(), got.as_array().size()) << path;
    for (size_t i = 0; i < want.as_array().size(); ++i)
      ExpectSameShape(want.as_array()[i], got.as_array()[i], path + "[" + std::to_string(i) + "]");
  }
}

class PayloadBuilderTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("cw_fbp_" + std::to_string(::getpid()) + "_" + ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
    db_ = std::move(store::sqlite::SqliteDatabase::Open({.path = (dir_ / "fb.db").string()})).value();
    ASSERT_TRUE(store::Migrate(*db_, WorkItemMigrations()).ok());
    items_ = std::make_unique<WorkItems>(*db_, clock_, nullptr, builder_,
                                         WorkItemsOptions{.system_guid = "00505683226E1EE5AED98BF0E4AD82E1"});
    ASSERT_TRUE(items_->Open().ok());
    ASSERT_TRUE(items_->UseCustomizing(DemoCustomizing()).ok());
    ASSERT_TRUE(SeedDemoObjects(*items_).ok());
    package_ = items_->Get(kDemoPackageGuid).value();
  }
  void TearDown() override {
    items_.reset();
    db_.reset();
    std::filesystem::remove_all(dir_);
  }

  PushView View(const WorkObject& o, const Customizing& c, const ProcessTypeSettings* settings = nullptr) const {
    const ProjectMapping* m = c.FindMapping(o.project);
    return PushView{.kind = PushKind::kCreate,
                    .object = &o,
                    .customizing = &c,
                    .mapping = m,
                    .destination = c.FindDestination(m->destination),
                    .settings = settings ? settings : c.FindProfile(m->profile)->Find(o.process_type),
                    .system_guid = "00505683226E1EE5AED98BF0E4AD82E1",
                    .link_base_url = "http://examplehost.domain:50089",
                    .sap_client = "200"};
  }

  // The body as a kind sends it: markers filled, links signed.
  std::string Body(const PushView& view, std::string external_id = "", std::string parent = "") const {
    auto built = builder_.Build(view);
    EXPECT_TRUE(built.ok());
    auto decoded = DecodePushPayload(*built);
    EXPECT_TRUE(decoded.ok());
    std::vector<std::string> links;
    for (const auto& l : decoded->envelope.links)
      links.push_back(links_.Make(l, decoded->envelope.link_base, decoded->envelope.sap_client, clock_.Now()));
    auto filled = FillPushTemplate(decoded->body_template, external_id, parent, links);
    EXPECT_TRUE(filled.ok());
    return *filled;
  }

  std::filesystem::path dir_;
  core::ManualClock clock_{core::FromUnixMillis(1467727595000)};  // 2016-07-05T14:06:35Z
  std::unique_ptr<store::sqlite::SqliteDatabase> db_;
  JsonPayloadBuilder builder_;
  std::unique_ptr<WorkItems> items_;
  WorkObject package_;
  DocumentLinks links_{"test key", std::chrono::hours(2), "CWY"};
};

TEST_F(PayloadBuilderTest, TheSamplePackageReproducesTheAppendixFieldForField) {
  const Customizing c = DemoCustomizing();
  const std::string body = Body(View(package_, c));
  const json::value want = json::parse(ReadFixture("create-work-package.json"));
  json::value got = json::parse(body);
  ExpectSameShape(want, got, "$");
  // Every value but the links (ours are signed and point at this Causeway) is the appendix's.
  json::object expected = want.as_object();
  json::object actual = got.as_object();
  for (const char* list : {"DOCUMENT", "ATTACHMENT"}) {
    for (size_t i = 0; i < expected[list].as_array().size(); ++i) {
      json::object& w = expected[list].as_array()[i].as_object();
      json::object& g = actual[list].as_array()[i].as_object();
      std::string want_url(w["URL"].as_string()), got_url(g["URL"].as_string());
      const bool link_attachment = want_url.find("/sap/bc/") == std::string::npos;
      if (link_attachment) {
        EXPECT_EQ(got_url, want_url);
      } else {
        // Documents: the appendix's link whole (ours adds parameters after it); attachments:
        // up to the docId (the appendix's is garbled).
        const std::string prefix =
            std::string(list) == "DOCUMENT" ? want_url : want_url.substr(0, want_url.find("docId=") + 6);
        EXPECT_EQ(got_url.rfind(prefix, 0), 0u) << got_url << "\nshould start with " << prefix;
        EXPECT_NE(got_url.find("&expiration=20160705160635&secKey="), std::string::npos) << got_url;
      }
      w.erase("URL");
      g.erase("URL");
    }
  }
  EXPECT_EQ(json::serialize(actual), json::serialize(expected));
  // Numbers as the guide writes them; nothing is ever null.
  EXPECT_NE(body.find("\"EFFORT\":24480.00,"), std::string::npos);
  EXPECT_NE(body.find("\"PRIORITY\":2,"), std::string::npos);
  EXPECT_NE(body.find("\"LEVEL\":3}"), std::string::npos);
  EXPECT_EQ(body.find("null"), std::string::npos);
}

TEST_F(PayloadBuilderTest, WorkItemsCarryTheParentAndUpdatesTheirExternalId) {
  const Customizing c = DemoCustomizing();
  WorkObject item = items_->Get(kDemoItemGuid).value();
  PushView view = View(item, c);
  view.package = &package_;
  json::object created = json::parse(Body(view, "", "BFD-17")).as_object();
  EXPECT_EQ(created["EXTERNAL_ID"].as_string(), "");
  EXPECT_EQ(created["PARENT_EXTERNAL_ID"].as_string(), "BFD-17");
  EXPECT_EQ(created["PROCESS_TYPE"].as_string(), "S1CG");
  EXPECT_EQ(created["TEXT"].as_array().size(), 1u);  // CD99, the work item's text mapping
  EXPECT_EQ(created["TEXT"].as_array()[0].as_object().at("TEXTID_TXT").as_string(), "Overview");
  EXPECT_EQ(created["PARTNER"].as_array().size(), 2u);
  EXPECT_EQ(created["PARTNER"].as_array()[0].as_object().at("PARTNER_MAIN").as_string(), "X");
  json::object updated = json::parse(Body(view, "BFD-18", "BFD-17")).as_object();
  EXPECT_EQ(updated["EXTERNAL_ID"].as_string(), "BFD-18");
}

TEST_F(PayloadBuilderTest, TheFieldMappingSelectsAndOverridesAttributes) {
  Customizing c = DemoCustomizing();
  ProcessTypeSettings s = *c.FindProfile("/SALM/FBDF")->Find("S1IT");
  s.fields = {{"DESCRIPTION", MappingRule::kCopyValue, ""},
              {"PRIORITY", MappingRule::kSetSpecificValue, "4"},
              {"EFFORT_UNIT", MappingRule::kSetSpecificValue, "H"},
              {"EXTERNAL_ID", MappingRule::kSetSpecificValue, "ignored"},
              {"PARTNER", MappingRule::kCopyValue, ""}};
  s.partner_functions = {"/SALM/09"};
  json::object o = json::parse(Body(View(package_, c, &s), "X-1")).as_object();
  std::vector<std::string> keys;
  for (const auto& [k, v] : o) keys.emplace_back(k);
  // Identity attributes always, the others only when mapped; the guide's order either way.
  EXPECT_EQ(keys, (std::vector<std::string>{"SYSTEM_GUID", "EXTERNAL_ID", "PARENT_EXTERNAL_ID", "TICKET_ID",
                                            "TICKET_GUID", "DESCRIPTION", "PROCESS_TYPE", "PRIORITY", "EFFORT_UNIT",
                                            "PARTNER"}));
  EXPECT_EQ(o["PRIORITY"].as_int64(), 4);
  EXPECT_EQ(o["EFFORT_UNIT"].as_string(), "H");
  EXPECT_EQ(o["EXTERNAL_ID"].as_string(), "X-1");  // never overridden: it is the tool's id
  ASSERT_EQ(o["PARTNER"].as_array().size(), 1u);
  EXPECT_EQ(o["PARTNER"].as_array()[0].as_object().at("PARTNER_FCT").as_string(), "/SALM/09");
}

TEST_F(PayloadBuilderTest, SpecificNumberValuesAreWrittenAsJsonNumbers) {
  Customizing c = DemoCustomizing();
  // What an SAP number field takes, each in the one spelling JSON has for it.
  const std::vector<std::tuple<std::string, std::string, std::string>> cases = {
      {"007", "1.", "\"PRIORITY\":7,\"EFFORT\":1}"},
      {"0", ".5", "\"PRIORITY\":0,\"EFFORT\":0.5}"},
      {"-00", "-.25", "\"PRIORITY\":-0,\"EFFORT\":-0.25}"},
      {"10", "0100.50", "\"PRIORITY\":10,\"EFFORT\":100.50}"}};
  for (const auto& [priority, effort, expected] : cases) {
    SCOPED_TRACE(priority + " " + effort);
    for (auto& profile : c.profiles)
      for (auto& settings : profile.process_types)
        if (profile.name == "/SALM/FBDF" && settings.process_type == "S1IT")
          settings.fields = {{"PRIORITY", MappingRule::kSetSpecificValue, priority},
                             {"EFFORT", MappingRule::kSetSpecificValue, effort}};
    ASSERT_TRUE(workitems::Validate(c).ok());
    const std::string body = Body(View(package_, c), "X-1");
    EXPECT_NE(body.find(expected), std::string::npos) << body;
    json::error_code ec;
    json::parse(body, ec);
    EXPECT_FALSE(ec) << body;
  }
}

TEST(PayloadFormatTest, HundredthsAndTemplates) {
  EXPECT_EQ(FormatHundredths(2448000), "24480.00");
  EXPECT_EQ(FormatHundredths(5), "0.05");
  EXPECT_EQ(FormatHundredths(0), "0.00");
  EXPECT_EQ(FormatHundredths(-150), "-1.50");
  auto filled = FillPushTemplate(std::string("{\"A\":\"") + std::string(kExternalIdMarker) + "\",\"B\":\"" +
                                     LinkMarker(1) + "\"}",
                                 "a\"b", "", {"x", "http://h/p?q=1&r=2"});
  ASSERT_TRUE(filled.ok());
  EXPECT_EQ(*filled, "{\"A\":\"a\\\"b\",\"B\":\"http://h/p?q=1&r=2\"}");
  EXPECT_FALSE(FillPushTemplate(LinkMarker(2), "", "", {"only one"}).ok());
  EXPECT_FALSE(FillPushTemplate("\x01Z\x01", "", "", {}).ok());
  EXPECT_FALSE(FillPushTemplate("\x01" "E", "", "", {}).ok());
  EXPECT_FALSE(DecodePushPayload("no header").ok());
  EXPECT_FALSE(DecodePushPayload("{\"v\":2}\n{}").ok());
}

}  // namespace
}  // namespace causeway::services::ext_integration
