// Golden files of BusinessAgreementReplicationIn and the message monitor: every case in
// cases/*.txt runs, in file-name order, against ONE store (later cases see what earlier ones
// did), through the real router, security gate, SOAP engine, message store, processor, service
// and domain, on a fixed clock that moves one second per case. After every case the processor
// processes whatever is claimable (so a case that sends a message is followed by cases that
// look at its outcome through the control plane).
//
// Case format: ../golden_case.h, with the target as sent to the server ("#! contains" = the
// expected body is a substring, not all). Masked before comparison: change state IDs, UUIDs no earlier request contained (generated
// ones), fault transaction IDs (32 hex digits). CW_GOLDEN_UPDATE=1 rewrites the expected parts
// (review them!).
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <regex>

#include "golden_case.h"
#include "security/gateway_guard.h"
#include "security/password_hash.h"
#include "services/business_agreement/testing/business_agreement_stack.h"
#include "soap/inbound_processor.h"
#include "store/sqlite/sqlite_database.h"

namespace causeway::services::business_agreement {
namespace {

namespace fs = std::filesystem;

std::string Mask(std::string body, const std::string& requests_so_far) {
  body = std::regex_replace(body, std::regex("\"change_state_id\":\"[^\"]*\""), "\"change_state_id\":\"*\"");
  // Fault transaction IDs (in fault texts, and as the monitor's IDs and cursors of faults).
  body = std::regex_replace(body, std::regex("[0-9A-F]{32}"), "*");
  std::regex uuid("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");
  std::string out;
  size_t last = 0;
  for (auto it = std::sregex_iterator(body.begin(), body.end(), uuid); it != std::sregex_iterator(); ++it) {
    out += body.substr(last, it->position() - last);
    out += requests_so_far.find(it->str()) == std::string::npos ? "*uuid*" : it->str();
    last = it->position() + it->length();
  }
  return out + body.substr(last);
}

class Golden : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("cw_buaggolden_" + std::to_string(::getpid()));
    fs::remove_all(dir_);
    fs::create_directories(dir_);
    auto db = store::sqlite::SqliteDatabase::Open({.path = (dir_ / "g.db").string()});
    ASSERT_TRUE(db.ok());
    db_ = std::move(db).value();
    std::string hash = security::HashPassword("Welcome1!", 1000);
    security::ScenarioCatalog catalog = {{kScenario, {kGuardService}}, {"CAUSEWAY_CONTROL", {"CAUSEWAY_CONTROL"}}};
    users_ = std::make_unique<security::UserDirectory>(
        std::vector<security::UserConfig>{{.name = "BUAG_REPL", .password_hash = hash, .scenarios = {kScenario}},
                                          {.name = "NOARR", .password_hash = hash},
                                          {.name = "ADMIN", .password_hash = hash, .scenarios = {"CAUSEWAY_CONTROL"}}},
        catalog);
    sessions_ = std::make_unique<security::SessionCodec>(std::string(64, 'k'), security::SessionPolicy{}, clock_);
    guard_ = std::make_unique<security::GatewayGuard>(*users_, *sessions_, clock_, security::GuardOptions{});
    router_ = std::make_unique<http::Router>(guard_.get());
    auto stack = testing::StartBusinessAgreement(*db_, clock_, *router_, users_.get());
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
  testing::BusinessAgreementStack stack_;
};

TEST_F(Golden, AllCasesInOrder) {
  const std::vector<std::string> files = golden::CaseFiles(CW_GOLDEN_DIR);
  ASSERT_GE(files.size(), 40u);
  std::string requests_so_far;
  for (const std::string& f : files) {
    SCOPED_TRACE(f);
    golden::GoldenCase c;
    ASSERT_EQ(golden::LoadCase(fs::path(CW_GOLDEN_DIR) / f, c, {.absolute_target = true}), "");
    c.request.headers.Add("Host", "causeway.test");
    requests_so_far += c.request.target + c.request.body;
    http::Response r = golden::AwaitAfter(router_->Handle(c.request));
    auto drained = stack_.module->processor().Drain();
    ASSERT_TRUE(drained.ok()) << drained.error().text;
    clock_.Advance(std::chrono::seconds(1));
    golden::CheckResponse(c, r, Mask(std::string(r.body_view()), requests_so_far),
                          {"content-type", "www-authenticate"});
  }
}

}  // namespace
}  // namespace causeway::services::business_agreement
