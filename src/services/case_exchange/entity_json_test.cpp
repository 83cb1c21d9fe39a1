#include "services/case_exchange/entity_json.h"

#include <gtest/gtest.h>

namespace causeway::services::case_exchange {
namespace {
namespace json = boost::json;

json::object Parse(std::string_view text) { return json::parse(text).as_object(); }

TEST(EntityJsonTest, IncomingEntity) {
  auto op = ParseIncoming(Parse(R"({"entity_type":"Change","properties":{"Id":"10001","Count_c":3,"Flag_c":true,
      "Gone_c":null,"ChangeAttachments":"{\"complexTypeProperties\":[{\"properties\":{\"id\":\"abc\",\"size\":\"12\"}}]}"},
      "Comments":[{"Body":"hi","IsSystem":false,"CreatedTime":1714549000000,"PrivacyType":"PUBLIC","Submitter":{"UserId":"10020"}}],
      "ext_properties":{"ExternalSystem":"SNOW","Operation":"Update","ExternalId":"CHG1","ExternalStatus":null}})"));
  ASSERT_TRUE(op.ok()) << op.error().text;
  EXPECT_EQ(op->entity_type, "Change");
  ASSERT_EQ(op->input.properties.size(), 4u);
  EXPECT_EQ(std::get<int64_t>(op->input.properties[1].second), 3);
  EXPECT_EQ(std::get<bool>(op->input.properties[2].second), true);
  EXPECT_TRUE(changes::IsNull(op->input.properties[3].second));
  ASSERT_TRUE(op->input.attachments.has_value());
  ASSERT_EQ(op->input.attachments->size(), 1u);
  EXPECT_EQ((*op->input.attachments)[0].id, "abc");
  EXPECT_EQ((*op->input.attachments)[0].size, 12);
  ASSERT_EQ(op->input.comments.size(), 1u);
  EXPECT_EQ(op->input.comments[0].submitter, "10020");
  EXPECT_EQ(op->input.comments[0].created_ms, 1714549000000);
  EXPECT_EQ(op->ext.operation, "Update");
  EXPECT_EQ(op->ext.external_id, "CHG1");
  EXPECT_EQ(op->ext.external_status, std::nullopt);  // null: not given, the stored value stays
}

TEST(EntityJsonTest, IncomingRefusals) {
  struct Row {
    const char* body;
    const char* target;
  };
  const Row rows[] = {
      {R"({"entity_type":"Change","properties":{}})", "ext_properties"},
      {R"({"entity_type":"Change","ext_properties":{"Operation":"Update"}})", "ExternalSystem"},
      {R"({"entity_type":"Change","ext_properties":{"ExternalSystem":"SNOW"}})", "Operation"},
      {R"({"properties":{"X":{"a":1}},"ext_properties":{"ExternalSystem":"S","Operation":"Update"}})", "X"},
      {R"({"properties":[],"ext_properties":{"ExternalSystem":"S","Operation":"Update"}})", "properties"},
      {R"({"Comments":{},"ext_properties":{"ExternalSystem":"S","Operation":"Update"}})", "Comments"},
      {R"({"Comments":[{"IsSystem":true}],"ext_properties":{"ExternalSystem":"S","Operation":"Update"}})", "Body"},
      {R"({"properties":{"ChangeAttachments":"[]"},"ext_properties":{"ExternalSystem":"S","Operation":"Update"}})",
       "ChangeAttachments"},
      {R"({"properties":{"ChangeAttachments":5},"ext_properties":{"ExternalSystem":"S","Operation":"Update"}})",
       "ChangeAttachments"},
      // A size that is no byte count: negative, beyond int64 (converting it was undefined), text.
      {R"({"properties":{"ChangeAttachments":"{\"complexTypeProperties\":[{\"properties\":{\"id\":\"a\",\"size\":-5}}]}"},)"
       R"("ext_properties":{"ExternalSystem":"S","Operation":"Update"}})",
       "ChangeAttachments"},
      {R"({"properties":{"ChangeAttachments":"{\"complexTypeProperties\":[{\"properties\":{\"id\":\"a\",\"size\":1e300}}]}"},)"
       R"("ext_properties":{"ExternalSystem":"S","Operation":"Update"}})",
       "ChangeAttachments"},
      {R"({"properties":{"ChangeAttachments":"{\"complexTypeProperties\":[{\"properties\":{\"id\":\"a\",\"size\":\"big\"}}]}"},)"
       R"("ext_properties":{"ExternalSystem":"S","Operation":"Update"}})",
       "ChangeAttachments"},
  };
  for (const Row& r : rows) {
    auto op = ParseIncoming(Parse(r.body));
    ASSERT_FALSE(op.ok()) << r.body;
    EXPECT_EQ(op.error().target, r.target) << r.body;
    EXPECT_EQ(op.error().HttpStatus(), 400);
  }
}

