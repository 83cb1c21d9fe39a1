#include "services/case_exchange/entity_writer.h"

#include <gtest/gtest.h>

#include <boost/json.hpp>

#include "domain/changes/change_properties.h"
#include "domain/changes/workflow.h"
#include "services/case_exchange/entity_json.h"

namespace causeway::services::case_exchange {
namespace {
namespace json = boost::json;

std::string Str(std::string_view s) {
  std::string out;
  AppendJsonString(out, s);
  return out;
}

TEST(EntityWriterTest, StringsAreEscapedAsBoostJsonDoes) {
  const std::string rows[] = {"",
                              "plain ASCII",
                              "quote \" and back\\slash",
                              std::string("controls \x01\x1f\b\f\n\r\t and NUL \0 end", 31),
                              "DEL \x7f stays",
                              "UTF-8 \xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80",
                              "slash / stays"};
  for (const std::string& s : rows) EXPECT_EQ(Str(s), json::serialize(json::string(s))) << s;
  // Ill-formed UTF-8 becomes U+FFFD: the answer stays valid JSON.
  EXPECT_EQ(Str("bad \xff end \xc3"), "\"bad \xef\xbf\xbd end \xef\xbf\xbd\"");
  EXPECT_EQ(Str("\x01"), R"("\u0001")");
}

TEST(EntityWriterTest, ValuesAsBoostJsonWritesThem) {
  const changes::PropertyValue rows[] = {changes::PropertyValue(), true, false, int64_t{-42}, int64_t{1714550429000},
                                         1.5, 0.1, std::string("t\"x")};
  for (const auto& v : rows) {
    std::string out;
    AppendJsonValue(out, v);
    EXPECT_EQ(out, json::serialize(ToJson(v)));
  }
}

class EntityWriterEntityTest : public ::testing::Test {
 protected:
  void SetUp() override {
    tenant_.id = "1";
    tenant_.groups["20003"] = {"20003", "ServiceNow Fulfillment", "SNOW"};
    tenant_.people["10010"] = {"10010", "ana", "Ana", "Lopez", "ana@example.com", "", "", {}};
    state_ = std::make_shared<changes::ChangeState>();
    changes::Change& c = state_->change;
    c.id = "10001";
    c.display_label = "Patch \"routers\"";
    c.phase_id = "Log";
    c.owning_group = "20003";
    c.requested_by = "10010";
    c.created_ms = 1714550400000;
    c.updated_ms = 1714550401000;
    c.custom["Risk_c"] = int64_t{3};
    state_->comments = {{"7", "line\nbreak", "PUBLIC", false, 5, "10010", 1},
                        {"8", "secret", "PRIVATE", false, 6, "10010", 2},
                        {"9", "from SNOW", "PUBLIC", true, 7, "10020", 3}};
    state_->references = {{"11", "10001", "SNOW", "CHG1", "New", "change_request"}};
  }
  std::string Entity(const char* layout, const char* system = "SNOW") {
    changes::PolledOperation p{{"1", "10001", 2, system, "Update", 100, "comment 7", false}, state_};
    std::string out;
    AppendCaseExchangeEntity(out, p, tenant_, changes::DefaultWorkflows(), Layout::Parse(layout));
    return out;
  }
  changes::Tenant tenant_;
  std::shared_ptr<changes::ChangeState> state_;
};

TEST_F(EntityWriterEntityTest, LayoutPicksPropertiesAndRelatedFields) {
  EXPECT_EQ(Entity("DisplayLabel,RequestedByPerson.Email,Risk_c"),
            R"({"entity_type":"Change","properties":{"Id":"10001","DisplayLabel":"Patch \"routers\"","Risk_c":3},)"
            R"("related_properties":{"RequestedByPerson":{"Email":"ana@example.com"}},)"
            R"("ext_properties":{"Operation":"Update","ExternalSystem":"SNOW","ExternalId":"CHG1","ExternalStatus":"New","ExternalEntityType":"change_request"},)"
            R"("Comments":[{"Id":"7","Body":"line\nbreak","PrivacyType":"PUBLIC","IsSystem":false,"CreatedTime":5,"Submitter":{"UserId":"10010"}},)"
            R"({"Id":"9","Body":"from SNOW","PrivacyType":"PUBLIC","IsSystem":true,"CreatedTime":7,"Submitter":{"UserId":"10020"}}]})");
}

