#include "golden_case.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <fstream>
#include <regex>
#include <sstream>

namespace causeway::golden {
namespace {

std::string TrimTrailingNewline(std::string s) {
  while (!s.empty() && (s.back() == '\n' || s.back() == '\r')) s.pop_back();
  return s;
}

// Removes sap-language=XX from a raw query; returns the value ("" if absent).
std::string TakeSapLanguage(std::string& query) {
  std::string language, rest;
  size_t pos = 0;
  while (pos <= query.size() && !query.empty()) {
    size_t amp = query.find('&', pos);
    if (amp == std::string::npos) amp = query.size();
    std::string item = query.substr(pos, amp - pos);
    if (item.rfind("sap-language=", 0) == 0) language = item.substr(13);
    else if (!item.empty()) rest += (rest.empty() ? "" : "&") + item;
    if (amp == query.size()) break;
    pos = amp + 1;
  }
  query = rest;
  return language;
}

}  // namespace

std::string LoadCase(const std::filesystem::path& file, GoldenCase& out,
                     const std::function<std::string(std::string)>& substitute) {
  return LoadCase(file, out, CaseOptions{.substitute = substitute});
}

std::string LoadCase(const std::filesystem::path& file, GoldenCase& out, const CaseOptions& options) {
  out = GoldenCase{};
  out.file = file;
  std::string text = ReadFile(file);
  size_t sep = text.find("\n===\n");
  if (sep == std::string::npos) return "missing === separator";
  out.request_part = text.substr(0, sep + 1);
  const std::string resp_part = text.substr(sep + 5);

  // Request: comments and directives first, then the request proper.
  std::istringstream rin(out.request_part);
  std::string line;
  std::streampos start = 0;
  while (std::getline(rin, line) && (line.empty() || line[0] == '#')) {
    if (line.rfind("#!", 0) == 0) {
      std::string d = line.substr(2);
      d.erase(0, d.find_first_not_of(' '));
      out.directives.push_back(d);
    }
    start = rin.tellg();
  }
  std::string request_text = out.request_part.substr(static_cast<size_t>(start));
  if (options.substitute) request_text = options.substitute(request_text);
  std::istringstream qin(request_text);
  std::getline(qin, line);
  http::Request& req = out.request;
  {
    std::istringstream rl(line);
    std::string version;
    rl >> req.method >> req.target >> version;
    if (version != "HTTP/1.1") return "bad request line: " + line;
  }
  while (std::getline(qin, line) && !line.empty()) {
    size_t colon = line.find(':');
    if (colon == std::string::npos) return "bad header line: " + line;
    std::string value = line.substr(colon + 1);
    value.erase(0, value.find_first_not_of(' '));
    req.headers.Add(line.substr(0, colon), value);
  }
  std::string body((std::istreambuf_iterator<char>(qin)), std::istreambuf_iterator<char>());
  if (req.headers.Get("content-type").value_or("").find("multipart") != std::string_view::npos) {
    std::string crlf;
    for (char c : body) crlf += c == '\n' ? std::string("\r\n") : std::string(1, c);
    body = crlf;
  } else {
    body = TrimTrailingNewline(body);
  }
  req.body = body;
  size_t q = req.target.find('?');
  out.resource_path = req.target.substr(0, q);
  if (q != std::string::npos) out.query = req.target.substr(q + 1);
  if (!options.absolute_target) {
    std::string language = TakeSapLanguage(out.query);
    req.sap_language = language.empty() ? "EN" : language;
  }

  // Expected response.
  std::istringstream sin(resp_part);
  if (!std::getline(sin, line)) return "";  // no expected part yet (written by CW_GOLDEN_UPDATE)
  out.expected_status = std::atoi(line.c_str());
  while (std::getline(sin, line) && !line.empty()) {
    size_t colon = line.find(':');
    if (colon == std::string::npos || colon + 2 > line.size()) return "bad expected header: " + line;
    out.expected_headers.emplace_back(line.substr(0, colon), line.substr(colon + 2));
  }
  out.expected_body = std::string((std::istreambuf_iterator<char>(sin)), std::istreambuf_iterator<char>());
  return "";
}

std::string MaskField(std::string s, const std::string& name, const std::string& xml_tag, const std::string& value,
                      const std::string& mask) {
  s = std::regex_replace(s, std::regex(name + "='" + value + "'"), name + "='" + mask + "'");
  s = std::regex_replace(s, std::regex("<" + xml_tag + ">" + value + "</" + xml_tag + ">"),
                         "<" + xml_tag + ">" + mask + "</" + xml_tag + ">");
  return std::regex_replace(s, std::regex("\"" + name + "\":\"" + value + "\""), "\"" + name + "\":\"" + mask + "\"");
}

std::string MaskVolatile(std::string s) {
  s = MaskField(std::move(s), "transactionid", "transactionid", "[0-9A-F]{32}", "<masked>");
  s = MaskField(std::move(s), "timestamp", "timestamp", "[0-9]{14}\\.[0-9]{7}", "<masked>");
  std::string out;
  for (size_t i = 0; i < s.size(); ++i)
    if (!(s[i] == '\r' && i + 1 < s.size() && s[i + 1] == '\n')) out += s[i];
  return out;
}

bool HasDirective(const GoldenCase& c, std::string_view name) {
  return std::find(c.directives.begin(), c.directives.end(), name) != c.directives.end();
}

void CheckResponse(const GoldenCase& c, const http::Response& resp, const std::string& masked_body,
                   const std::vector<std::string>& recorded_headers) {
  const bool contains = HasDirective(c, "contains");
  if (std::getenv("CW_GOLDEN_UPDATE")) {
    std::string out = c.request_part + "===\n" + std::to_string(resp.status) + "\n";
    if (recorded_headers.empty()) {
      for (const auto& [k, v] : resp.headers.items()) out += k + ": " + v + "\n";
    } else {
      for (const std::string& name : recorded_headers)
        if (auto v = resp.headers.Get(name)) out += name + ": " + std::string(*v) + "\n";
    }
    out += "\n" + (contains ? TrimTrailingNewline(c.expected_body) : masked_body) + "\n";
    std::ofstream(c.file, std::ios::binary) << out;
    GTEST_SKIP() << "updated " << c.file.filename().string();
  }
  EXPECT_EQ(resp.status, c.expected_status) << masked_body;
  for (const auto& [name, value] : c.expected_headers) {
    auto got = resp.headers.Get(name);
    ASSERT_TRUE(got.has_value()) << "missing response header " << name;
    EXPECT_EQ(*got, value) << "header " << name;
  }
  if (contains) {
    EXPECT_NE(masked_body.find(TrimTrailingNewline(c.expected_body)), std::string::npos) << masked_body;
  } else {
    EXPECT_EQ(TrimTrailingNewline(masked_body), TrimTrailingNewline(c.expected_body));
  }
}

std::string ReadFile(const std::filesystem::path& file) {
  std::ifstream in(file, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

http::Response AwaitAfter(http::Response resp) {
  if (!resp.after) return resp;
  core::Status st = resp.after->Wait();
  return st.ok() ? resp : resp.on_failure(st.error());
}

std::vector<std::string> CaseFiles(const std::filesystem::path& dir) {
  std::vector<std::string> out;
  for (const auto& e : std::filesystem::directory_iterator(dir))
    if (e.path().extension() == ".txt") out.push_back(e.path().filename().string());
  std::sort(out.begin(), out.end());
  return out;
}

std::string CaseTestName(const std::string& file) {
  std::string n = file.substr(0, file.size() - 4);
  for (char& c : n)
    if (!isalnum(static_cast<unsigned char>(c))) c = '_';
  return n;
}

}  // namespace causeway::golden
