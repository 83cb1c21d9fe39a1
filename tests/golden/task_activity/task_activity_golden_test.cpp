// Golden files of ManageTaskActivityIn: every case in cases/*.txt runs, in file-name order,
// against ONE store (later cases see what earlier ones created), through the real router,
// security gate, SOAP engine, service and domain, on a fixed clock.
//
// Case format: ../golden_case.h, with the target as sent to the server ("#! contains" = the
// expected body is a substring, not all). Masked before comparison: ChangeStateID values, UUIDs the request did not contain (generated
// ones), fault Transaction IDs. CW_GOLDEN_UPDATE=1 rewrites the expected parts (review them!).
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <regex>

#include "golden_case.h"
#include "security/gateway_guard.h"
#include "security/password_hash.h"
#include "services/task_activity/testing/task_activity_stack.h"
#include "store/sqlite/sqlite_database.h"

namespace causeway::services::task_activity {
namespace {

namespace fs = std::filesystem;

std::string Mask(std::string body, const std::string& request_body) {
  body = std::regex_replace(body, std::regex("<ChangeStateID>[^<]*</ChangeStateID>"), "<ChangeStateID>*</ChangeStateID>");
  body = std::regex_replace(body, std::regex("Transaction ID [0-9A-F]{32}"), "Transaction ID *");
  std::regex uuid("<UUID>([0-9a-f-]{36})</UUID>");
  std::string out;
  auto begin = std::sregex_iterator(body.begin(), body.end(), uuid);
  size_t last = 0;
  for (auto it = begin; it != std::sregex_iterator(); ++it) {
    out += body.substr(last, it->position() - last);
    out += request_body.find((*it)[1].str()) == std::string::npos ? "<UUID>*</UUID>" : it->str();
    last = it->position() + it->length();
  }
  return out + body.substr(last);
}

class Golden : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("cw_tagolden_" + std::to_string(::getpid()));
    fs::remove_all(dir_);
    fs::create_directories(dir_);
    auto db = store::sqlite::SqliteDatabase::Open({.path = (dir_ / "g.db").string()});
    ASSERT_TRUE(db.ok());
    db_ = std::move(db).value();
    std::string hash = security::HashPassword("Welcome1!", 1000);
    security::ScenarioCatalog catalog = {{kScenario, {kGuardService}}, {"CAUSEWAY_CONTROL", {"CAUSEWAY_CONTROL"}}};
    users_ = std::make_unique<security::UserDirectory>(
        std::vector<security::UserConfig>{{.name = "TASK_SYNC", .password_hash = hash, .scenarios = {kScenario}},
                                          {.name = "NOARR", .password_hash = hash},
                                          {.name = "ADMIN", .password_hash = hash, .scenarios = {"CAUSEWAY_CONTROL"}}},
        catalog);
    sessions_ = std::make_unique<security::SessionCodec>(std::string(64, 'k'), security::SessionPolicy{}, clock_);
    guard_ = std::make_unique<security::GatewayGuard>(*users_, *sessions_, clock_, security::GuardOptions{});
    router_ = std::make_unique<http::Router>(guard_.get());
    auto stack = testing::StartTaskActivity(*db_, clock_, *router_, users_.get());
    ASSERT_TRUE(stack.ok()) << stack.error().text;
    stack_ = std::move(stack).value();
  }
  void TearDown() override {
    stack_ = {};
    db_.reset();
    fs::remove_all(dir_);
  }

  fs::path dir_;
  core::ManualClock clock_{core::FromUnixMillis(1714550400000)};  // 2024-05-01T08:00:00Z
  std::unique_ptr<store::sqlite::SqliteDatabase> db_;
  std::unique_ptr<security::UserDirectory> users_;
  std::unique_ptr<security::SessionCodec> sessions_;
  std::unique_ptr<security::GatewayGuard> guard_;
  std::unique_ptr<http::Router> router_;
  testing::TaskActivityStack stack_;
};

TEST_F(Golden, AllCasesInOrder) {
  const std::vector<std::string> files = golden::CaseFiles(CW_GOLDEN_DIR);
  ASSERT_GE(files.size(), 20u);
  for (const std::string& f : files) {
    SCOPED_TRACE(f);
    golden::GoldenCase c;
    ASSERT_EQ(golden::LoadCase(fs::path(CW_GOLDEN_DIR) / f, c, {.absolute_target = true}), "");
    c.request.headers.Add("Host", "causeway.test");
    http::Response r = router_->Handle(c.request);
    clock_.Advance(std::chrono::seconds(1));
    golden::CheckResponse(c, r, Mask(std::string(r.body_view()), c.request.body), {"content-type", "www-authenticate"});
  }
}

}  // namespace
}  // namespace causeway::services::task_activity
