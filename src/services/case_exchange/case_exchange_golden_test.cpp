// Golden files of the case exchange REST API: every case in tests/golden/case_exchange/*.txt
// runs, in file-name order, against ONE store (later cases see what earlier ones did), through
// the real router, security gate, module, domain and SQLite, on a clock that starts at
// 2024-05-01T08:00:00Z and moves one second after each case. The tenants, people, groups and
// systems are those of tests/golden/case_exchange/config.toml.
//
// Case format (one per file):
//   # name and description lines
//   METHOD target HTTP/1.1
//   header: value ...                (then an empty line)
//   request body
//   ===
//   status
//   header: value ...                (each listed header must match exactly; then an empty line)
//   expected body
// In the request part, {{token:<tenant>:<login>[:<password>]}} is replaced by a token of that
// person (a logon with Welcome1! unless given), {{guid}} by the last file guid an answer held,
// {{date_ms}} by the last Date header an answer had (epoch ms: the next poll's watermark), and
// {{created}} by the Id of the first change in the last answer that reported one created or
// updated. In answers, tokens are masked as <token> and file guids as <guid>.
// CW_GOLDEN_UPDATE=1 rewrites the expected parts (review them!).
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <regex>
#include <sstream>

#include "exchange/http_date.h"
#include "services/case_exchange/testing/cx_stack.h"
#include "store/sqlite/sqlite_database.h"

namespace causeway::services::case_exchange {
namespace {

namespace fs = std::filesystem;

struct Case {
  std::string request_part;
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

bool ParseCase(const std::string& text, const std::function<std::string(std::string)>& substitute, Case& c) {
  size_t sep = text.find("\n===\n");
  if (sep == std::string::npos) return false;
  c.request_part = text.substr(0, sep + 1);
  std::istringstream in(substitute(c.request_part));
  std::string line;
  bool request_line = false;
  while (std::getline(in, line)) {
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
    if (colon == std::string::npos) return false;
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

const std::regex kToken("[A-Za-z0-9_-]{40,}\\.[A-Za-z0-9_-]{40,}");
const std::regex kGuid("[0-9a-f]{32}");

class Golden : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("cw_cxgolden_" + std::to_string(::getpid()));
    fs::remove_all(dir_);
    fs::create_directories(dir_);
    auto db = store::sqlite::SqliteDatabase::Open({.path = (dir_ / "g.db").string()});
    ASSERT_TRUE(db.ok());
    db_ = std::move(db).value();
    auto stack = testing::StartCaseExchange(*db_, clock_, ReadFile(fs::path(CW_GOLDEN_DIR) / "config.toml"));
    ASSERT_TRUE(stack.ok()) << stack.error().text;
    stack_ = std::move(stack).value();
  }
  void TearDown() override {
    stack_ = {};
    db_.reset();
    fs::remove_all(dir_);
  }

  std::string Substitute(std::string text) {
    static const std::regex placeholder("\\{\\{token:([^:}]+):([^:}]+)(?::([^}]+))?\\}\\}");
    std::smatch m;
    while (std::regex_search(text, m, placeholder)) {
      const std::string password = m[3].matched ? m[3].str() : "Welcome1!";
      const std::string key = m[1].str() + ":" + m[2].str() + ":" + password;
      if (!tokens_.count(key)) tokens_[key] = testing::LogOn(*stack_.router, m[1].str(), m[2].str(), password);
      text.replace(static_cast<size_t>(m.position(0)), static_cast<size_t>(m.length(0)), tokens_[key]);
    }
    auto fill = [&](const std::string& name, const std::string& value) {
      for (size_t p; (p = text.find(name)) != std::string::npos;) text.replace(p, name.size(), value);
    };
    fill("{{guid}}", last_guid_);
    fill("{{date_ms}}", std::to_string(last_date_ms_));
    fill("{{created}}", last_created_);
    return text;
  }

  fs::path dir_;
  core::ManualClock clock_{core::FromUnixMillis(1714550400000)};  // 2024-05-01T08:00:00Z
  std::unique_ptr<store::sqlite::SqliteDatabase> db_;
  testing::CxStack stack_;
  std::map<std::string, std::string> tokens_;
  std::string last_guid_, last_created_;
  int64_t last_date_ms_ = 0;
};

TEST_F(Golden, AllCasesInOrder) {
  std::vector<fs::path> files;
  for (const auto& e : fs::directory_iterator(CW_GOLDEN_DIR))
    if (e.path().extension() == ".txt") files.push_back(e.path());
  std::sort(files.begin(), files.end());
  ASSERT_GE(files.size(), 40u);
  const bool update = std::getenv("CW_GOLDEN_UPDATE") != nullptr;
  for (const fs::path& f : files) {
    SCOPED_TRACE(f.filename().string());
    Case c;
    std::string text = ReadFile(f);
    ASSERT_TRUE(ParseCase(text, [&](std::string s) { return Substitute(std::move(s)); }, c)) << "malformed case";
    c.request.headers.Add("Host", "causeway.test");
    http::Response r = stack_.router->Handle(c.request);
    // An answer that waits for its unit of work: the golden run waits for it too.
    if (r.after) {
      core::Status st = r.after->Wait();
      if (!st.ok()) r = r.on_failure(st.error());
    }
    clock_.Advance(std::chrono::seconds(1));
    std::string body(r.body_view());
    std::smatch g;
    if (std::regex_search(body, g, kGuid)) last_guid_ = g.str();
    static const std::regex created("\"entity\":\\{\"entity_type\":\"Change\",\"properties\":\\{\"Id\":\"([0-9]+)\"");
    if (std::regex_search(body, g, created)) last_created_ = g[1].str();
    if (auto date = r.headers.Get("date")) {
      auto t = exchange::ParseHttpDate(*date);
      ASSERT_TRUE(t.has_value()) << *date;
      last_date_ms_ = core::ToUnixMillis(*t);
    }
    body = std::regex_replace(std::regex_replace(body, kToken, "<token>"), kGuid, "<guid>");
    if (update) {
      std::ostringstream out;
      out << c.request_part << "===\n" << r.status << "\n";
      for (const char* h : {"content-type", "date", "allow"})
        if (auto v = r.headers.Get(h)) out << h << ": " << *v << "\n";
      out << "\n" << body << "\n";
      std::ofstream(f, std::ios::binary) << out.str();
      continue;
    }
    EXPECT_EQ(r.status, c.status);
    for (const auto& [name, value] : c.headers) EXPECT_EQ(r.headers.Get(name).value_or("<missing>"), value) << name;
    EXPECT_EQ(body, c.body);
  }
}

}  // namespace
}  // namespace causeway::services::case_exchange