TEST_F(EntityWriterEntityTest, ARelationWithNothingAskedForIsLeftOutAndSoIsAnUnlinkedReference) {
  EXPECT_EQ(Entity("Id,OwningGroup.Name", "JIRA"),
            R"({"entity_type":"Change","properties":{"Id":"10001"},)"
            R"("related_properties":{"OwningGroup":{"Name":"ServiceNow Fulfillment"}},)"
            R"("ext_properties":{"Operation":"Update","ExternalSystem":"JIRA"},)"
            R"("Comments":[{"Id":"7","Body":"line\nbreak","PrivacyType":"PUBLIC","IsSystem":false,"CreatedTime":5,"Submitter":{"UserId":"10010"}},)"
            R"({"Id":"9","Body":"from SNOW","PrivacyType":"PUBLIC","IsSystem":true,"CreatedTime":7,"Submitter":{"UserId":"10020"}}]})");
}

TEST_F(EntityWriterEntityTest, WithoutLayoutEverythingAndTheTreeBuildersAgree) {
  std::string text = Entity("");
  json::value v = json::parse(text);  // well-formed
  const json::object& props = v.at("properties").as_object();
  EXPECT_EQ(props.at("Id").as_string(), "10001");
  EXPECT_EQ(props.at("MetaphaseId").as_string(), "Classification");
  EXPECT_EQ(props.at("LastUpdateTime").as_int64(), 1714550401000);
  EXPECT_EQ(props.at("ChangeAttachments").as_string(), R"({"complexTypeProperties":[]})");
  EXPECT_FALSE(props.contains("Description"));  // empty: null, left out
  EXPECT_EQ(v.at("related_properties").at("RequestedByPerson").at("FirstName").as_string(), "Ana");
  changes::PolledOperation p{{"1", "10001", 2, "SNOW", "Update", 100, "comment 7", false}, state_};
  EXPECT_EQ(json::serialize(CaseExchangeEntity(p, tenant_, changes::DefaultWorkflows(), Layout())), text);
  std::string change;
  AppendChangeEntity(change, *state_, tenant_, changes::DefaultWorkflows(), Layout());
  EXPECT_EQ(json::serialize(ChangeEntity(*state_, tenant_, changes::DefaultWorkflows(), Layout())), change);
  EXPECT_EQ(text.rfind(change.substr(0, change.size() - 1), 0), 0u);  // the poll entity extends it
}

// A page is written by one writer that remembers what its layout keeps: records with and without
// a requester, a group or custom fields, in any order, come out as a fresh writer writes each.
TEST_F(EntityWriterEntityTest, OneWriterForAPageWritesWhatAFreshOneWrites) {
  std::vector<std::shared_ptr<changes::ChangeState>> states;
  for (int i = 0; i < 8; ++i) {
    auto s = std::make_shared<changes::ChangeState>(*state_);
    if (i & 1) s->change.requested_by.clear();
    if (i & 2) s->change.owning_group.clear();
    if (i & 4) s->change.custom["Other_c"] = std::string("o");
    states.push_back(s);
  }
  for (const char* l : {"", "Id", "DisplayLabel,RequestedByPerson.Email,OwningGroup.Name,Other_c",
                        "RequestedByPerson,OwningGroup.ExternalSystem", "Risk_c,ChangeAttachments"}) {
    const Layout layout = Layout::Parse(l);
    const changes::WorkflowSet workflows = changes::DefaultWorkflows();  // outlives the writer
    EntityWriter page(tenant_, workflows, layout);
    for (int round = 0; round < 2; ++round)
      for (const auto& s : states) {
        changes::PolledOperation p{{"1", "10001", 2, "SNOW", "Update", 100, "c", false}, s};
        std::string reused, fresh;
        page.AppendCaseExchangeEntity(reused, p);
        EntityWriter(tenant_, changes::DefaultWorkflows(), layout).AppendCaseExchangeEntity(fresh, p);
        EXPECT_EQ(reused, fresh) << "layout " << l;
      }
  }
}

// A layout naming every property writes what no layout writes (the two take different paths).
TEST_F(EntityWriterEntityTest, ALayoutOfEveryPropertyWritesWhatNoLayoutWrites) {
  std::string every = "ChangeAttachments,Risk_c,RequestedByPerson,OwningGroup";
  for (std::string_view name : changes::WirePropertyNames()) every += "," + std::string(name);
  EXPECT_EQ(Entity(every.c_str()), Entity(""));
}

}  // namespace
}  // namespace causeway::services::case_exchange
