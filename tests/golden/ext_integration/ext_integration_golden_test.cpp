// Golden files of Focused Build's wire contracts:
//  - cases/*.txt (format ../golden_case.h): every answer and error of EXT_INTEGRATION_SRV, run
//    against the real StatusService over WorkItems on a fresh temporary SQLite store holding
//    the demo customizing and the appendix sample (package 8000013587, items 8000013139 =
//    GUID 00505683226E1EE5B5AA9CEE1DADAC68 and 8000013588 = …DEC71), ManualClock
//    2016-07-04T14:06:12Z, caller FB_CONNECTOR. A modifying request is committed before its
//    answer is compared (a failed commit answers the error, as the module's endpoint does).
//    Directives ("#!" lines): `status <ticket> <E00xx>` sets a status through the control
//    plane's operation first; `inbound <guid> <ExtStatus…>` sends a status update first;
//    `hub_detail` turns on gateway_hub_detail.
//  - payload/*.json: the request bodies S1_CALL_EXT sends for the sample (package, then its
//    two items), byte for byte with EXTERNAL_ID "BFD-17"/"BFD-18" answered by the tool and
//    the links' signatures masked as <secKey>.
#include <boost/json.hpp>
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <regex>
#include <sstream>

#include "core/ascii.h"
#include "domain/workitems/demo_data.h"
#include "domain/workitems/object_repository.h"
#include "exchange/testing/fake_http_client.h"
#include "golden_case.h"
#include "odata/engine.h"
#include "services/common/unit_of_work_answer.h"
#include "services/ext_integration/payload_builder.h"
#include "services/ext_integration/push_kinds.h"
#include "services/ext_integration/status_service.h"
#include "store/migration.h"
#include "store/sqlite/sqlite_database.h"

namespace causeway::services::ext_integration {
namespace {

constexpr char kRoot[] = "https://127.0.0.1:8443/sap/opu/odata/SALM/EXT_INTEGRATION_SRV/";

class Stack {
 public:
  explicit Stack(const std::string& name, exchange::HttpClient* http = nullptr) {
    dir_ = std::filesystem::temp_directory_path() / ("cw_fbg_" + std::to_string(::getpid()) + "_" + name);
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
    db_ = std::move(store::sqlite::SqliteDatabase::Open({.path = (dir_ / "fb.db").string()})).value();
    EXPECT_TRUE(store::Migrate(*db_, workitems::WorkItemMigrations()).ok());
    if (http) {
      context_->Set(std::make_shared<const DocumentLinks>("golden key", std::chrono::hours(2), "CWY"), &clock_);
      exchange::Destination d;
      d.name = "JIRA_DEMO";
      d.base_url = "http://127.0.0.1:8083";
      outbox_ = std::move(exchange::Outbox::Open(*db_, clock_, *http,
                                                 {.destinations = {d}, .kinds = PushKinds(context_),
                                                  .stop_timeout = std::chrono::seconds(2)}))
                    .value();
    }
    items_ = std::make_unique<workitems::WorkItems>(
        *db_, clock_, outbox_.get(), builder_,
        workitems::WorkItemsOptions{.sap_client = "200", .system_guid = "00505683226E1EE5AED98BF0E4AD82E1"});
    EXPECT_TRUE(items_->Open().ok());
    EXPECT_TRUE(items_->UseCustomizing(workitems::DemoCustomizing()).ok());
    EXPECT_TRUE(workitems::SeedDemoObjects(*items_).ok());
  }
  ~Stack() {
    items_.reset();
    outbox_.reset();
    db_.reset();
    std::filesystem::remove_all(dir_);
  }

  std::shared_ptr<const odata::Engine> Engine(bool hub_detail) {
    auto service = std::make_shared<StatusService>(*items_, *db_, hub_detail);
    return std::shared_ptr<const odata::Engine>(odata::Engine::Create(service, {.clock = &clock_}).value());
  }

