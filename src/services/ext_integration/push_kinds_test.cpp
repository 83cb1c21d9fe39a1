#include "services/ext_integration/push_kinds.h"

#include <boost/json.hpp>
#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "domain/workitems/push.h"
#include "services/ext_integration/push_payload.h"

namespace causeway::services::ext_integration {
namespace {

namespace json = boost::json;

std::string Fixture(const std::string& name) {
  std::ifstream in(std::string(CW_FB_FIXTURES) + "/" + name);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

TEST(PushKindsTest, ExternalIdComesFromEveryAnswerShape) {
  struct Case {
    std::string body, id, error;
  };
  const std::vector<Case> cases = {
      {Fixture("create-response-odata-v4.json"), "BFD-17", ""},
      {R"({"d":{"__metadata":{"type":"X"},"EXTERNAL_ID":"JIRA-1"}})", "JIRA-1", ""},
      {R"({"EXTERNAL_ID":"PLAIN-2","TICKET_GUID":null})", "PLAIN-2", ""},
      {R"({"EXTERNAL_ID":4711})", "4711", ""},
      {R"({"@odata.context":"$metadata#Issues","EXTERNAL_ID":null})", "", "carries no EXTERNAL_ID"},
      {R"({"id":"x"})", "", "carries no EXTERNAL_ID"},
      {R"({"EXTERNAL_ID":""})", "", "EXTERNAL_ID is empty"},
      {R"({"EXTERNAL_ID":["a"]})", "", "neither a string nor a number"},
      {"", "", "not a JSON object"},
      {"<entry/>", "", "not a JSON object"},
  };
  for (const auto& c : cases) {
    auto r = ExternalIdOfAnswer(c.body);
    if (c.error.empty()) {
      ASSERT_TRUE(r.ok()) << c.body;
      EXPECT_EQ(*r, c.id);
    } else {
      ASSERT_FALSE(r.ok()) << c.body;
      EXPECT_NE(r.error().text.find(c.error), std::string::npos) << r.error().text;
    }
  }
}

class PushKindsRequestTest : public ::testing::Test {
 protected:
  void SetUp() override {
    context_->Set(std::make_shared<const DocumentLinks>("k", std::chrono::hours(2), "CWY"), &clock_);
    kinds_ = PushKinds(context_);
    PushEnvelope e;
    e.ticket_id = "8000013587";
    e.create_method = "POST";
    e.create_uri = "/plugins/servlet/IssueService.svc/Issues";
    e.update_method = "PUT";
    e.update_uri = "/plugins/servlet/IssueService.svc/Issues('#EXTERNAL_ID#')";
    e.link_base = "https://solman.example:50089";
    e.sap_client = "100";
    e.links = {{true, "00505683226E1EE69A4C5B6D7E8F9001", "Attachment.docx"}};
    payload_ = EncodePushPayload(e, std::string("{\"EXTERNAL_ID\":\"") + std::string(kExternalIdMarker) +
                                        "\",\"PARENT_EXTERNAL_ID\":\"" + std::string(kParentExternalIdMarker) +
                                        "\",\"URL\":\"" + LinkMarker(0) + "\"}");
  }
  exchange::OutgoingMessage Message(std::string_view kind, const exchange::DependencyResult* dependency) const {
    exchange::OutgoingMessage m;
    m.kind = kind;
    m.payload = payload_;
    m.dependency = dependency;
    return m;
  }

  core::ManualClock clock_{core::FromUnixMillis(1467727595000)};  // 2016-07-05T14:06:35Z
  std::shared_ptr<SendContext> context_ = std::make_shared<SendContext>();
  exchange::KindRegistry kinds_;
  std::string payload_;
};

TEST_F(PushKindsRequestTest, PackageCreatePostsWithEmptyIdsAndSignedLinks) {
  const auto& kind = *kinds_.at(workitems::kKindWpCreate);
  EXPECT_TRUE(kind.creates());
  auto r = kind.BuildRequest(Message(workitems::kKindWpCreate, nullptr));
  ASSERT_TRUE(r.ok()) << r.error().text;
  EXPECT_EQ(r->method, "POST");
  EXPECT_EQ(r->path, "/plugins/servlet/IssueService.svc/Issues");
  EXPECT_EQ(r->headers.Get("Content-Type"), "application/json");
  json::object body = json::parse(r->body).as_object();
  EXPECT_EQ(body["EXTERNAL_ID"].as_string(), "");
  EXPECT_EQ(body["PARENT_EXTERNAL_ID"].as_string(), "");
  std::string url(body["URL"].as_string());
  EXPECT_EQ(url.rfind("https://solman.example:50089/sap/bc/contentserver/100?get&pVersion=0046&contRep=CRMORDER&docId="
                      "00505683226E1EE69A4C5B6D7E8F9001&compId=Attachment.docx&accessMode=r&authId=CN%3DCWY"
                      "&expiration=20160705160635&secKey=",
                      0),
            0u)
      << url;
  exchange::HttpOutcome answer;
  answer.status = 201;
  answer.body = Fixture("create-response-odata-v4.json");
  EXPECT_EQ(kind.ResultOf(Message(workitems::kKindWpCreate, nullptr), answer).value(), R"({"EXTERNAL_ID":"BFD-17"})");
  answer.body = R"({"@odata.context":"$metadata#Issues"})";
  EXPECT_FALSE(kind.ResultOf(Message(workitems::kKindWpCreate, nullptr), answer).ok());
}

TEST_F(PushKindsRequestTest, ItemCreateNamesItsParentAndKeepsIt) {
  const auto& kind = *kinds_.at(workitems::kKindWiCreate);
  exchange::DependencyResult parent{.message = 1, .object_key = "P", .state = exchange::MessageState::kDelivered,
                                    .result = R"({"EXTERNAL_ID":"BFD-17"})"};
  auto r = kind.BuildRequest(Message(workitems::kKindWiCreate, &parent));
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(json::parse(r->body).as_object().at("PARENT_EXTERNAL_ID").as_string(), "BFD-17");
  exchange::HttpOutcome answer;
  answer.status = 201;
  answer.body = R"({"EXTERNAL_ID":"BFD-18"})";
  EXPECT_EQ(kind.ResultOf(Message(workitems::kKindWiCreate, &parent), answer).value(),
            R"({"EXTERNAL_ID":"BFD-18","PARENT_EXTERNAL_ID":"BFD-17"})");
  // The package's create was skipped: nothing to name, the message fails with the reason.
  exchange::DependencyResult skipped{.message = 1, .object_key = "P", .state = exchange::MessageState::kSkipped};
  auto refused = kind.BuildRequest(Message(workitems::kKindWiCreate, &skipped));
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().text,
            "the work package of ticket 8000013587 has no EXTERNAL_ID: its create was not delivered (skipped)");
}

TEST_F(PushKindsRequestTest, UpdatesPutToTheUpdateUriWithTheEncodedExternalId) {
  const auto& kind = *kinds_.at(workitems::kKindWiUpdate);
  EXPECT_FALSE(kind.creates());
  exchange::DependencyResult own{.message = 0, .object_key = "I",
                                 .result = R"({"EXTERNAL_ID":"BRF 1/2'x","PARENT_EXTERNAL_ID":"BFD-17"})"};
  auto r = kind.BuildRequest(Message(workitems::kKindWiUpdate, &own));
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->method, "PUT");
  EXPECT_EQ(r->path, "/plugins/servlet/IssueService.svc/Issues('BRF%201%2F2%27x')");
  json::object body = json::parse(r->body).as_object();
  EXPECT_EQ(body["EXTERNAL_ID"].as_string(), "BRF 1/2'x");
  EXPECT_EQ(body["PARENT_EXTERNAL_ID"].as_string(), "BFD-17");
  auto none = kind.BuildRequest(Message(workitems::kKindWiUpdate, nullptr));
  ASSERT_FALSE(none.ok());
  EXPECT_NE(none.error().text.find("ticket 8000013587 has no EXTERNAL_ID"), std::string::npos);
}

TEST(SendContextTest, WaitsForTheModuleAtMostTheTimeout) {
  SendContext context;
  EXPECT_FALSE(context.Get(std::chrono::milliseconds(1)).has_value());
  core::ManualClock clock{core::FromUnixMillis(0)};
  context.Set(std::make_shared<const DocumentLinks>("k", std::chrono::hours(2), "CWY"), &clock);
  auto got = context.Get(std::chrono::milliseconds(0));
  ASSERT_TRUE(got.has_value());
  EXPECT_EQ(got->clock, &clock);
}

}  // namespace
}  // namespace causeway::services::ext_integration
