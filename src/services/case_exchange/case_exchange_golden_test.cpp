// Golden files of the case exchange REST API: every case in tests/golden/case_exchange/*.txt
// runs, in file-name order, against ONE store (later cases see what earlier ones did), through
// the real router, security gate, module, domain and SQLite, on a clock that starts at
// 2024-05-01T08:00:00Z and moves one second after each case. The tenants, people, groups and
// systems are those of tests/golden/case_exchange/config.toml.
//
// Case format: tests/golden/golden_case.h, with the target as sent to the server. In the request
// part, {{token:<tenant>:<login>[:<password>]}} is replaced by a token of that
// person (a logon with Welcome1! unless given), {{guid}} by the last file guid an answer held,
// {{date_ms}} by the last Date header an answer had (epoch ms: the next poll's watermark), and
// {{created}} by the Id of the first change in the last answer that reported one created or
// updated. In answers, tokens are masked as <token> and file guids as <guid>. A HEAD answer is
// compared as the server sends it: no body, its length as content-length.
// CW_GOLDEN_UPDATE=1 rewrites the expected parts (review them!).
#include <gtest/gtest.h>

#include <filesystem>
#include <map>
#include <regex>

#include "exchange/http_date.h"
#include "golden_case.h"
#include "scratch_store.h"
#include "services/case_exchange/testing/cx_stack.h"

namespace causeway::services::case_exchange {
namespace {

namespace fs = std::filesystem;

const std::regex kToken("[A-Za-z0-9_-]{40,}\\.[A-Za-z0-9_-]{40,}");
const std::regex kGuid("[0-9a-f]{32}");

class Golden : public ::testing::Test {
 protected:
  void SetUp() override {
    core::Status opened = store_.Open();
    ASSERT_TRUE(opened.ok()) << opened.error().text;
    auto stack = testing::StartCaseExchange(store_.db(), clock_, golden::ReadFile(fs::path(CW_GOLDEN_DIR) / "config.toml"));
    ASSERT_TRUE(stack.ok()) << stack.error().text;
    stack_ = std::move(stack).value();
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

  core::ManualClock clock_{core::FromUnixMillis(1714550400000)};  // 2024-05-01T08:00:00Z
  golden::ScratchStore store_{"cw_cxgolden"};
  testing::CxStack stack_;
  std::map<std::string, std::string> tokens_;
  std::string last_guid_, last_created_;
  int64_t last_date_ms_ = 0;
};

TEST_F(Golden, AllCasesInOrder) {
  const std::vector<std::string> files = golden::CaseFiles(CW_GOLDEN_DIR);
  ASSERT_GE(files.size(), 40u);
  const golden::CaseOptions options{.absolute_target = true,
                                    .substitute = [&](std::string s) { return Substitute(std::move(s)); }};
  for (const std::string& f : files) {
    SCOPED_TRACE(f);
    golden::GoldenCase c;
    ASSERT_EQ(golden::LoadCase(fs::path(CW_GOLDEN_DIR) / f, c, options), "");
    c.request.headers.Add("Host", "causeway.test");
    // An answer that waits for its unit of work: the golden run waits for it too.
    http::Response r = golden::AwaitAfter(stack_.router->Handle(c.request));
    clock_.Advance(std::chrono::seconds(1));
    std::string body(r.body_view());
    if (c.request.method == "HEAD") {
      // As the server sends it (http/server.cpp): the GET answer's head with its body's length.
      r.headers.Set("content-length", std::to_string(body.size()));
      body.clear();
    }
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
    golden::CheckResponse(c, r, body, {"content-type", "content-length", "date", "allow"});
  }
}

}  // namespace
}  // namespace causeway::services::case_exchange