  core::ManualClock clock_{core::FromUnixMillis(1467641172000)};  // 2016-07-04T14:06:12Z
  std::filesystem::path dir_;
  std::unique_ptr<store::sqlite::SqliteDatabase> db_;
  JsonPayloadBuilder builder_;
  std::shared_ptr<SendContext> context_ = std::make_shared<SendContext>();
  std::unique_ptr<exchange::Outbox> outbox_;
  std::unique_ptr<workitems::WorkItems> items_;
};

// As the module's endpoint answers: modifying requests in a unit of work, committed first.
http::Response Answer(const odata::Engine& engine, store::Database& db, bool hub, const http::Request& req,
                      const odata::RoutedRequest& routed) {
  if (req.method == "GET" || req.method == "HEAD") return engine.Handle(req, routed);
  http::Response res = AnswerAfterCommit(db, [&] { return engine.Handle(req, routed); });
  if (res.after) {
    core::Status st = res.after->Wait();
    res.after.reset();
    if (!st.ok()) return engine.ErrorResponse(req, routed.query, AsServiceError(st.error(), hub));
  }
  return res;
}

class ExtIntegrationGoldenTest : public ::testing::TestWithParam<std::string> {};

TEST_P(ExtIntegrationGoldenTest, Matches) {
  const std::filesystem::path file = std::filesystem::path(CW_GOLDEN_DIR) / "cases" / GetParam();
  golden::GoldenCase c;
  ASSERT_EQ(golden::LoadCase(file, c), "");
  Stack stack(golden::CaseTestName(GetParam()));
  bool hub = false;
  for (const auto& d : c.directives) {
    std::istringstream in(d);
    std::string verb, a;
    in >> verb >> a;
    if (verb == "hub_detail") {
      hub = true;
    } else if (verb == "status") {
      std::string status;
      in >> status;
      auto r = stack.items_->SetStatus(a, status, {"TESTER", ""});
      ASSERT_TRUE(r.ok()) << r.error().text;
    } else if (verb == "inbound") {
      std::string rest;
      std::getline(in, rest);
      ASSERT_TRUE(stack.items_->SetStatusFromExternal(a, "", std::string(core::Trim(rest)), "FB_CONNECTOR").ok());
    } else {
      FAIL() << "unknown directive " << d;
    }
  }
  auto engine = stack.Engine(hub);
  c.request.user = "FB_CONNECTOR";
  odata::RoutedRequest routed{kRoot, c.resource_path, c.query};
  http::Response resp = Answer(*engine, *stack.db_, hub, c.request, routed);
  golden::CheckResponse(c, resp, golden::MaskVolatile(resp.body));
}

std::vector<std::string> Cases() { return golden::CaseFiles(std::filesystem::path(CW_GOLDEN_DIR) / "cases"); }

INSTANTIATE_TEST_SUITE_P(ExtIntegration, ExtIntegrationGoldenTest, ::testing::ValuesIn(Cases()),
                         [](const auto& param_info) { return golden::CaseTestName(param_info.param); });

// The guide's appendix 5.2 example itself ("Start Development" unmapped for ticket 8000013139):
// byte for byte the cleaned fixture, but for the transaction id and time stamp.
TEST(ExtIntegrationErrorGolden, TheAppendixErrorIsTheFixture) {
  Stack stack("appendix_error");
  workitems::Customizing c = workitems::DemoCustomizing();
  for (auto& p : c.profiles[0].process_types) std::erase_if(p.inbound_status, [](const auto& m) {
      return m.external_status == "Start Development";
    });
  ASSERT_TRUE(stack.items_->UseCustomizing(c).ok());
  auto engine = stack.Engine(false);
  http::Request req;
  req.method = "PUT";
  req.user = "FB_CONNECTOR";
  req.headers.Add("Content-Type", "application/json");
  req.headers.Add("Accept", "application/json");
  req.body = golden::ReadFile(std::filesystem::path(CW_GOLDEN_DIR) / "fixtures" / "status-update-request.json");
  odata::RoutedRequest routed{kRoot, "StatusSet(Guid='00505683226E1EE5B5AA9CEE1DADAC68')", ""};
  http::Response resp = Answer(*engine, *stack.db_, false, req, routed);
  EXPECT_EQ(resp.status, 500);
  const std::string fixture = golden::ReadFile(std::filesystem::path(CW_GOLDEN_DIR) / "fixtures" / "status-update-error-response.json");
  auto normalize = [](const std::string& body) {
    boost::json::value v = boost::json::parse(body);
    auto& inner = v.as_object()["error"].as_object()["innererror"].as_object();
    inner["transactionid"] = "<masked>";
    inner["timestamp"] = "<masked>";
    return boost::json::serialize(v);
  };
  EXPECT_EQ(normalize(resp.body), normalize(fixture));
}

// What the outbox sends when the sample is handed over, against a tool answering like SAP's
// Jira connector (201, OData V4 body).
TEST(ExtIntegrationPayloadGolden, HandOverOfTheSampleSendsTheAppendixPayloads) {
  exchange::testing::FakeHttpClient http;
  int created = 17;
  http.SetResponder([&](const exchange::OutboundRequest& r) {
    if (r.method != "POST") return exchange::testing::Answer(204);
    return exchange::testing::Answer(
        201, R"({"@odata.context":"$metadata#Issues","EXTERNAL_ID":"BFD-)" + std::to_string(created++) + R"("})");
  });
  Stack stack("payload", &http);
  auto handed = stack.items_->HandOver("8000013587", {"testuser", "http://examplehost.domain:50089"});
  ASSERT_TRUE(handed.ok()) << handed.error().text;
  ASSERT_EQ(handed->pushes.size(), 3u);
  ASSERT_TRUE(stack.outbox_->WaitUntil(
      [&] {
        auto d = stack.outbox_->Get(handed->pushes.back().message);
        return d.ok() && d->message.state == exchange::MessageState::kDelivered;
      },
      std::chrono::seconds(20)));
  const auto requests = http.Requests();
  ASSERT_EQ(requests.size(), 3u);
  const char* names[] = {"wp_create_8000013587.json", "wi_create_8000013139.json", "wi_create_8000013588.json"};
  for (size_t i = 0; i < 3; ++i) {
    const auto& r = requests[i];
    EXPECT_EQ(r.method, "POST");
    EXPECT_EQ(r.path, "/plugins/servlet/IssueService.svc/Issues");
    EXPECT_EQ(r.headers.Get("Content-Type"), "application/json");
    std::string body = std::regex_replace(r.body, std::regex("secKey=[A-Za-z0-9%]+"), "secKey=<secKey>");
    const std::filesystem::path file = std::filesystem::path(CW_GOLDEN_DIR) / "payload" / names[i];
    if (std::getenv("CW_GOLDEN_UPDATE")) {
      std::ofstream(file, std::ios::binary) << body << "\n";
      continue;
    }
    EXPECT_EQ(body + "\n", golden::ReadFile(file)) << file;
  }
}

}  // namespace
}  // namespace causeway::services::ext_integration