TEST(EntityJsonTest, AttachmentsRoundTrip) {
  std::vector<changes::Attachment> list = {{"f00d", "plan.pdf", "pdf", "application/pdf", "10010", 4, 1714550429000}};
  std::string text = AttachmentsJsonString(list);
  EXPECT_EQ(text,
            R"({"complexTypeProperties":[{"properties":{"id":"f00d","file_name":"plan.pdf","file_extension":"pdf","size":4,"mime_type":"application/pdf","Creator":"10010","LastUpdateTime":1714550429000}}]})");
  auto back = ParseAttachments(text);
  ASSERT_TRUE(back.ok());
  EXPECT_EQ(*back, list);
  EXPECT_TRUE(ParseAttachments("")->empty());
  EXPECT_EQ(AttachmentsJsonString({}), R"({"complexTypeProperties":[]})");
}

TEST(EntityJsonTest, LayoutPicksPropertiesAndRelatedFields) {
  Layout all = Layout::Parse("");
  EXPECT_TRUE(all.all());
  EXPECT_TRUE(all.HasRelated("RequestedByPerson", "Email"));
  Layout l = Layout::Parse(" Id, DisplayLabel ,RequestedByPerson.Email,OwningGroup");
  EXPECT_TRUE(l.Has("DisplayLabel"));
  EXPECT_FALSE(l.Has("Description"));
  EXPECT_TRUE(l.HasRelated("RequestedByPerson", "Email"));
  EXPECT_FALSE(l.HasRelated("RequestedByPerson", "FirstName"));
  EXPECT_TRUE(l.HasRelated("OwningGroup", "Name"));  // the relation named: all its fields
}

TEST(EntityJsonTest, CaseExchangeEntityShowsPublicCommentsAndReference) {
  changes::Tenant t;
  t.id = "1";
  t.groups["20003"] = {"20003", "SN", "SNOW"};
  auto state = std::make_shared<changes::ChangeState>();
  state->change.id = "10001";
  state->change.owning_group = "20003";
  state->comments = {{"7", "public", "PUBLIC", false, 5, "10010", 1}, {"8", "secret", "PRIVATE", false, 6, "10010", 2}};
  state->references = {{"9", "10001", "SNOW", "CHG1", "New", "change_request"}};
  changes::PolledOperation p{{"1", "10001", 1, "SNOW", "Update", 100, "comment 7", false}, state};
  json::object e = CaseExchangeEntity(p, t, changes::DefaultWorkflows(), Layout::Parse("Id"));
  EXPECT_EQ(json::serialize(e),
            R"({"entity_type":"Change","properties":{"Id":"10001"},"related_properties":{},)"
            R"("ext_properties":{"Operation":"Update","ExternalSystem":"SNOW","ExternalId":"CHG1","ExternalStatus":"New","ExternalEntityType":"change_request"},)"
            R"("Comments":[{"Id":"7","Body":"public","PrivacyType":"PUBLIC","IsSystem":false,"CreatedTime":5,"Submitter":{"UserId":"10010"}}]})");
}

}  // namespace
}  // namespace causeway::services::case_exchange
