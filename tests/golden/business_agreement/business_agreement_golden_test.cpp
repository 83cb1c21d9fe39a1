// Golden files of BusinessAgreementReplicationIn and the message monitor: every case in
// cases/*.txt runs, in file-name order, against ONE store (later cases see what earlier ones
// did), through the real router, security gate, SOAP engine, message store, processor, service
// and domain, on a fixed clock that moves one second per case. After every case the processor
// processes whatever is claimable (so a case that sends a message is followed by cases that
// look at its outcome through the control plane).
//
// Case format (one per file):
//   # name and description lines; "#! contains" = the expected body is a substring, not all
//   METHOD target HTTP/1.1
//   header: value ...                (then an empty line)
//   request body
//   ===
//   status
//   header: value ...                (each listed header must match exactly; then an empty line)
//   expected body
// Masked before comparison: change state IDs, UUIDs no earlier request contained (generated
// ones), fault transaction IDs (32 hex digits). CW_GOLDEN_UPDATE=1 rewrites the expected parts
// (review them!).
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <regex>
#include <set>
#include <sstream>

#include "security/gateway_guard.h"
#include "security/password_hash.h"
#include "services/business_agreement/testing/business_agreement_stack.h"
#include "soap/inbound_processor.h"
#include "store/sqlite/sqlite_database.h"

namespace causeway::services::business_agreement {
namespace {

namespace fs = std::filesystem;

struct Case {
  std::string request_part;
  bool contains = false;
  http::Request request;
  int status = 0;
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;
};

std::string ReadFile(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

bool ParseCase(const std::string& text, Case& c) {
  size_t sep = text.find("\n===\n");
  if (sep == std::string::npos) return false;
  c.request_part = text.substr(0, sep + 1);
  std::istringstream in(c.request_part);
  std::string line;
  bool request_line = false;
  while (std::getline(in, line)) {
    if (line.rfind("#!", 0) == 0) {
      if (line.find("contains") != std::string::npos) c.contains = true;
      continue;
    }
    if (line.rfind("#", 0) == 0) continue;
    std::istringstream rl(line);
    std::string version;
    rl >> c.request.method >> c.request.target >> version;
    request_line = true;
    break;
  }
  if (!request_line) return false;
  while (std::getline(in, line) && !line.empty()) {
    size_t colon = line.find(':');
    c.request.headers.Add(line.substr(0, colon), line.substr(colon + 2));
  }
  std::string body((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  while (!body.empty() && body.back() == '\n') body.pop_back();
  c.request.body = body;
  std::istringstream out(text.substr(sep + 5));
  std::getline(out, line);
  c.status = std::stoi(line);
  while (std::getline(out, line) && !line.empty()) {
    size_t colon = line.find(':');
    c.headers.emplace_back(line.substr(0, colon), line.substr(colon + 2));
  }
  c.body.assign(std::istreambuf_iterator<char>(out), std::istreambuf_iterator<char>());
  while (!c.body.empty() && c.body.back() == '\n') c.body.pop_back();
  return true;
}

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
  std::vector<fs::path> files;
  for (const auto& e : fs::directory_iterator(CW_GOLDEN_DIR))
    if (e.path().extension() == ".txt") files.push_back(e.path());
  std::sort(files.begin(), files.end());
  ASSERT_GE(files.size(), 40u);
  const bool update = std::getenv("CW_GOLDEN_UPDATE") != nullptr;
  std::string requests_so_far;
  for (const fs::path& f : files) {
    SCOPED_TRACE(f.filename().string());
    Case c;
    std::string text = ReadFile(f);
    ASSERT_TRUE(ParseCase(text, c)) << "malformed case";
    c.request.headers.Add("Host", "causeway.test");
    requests_so_far += c.request.target + c.request.body;
    http::Response r = router_->Handle(c.request);
    if (r.after) {
      // As the server does: the answer counts once its unit of work is durable.
      core::Status st = r.after->Wait();
      if (!st.ok()) r = r.on_failure(st.error());
    }
    auto drained = stack_.module->processor().Drain();
    ASSERT_TRUE(drained.ok()) << drained.error().text;
    clock_.Advance(std::chrono::seconds(1));
    std::string body = Mask(std::string(r.body_view()), requests_so_far);
    if (update) {
      std::ostringstream out;
      out << c.request_part << "===\n" << r.status << "\n";
      for (const char* h : {"content-type", "www-authenticate"})
        if (auto v = r.headers.Get(h)) out << h << ": " << *v << "\n";
      out << "\n" << (c.contains ? c.body : body) << "\n";
      std::ofstream(f, std::ios::binary) << out.str();
      continue;
    }
    EXPECT_EQ(r.status, c.status);
    for (const auto& [name, value] : c.headers) EXPECT_EQ(r.headers.Get(name).value_or("<missing>"), value) << name;
    if (c.contains) EXPECT_NE(body.find(c.body), std::string::npos) << body;
    else EXPECT_EQ(body, c.body);
  }
}

}  // namespace
}  // namespace causeway::services::business_agreement
