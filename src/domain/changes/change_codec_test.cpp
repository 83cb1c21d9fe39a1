#include "domain/changes/change_codec.h"

#include <gtest/gtest.h>

#include <cmath>

namespace causeway::changes {
namespace {

Change Full() {
  Change c;
  c.id = "10001";
  c.display_label = "Patch \"routers\" \\ now\n\xc3\xa9\xe2\x82\xac";
  c.description = "Firmware";
  c.change_type = "Emergency";
  c.change_model = "Router patch";
  c.phase_id = "Plan";
  c.urgency = "TotalLossOfService";
  c.impact_scope = "Enterprise";
  c.reason_for_change = "Security";
  c.justification = "CVE";
  c.category = "Network";
  c.service = "WAN";
  c.requested_by = "10010";
  c.owning_group = "20003";
  c.completion_code = "Withdrawn";
  c.attachments = {{"f00d", "plan.pdf", "pdf", "application/pdf", "10010", 4, 1714550429000},
                   {"beef", "", "", "", "", 0, 0}};
  c.custom = {{"A_c", PropertyValue()}, {"B_c", true}, {"C_c", int64_t{-7}}, {"D_c", 1.5}, {"E_c", -0.0},
              {"F_c", std::string("t\"x")}};
  c.created_ms = 1714550400000;
  c.updated_ms = 1714550401000;
  c.version = 9;
  c.operation_count = 4;
  c.last_operation_ms = 1714550402000;
  c.comment_count = 3;
  c.cancel_generated = true;
  return c;
}

TEST(ChangeCodecTest, RoundTrip) {
  const Change c = Full();
  auto back = DecodeChange(EncodeChange(c));
  ASSERT_TRUE(back.ok()) << back.error().text;
  EXPECT_EQ(EncodeChange(*back), EncodeChange(c));
  EXPECT_EQ(back->display_label, c.display_label);
  EXPECT_EQ(back->attachments, c.attachments);
  ASSERT_EQ(back->custom.size(), 6u);
  EXPECT_TRUE(IsNull(back->custom.at("A_c")));
  EXPECT_EQ(std::get<int64_t>(back->custom.at("C_c")), -7);
  EXPECT_TRUE(std::signbit(std::get<double>(back->custom.at("E_c"))));
  EXPECT_EQ(back->comment_count, 3);
  EXPECT_TRUE(back->cancel_generated);
  Change minimal;
  minimal.id = "1";
  back = DecodeChange(EncodeChange(minimal));
  ASSERT_TRUE(back.ok());
  EXPECT_EQ(EncodeChange(*back), EncodeChange(minimal));
}

// Documents are read member by member as a tree would be: unknown members skipped, a member of
// another type read as empty, 0 or false, a custom value that is no scalar as null.
TEST(ChangeCodecTest, ReadsOddMembersAsEmpty) {
  auto c = DecodeChange(
      R"({"zz":{"id":"no","a":[1,{"b":2}]},"id":"7","display_label":5,"version":"3","comment_count":2.5,)"
      R"("created_ms":18446744073709551615,"cancel_generated":"true","phase_id":{"x":1},"urgency":["Low"],)"
      R"("custom":{"A_c":[1],"B_c":{"c":{}},"C_c":"x","D_c":18446744073709551615},)"
      R"("attachments":[{"id":"f","size":"4","file_name":{"n":1},"last_update_ms":5,"more":[[]]}],"description":"d"})");
  ASSERT_TRUE(c.ok()) << c.error().text;
  EXPECT_EQ(c->id, "7");
  EXPECT_EQ(c->display_label, "");
  EXPECT_EQ(c->version, 0);
  EXPECT_EQ(c->comment_count, 0);
  EXPECT_EQ(c->created_ms, -1);  // an unsigned number as its 64 bits
  EXPECT_FALSE(c->cancel_generated);
  EXPECT_EQ(c->phase_id, "");
  EXPECT_EQ(c->urgency, "");      // not Change's default: what the document holds
  EXPECT_EQ(c->change_type, "");  // missing
  EXPECT_EQ(c->description, "d");
  ASSERT_EQ(c->custom.size(), 4u);
  EXPECT_TRUE(IsNull(c->custom.at("A_c")));
  EXPECT_TRUE(IsNull(c->custom.at("B_c")));
  EXPECT_EQ(std::get<std::string>(c->custom.at("C_c")), "x");
  EXPECT_EQ(std::get<int64_t>(c->custom.at("D_c")), -1);
  ASSERT_EQ(c->attachments.size(), 1u);
  EXPECT_EQ(c->attachments[0].id, "f");
  EXPECT_EQ(c->attachments[0].size, 0);
  EXPECT_EQ(c->attachments[0].file_name, "");
  EXPECT_EQ(c->attachments[0].last_update_ms, 5);
  // attachments or custom of another kind are not read
  c = DecodeChange(R"({"id":"7","attachments":{"id":"f"},"custom":[1]})");
  ASSERT_TRUE(c.ok());
  EXPECT_TRUE(c->attachments.empty());
  EXPECT_TRUE(c->custom.empty());
}

TEST(ChangeCodecTest, DamagedDocuments) {
  const char* rows[] = {
      "",
      "not json",
      R"({"id":"7")",             // cut off
      R"(["id","7"])",            // not an object
      R"("7")",
      R"({"display_label":"x"})",  // no id
      R"({"id":""})",
      R"({"id":"7","attachments":["f"]})",  // an attachment that is not an object
      R"({"id":"7","attachments":[[]]})",
      R"({"id":"7","attachments":[null]})",
      "{\"id\":\"7\",\"display_label\":\"\xff\"}",  // ill-formed UTF-8
  };
  for (const char* doc : rows) {
    auto c = DecodeChange(doc);
    ASSERT_FALSE(c.ok()) << doc;
    EXPECT_EQ(c.error().GatewayCode(), "CAUSEWAY/CX/090") << doc;
  }
}

}  // namespace
}  // namespace causeway::changes
