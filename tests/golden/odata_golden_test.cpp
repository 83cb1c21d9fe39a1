// Runs every tests/golden/odata/*.txt case against the demo service (demo_service.cpp).
//
// Case file format (one case per file):
//   # comment lines (name, description) at the top
//   METHOD resource-path[?query] HTTP/1.1      (path relative to the service root)
//   header: value                              (request headers, then an empty line)
//   request body (for multipart bodies, LF is sent as CRLF)
//   ===
//   status
//   header: value                              (each listed header must match exactly)
//   (empty line)
//   expected body (CRLF in the actual body is compared as LF)
// Volatile fields (transactionid, timestamp) are masked as "<masked>" before comparison.
// Set CW_GOLDEN_UPDATE=1 to rewrite the expected part from the actual response (then review!).
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <regex>
#include <sstream>

#include "core/clock.h"
#include "demo_service.h"
#include "odata/engine.h"

namespace causeway::odata {
namespace {

constexpr char kRoot[] = "http://127.0.0.1:8080/sap/opu/odata/sap/ZDEMO_SRV/";

struct Case {
  std::string header_comment;
  std::string request_text;
  int status = 0;
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;
};

std::string ReadFile(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

std::string Mask(std::string s) {
  static const std::regex kJsonTx("\"transactionid\":\"[0-9A-F]{32}\"");
  static const std::regex kJsonTs("\"timestamp\":\"[0-9]{14}\\.[0-9]{7}\"");
  static const std::regex kXmlTx("<transactionid>[0-9A-F]{32}</transactionid>");
  static const std::regex kXmlTs("<timestamp>[0-9]{14}\\.[0-9]{7}</timestamp>");
  s = std::regex_replace(s, kJsonTx, "\"transactionid\":\"<masked>\"");
  s = std::regex_replace(s, kJsonTs, "\"timestamp\":\"<masked>\"");
  s = std::regex_replace(s, kXmlTx, "<transactionid><masked></transactionid>");
  s = std::regex_replace(s, kXmlTs, "<timestamp><masked></timestamp>");
  std::string out;
  for (size_t i = 0; i < s.size(); ++i)
    if (!(s[i] == '\r' && i + 1 < s.size() && s[i + 1] == '\n')) out += s[i];
  return out;
}

std::string TrimTrailingNewline(std::string s) {
  while (!s.empty() && (s.back() == '\n' || s.back() == '\r')) s.pop_back();
  return s;
}

class GoldenTest : public ::testing::TestWithParam<std::string> {};

TEST_P(GoldenTest, Matches) {
  std::filesystem::path path = std::filesystem::path(CW_GOLDEN_DIR) / GetParam();
  std::string text = ReadFile(path);
  size_t sep = text.find("\n===\n");
  ASSERT_NE(sep, std::string::npos) << "missing === separator";
  std::string req_part = text.substr(0, sep + 1), resp_part = text.substr(sep + 5);

  // Request.
  std::istringstream rin(req_part);
  std::string line, comments;
  while (std::getline(rin, line) && (line.empty() || line[0] == '#')) comments += line + "\n";
  http::Request req;
  {
    std::istringstream rl(line);
    std::string version;
    rl >> req.method >> req.target >> version;
    ASSERT_EQ(version, "HTTP/1.1") << "bad request line: " << line;
  }
  while (std::getline(rin, line) && !line.empty()) {
    size_t colon = line.find(':');
    ASSERT_NE(colon, std::string::npos) << line;
    std::string value = line.substr(colon + 1);
    value.erase(0, value.find_first_not_of(' '));
    req.headers.Add(line.substr(0, colon), value);
  }
  std::string body((std::istreambuf_iterator<char>(rin)), std::istreambuf_iterator<char>());
  if (req.headers.Get("content-type").value_or("").find("multipart") != std::string_view::npos) {
    std::string crlf;
    for (char c : body) crlf += c == '\n' ? std::string("\r\n") : std::string(1, c);
    body = crlf;
  } else {
    body = TrimTrailingNewline(body);
  }
  req.body = body;
  req.user = "TESTER";
  req.sap_language = "EN";

  RoutedRequest routed;
  routed.service_root_url = kRoot;
  size_t q = req.target.find('?');
  routed.resource_path = req.target.substr(0, q);
  if (q != std::string::npos) routed.query = req.target.substr(q + 1);

  core::ManualClock clock(core::FromUnixMillis(1704110400000));  // 2024-01-01T12:00:00Z
  EngineOptions options;
  options.clock = &clock;
  options.max_batch_parts = 20;
  auto engine = Engine::Create(demo::MakeDemoService(), options);
  ASSERT_TRUE(engine.ok()) << engine.error().text;
  http::Response resp = (*engine)->Handle(req, routed);
  std::string actual_body = Mask(resp.body);

  if (std::getenv("CW_GOLDEN_UPDATE")) {
    std::string out = req_part + "===\n" + std::to_string(resp.status) + "\n";
    for (const auto& [k, v] : resp.headers.items()) out += k + ": " + v + "\n";
    out += "\n" + actual_body + "\n";
    std::ofstream(path, std::ios::binary) << out;
    GTEST_SKIP() << "updated " << GetParam();
  }

  std::istringstream sin(resp_part);
  std::getline(sin, line);
  EXPECT_EQ(resp.status, std::stoi(line)) << actual_body;
  while (std::getline(sin, line) && !line.empty()) {
    size_t colon = line.find(':');
    ASSERT_NE(colon, std::string::npos) << line;
    std::string name = line.substr(0, colon), value = line.substr(colon + 2);
    auto got = resp.headers.Get(name);
    ASSERT_TRUE(got.has_value()) << "missing response header " << name;
    EXPECT_EQ(*got, value) << "header " << name;
  }
  std::string expected((std::istreambuf_iterator<char>(sin)), std::istreambuf_iterator<char>());
  EXPECT_EQ(TrimTrailingNewline(actual_body), TrimTrailingNewline(expected));
}

std::vector<std::string> Cases() {
  std::vector<std::string> out;
  for (const auto& e : std::filesystem::directory_iterator(CW_GOLDEN_DIR))
    if (e.path().extension() == ".txt") out.push_back(e.path().filename().string());
  std::sort(out.begin(), out.end());
  return out;
}

INSTANTIATE_TEST_SUITE_P(Odata, GoldenTest, ::testing::ValuesIn(Cases()), [](const auto& param_info) {
  std::string n = param_info.param.substr(0, param_info.param.size() - 4);
  for (char& c : n)
    if (!isalnum(static_cast<unsigned char>(c))) c = '_';
  return n;
});

}  // namespace
}  // namespace causeway::odata
