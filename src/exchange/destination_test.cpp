#include "exchange/destination.h"

#include <gtest/gtest.h>
#include <spdlog/sinks/ostream_sink.h>
#include <spdlog/spdlog.h>

#include <unistd.h>

#include <cstdio>
#include <fstream>
#include <functional>
#include <sstream>

namespace causeway::exchange {
namespace {

Destination Valid() {
  Destination d;
  d.name = "focused_build";
  d.base_url = "https://fb.example.com:8443/api/v1";
  d.user = "COMM_USER";
  d.password = Secret("S3cret!");
  return d;
}

TEST(ValidateDestination, AcceptsAGoodOne) {
  EXPECT_TRUE(ValidateDestination(Valid()).ok());
  Destination d = Valid();
  d.base_url = "http://[::1]:8080";
  d.user.clear();
  d.password = Secret();
  d.headers.Add("X-Tenant", "42");
  EXPECT_TRUE(ValidateDestination(d).ok());
}

TEST(ValidateDestination, NamesTheBadField) {
  struct Case {
    const char* what;
    std::function<void(Destination&)> change;
    std::string target;
  };
  const Case cases[] = {
      {"empty name", [](Destination& d) { d.name = ""; }, "name"},
      {"name with space", [](Destination& d) { d.name = "a b"; }, "name"},
      {"name too long", [](Destination& d) { d.name = std::string(65, 'a'); }, "name"},
      {"no scheme", [](Destination& d) { d.base_url = "fb.example.com"; }, "base_url"},
      {"ftp", [](Destination& d) { d.base_url = "ftp://fb.example.com"; }, "base_url"},
      {"no host", [](Destination& d) { d.base_url = "https:///api"; }, "base_url"},
      {"credentials in URL", [](Destination& d) { d.base_url = "https://u:p@fb.example.com"; }, "base_url"},
      {"query", [](Destination& d) { d.base_url = "https://fb.example.com/api?x=1"; }, "base_url"},
      {"fragment", [](Destination& d) { d.base_url = "https://fb.example.com/#top"; }, "base_url"},
      {"port 0", [](Destination& d) { d.base_url = "https://fb.example.com:0"; }, "base_url"},
      {"port 70000", [](Destination& d) { d.base_url = "https://fb.example.com:70000"; }, "base_url"},
      {"port text", [](Destination& d) { d.base_url = "https://fb.example.com:http"; }, "base_url"},
      {"space", [](Destination& d) { d.base_url = "https://fb.example.com/a b"; }, "base_url"},
      {"unclosed IPv6", [](Destination& d) { d.base_url = "https://[::1/api"; }, "base_url"},
      {"user with colon", [](Destination& d) { d.user = "a:b"; }, "user"},
      {"password without user", [](Destination& d) { d.user = ""; }, "password"},
      {"password with newline", [](Destination& d) { d.password = Secret("a\nb"); }, "password"},
      {"ca_file missing", [](Destination& d) { d.ca_file = "/nonexistent/ca.pem"; }, "ca_file"},
      {"client_key alone", [](Destination& d) { d.client_key = "/etc/hostname"; }, "client_key"},
      {"connect timeout 0", [](Destination& d) { d.connect_timeout = std::chrono::milliseconds(0); },
       "connect_timeout"},
      {"total timeout negative", [](Destination& d) { d.total_timeout = std::chrono::milliseconds(-1); },
       "total_timeout"},
      {"connect beyond total",
       [](Destination& d) {
         d.connect_timeout = std::chrono::milliseconds(5000);
         d.total_timeout = std::chrono::milliseconds(1000);
       },
       "connect_timeout"},
      {"no concurrency", [](Destination& d) { d.max_concurrent = 0; }, "max_concurrent"},
      {"too much concurrency", [](Destination& d) { d.max_concurrent = 5000; }, "max_concurrent"},
      {"bad header name", [](Destination& d) { d.headers.Add("Bad Name", "x"); }, "headers"},
      {"header injection", [](Destination& d) { d.headers.Add("X-A", "1\r\nX-B: 2"); }, "headers.X-A"},
      {"authorization header", [](Destination& d) { d.headers.Add("authorization", "Bearer t"); },
       "headers.authorization"},
      {"host header", [](Destination& d) { d.headers.Add("Host", "elsewhere"); }, "headers.Host"},
      {"redirects 0", [](Destination& d) {
         d.follow_redirects = true;
         d.max_redirects = 0;
       }, "max_redirects"},
      {"answer cap 0", [](Destination& d) { d.max_answer_bytes = 0; }, "max_answer_bytes"},
      {"idempotency header", [](Destination& d) { d.idempotency_header = "Bad Header"; }, "idempotency_header"},
      {"retry initial", [](Destination& d) { d.retry.initial = std::chrono::milliseconds(0); }, "retry.initial"},
      {"retry multiplier", [](Destination& d) { d.retry.multiplier = 0.5; }, "retry.multiplier"},
  };
  for (const Case& c : cases) {
    Destination d = Valid();
    c.change(d);
    core::Status s = ValidateDestination(d);
    ASSERT_FALSE(s.ok()) << c.what;
    EXPECT_EQ(s.error().target, c.target) << c.what;
    EXPECT_EQ(s.error().code, core::Code::kBadRequest) << c.what;
    EXPECT_EQ(s.error().message_class, "CAUSEWAY/EXCHANGE") << c.what;
    EXPECT_EQ(s.error().text.find("S3cret!"), std::string::npos) << c.what;
  }
}

TEST(ValidateDestination, ReadableCaFileIsAccepted) {
  char path[] = "/tmp/cw_dest_ca_XXXXXX";
  int fd = mkstemp(path);
  ASSERT_GE(fd, 0);
  close(fd);
  Destination d = Valid();
  d.ca_file = path;
  EXPECT_TRUE(ValidateDestination(d).ok());
  std::remove(path);
}

TEST(JoinUrl, OneSlashBetweenBaseAndPath) {
  struct Case {
    std::string_view base, path, url;
  } cases[] = {
      {"https://h/api", "v1/items", "https://h/api/v1/items"},
      {"https://h/api/", "/v1/items", "https://h/api/v1/items"},
      {"https://h/api//", "v1/items", "https://h/api/v1/items"},
      {"https://h/api", "/v1/items", "https://h/api/v1/items"},
      {"https://h", "items", "https://h/items"},
      {"https://h/", "/items", "https://h/items"},
      {"https://h/api", "", "https://h/api"},
      {"https://h/api/", "", "https://h/api/"},
      {"https://h/api", "/", "https://h/api/"},
      {"https://h/api", "?sap-client=100", "https://h/api?sap-client=100"},
      {"https://h/api", "items('A:B')?$format=json", "https://h/api/items('A:B')?$format=json"},
      {"http://127.0.0.1:8080/sap/opu/odata/sap/X;v=0002", "JobSet",
       "http://127.0.0.1:8080/sap/opu/odata/sap/X;v=0002/JobSet"},
  };
  for (const Case& c : cases) {
    core::Result<std::string> url = JoinUrl(c.base, c.path);
    ASSERT_TRUE(url.ok()) << c.base << " + " << c.path;
    EXPECT_EQ(*url, c.url) << c.base << " + " << c.path;
  }
}

TEST(JoinUrl, RefusesPathsThatLeaveTheDestination) {
  for (std::string_view path : {"https://evil.example.com/x", "//evil.example.com/x", "mailto:x@y",
                                "a b", "x\r\nHost: y", "items#frag"}) {
    core::Result<std::string> url = JoinUrl("https://h/api", path);
    ASSERT_FALSE(url.ok()) << path;
    EXPECT_EQ(url.error().target, "path") << path;
  }
}

TEST(Secret, NeverPrintsItsValue) {
  Secret s("S3cret!");
  std::ostringstream out;
  out << s;
  EXPECT_EQ(out.str(), "***");
  EXPECT_EQ(fmt::format("pw={}", s), "pw=***");
  EXPECT_EQ(s.Reveal(), "S3cret!");

  std::ostringstream log;
  auto logger = std::make_shared<spdlog::logger>("secret_test", std::make_shared<spdlog::sinks::ostream_sink_st>(log));
  logger->info("destination password {}", Valid().password);
  EXPECT_EQ(log.str().find("S3cret!"), std::string::npos);
  EXPECT_NE(log.str().find("***"), std::string::npos);
}

}  // namespace
}  // namespace causeway::exchange
