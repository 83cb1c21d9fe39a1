// ParseDestinations / ParseOutboxConfig: every field read, every bad field named.
#include "exchange/outbox_config.h"

#include <gtest/gtest.h>
#include <stdlib.h>
#include <unistd.h>

#include <fstream>

namespace causeway::exchange {
namespace {

using namespace std::chrono_literals;

toml::table Parse(std::string_view text) { return toml::parse(text); }

TEST(OutboxConfigTest, ReadsEveryField) {
  ::setenv("CW_TEST_FB_PASSWORD", "from-env", 1);
  auto parsed = ParseOutboxConfig(Parse(R"(
node_id = "node-a"
retention_h = 48
lease_s = 120
lease_sweep_s = 15
prune_interval_s = 60
stop_timeout_s = 3
[destinations.fb]
base_url = "https://fb.example.com/api"
user = "CAUSEWAY"
password_env = "CW_TEST_FB_PASSWORD"
insecure = true
connect_timeout_ms = 2000
total_timeout_ms = 9000
max_concurrent = 16
headers = { "X-Api-Version" = "2" }
follow_redirects = true
max_redirects = 3
max_answer_bytes = 4096
keep_cookies = true
idempotency_header = "X-Request-Id"
[destinations.fb.retry]
initial_ms = 250
max_delay_ms = 60000
multiplier = 3
jitter = "decorrelated"
max_attempts = 0
max_age_s = 3600
[destinations.cx]
base_url = "http://cx.example.com"
password = "plain"
user = "U"
)"));
  ASSERT_TRUE(parsed.ok()) << parsed.error().text;
  const OutboxOptions& o = *parsed;
  EXPECT_EQ(o.node_id, "node-a");
  EXPECT_EQ(o.retention, 48h);
  EXPECT_EQ(o.lease, 120s);
  EXPECT_EQ(o.lease_sweep_interval, 15s);
  EXPECT_EQ(o.prune_interval, 60s);
  EXPECT_EQ(o.stop_timeout, 3s);
  ASSERT_EQ(o.destinations.size(), 2u);
  const Destination& cx = o.destinations[0];  // tables are ordered by key
  EXPECT_EQ(cx.name, "cx");
  EXPECT_EQ(cx.password.Reveal(), "plain");
  const Destination& fb = o.destinations[1];
  EXPECT_EQ(fb.name, "fb");
  EXPECT_EQ(fb.base_url, "https://fb.example.com/api");
  EXPECT_EQ(fb.user, "CAUSEWAY");
  EXPECT_EQ(fb.password.Reveal(), "from-env");
  EXPECT_TRUE(fb.insecure);
  EXPECT_EQ(fb.connect_timeout, 2000ms);
  EXPECT_EQ(fb.total_timeout, 9000ms);
  EXPECT_EQ(fb.max_concurrent, 16);
  EXPECT_EQ(fb.headers.Get("X-Api-Version"), "2");
  EXPECT_TRUE(fb.follow_redirects);
  EXPECT_EQ(fb.max_redirects, 3);
  EXPECT_EQ(fb.max_answer_bytes, 4096u);
  EXPECT_TRUE(fb.keep_cookies);
  EXPECT_EQ(fb.idempotency_header, "X-Request-Id");
  EXPECT_EQ(fb.retry.initial, 250ms);
  EXPECT_EQ(fb.retry.max_delay, 60000ms);
  EXPECT_EQ(fb.retry.multiplier, 3.0);
  EXPECT_EQ(fb.retry.jitter, Jitter::kDecorrelated);
  EXPECT_EQ(fb.retry.max_attempts, 0);
  EXPECT_EQ(fb.retry.max_age, 3600s);
}

TEST(OutboxConfigTest, RelativeFilesResolveAgainstTheConfigFolder) {
  auto dir = std::filesystem::temp_directory_path() / ("cw_outbox_cfg_" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir / "certs");
  { std::ofstream(dir / "certs" / "ca.pem") << "x"; }
  auto parsed = ParseDestinations(Parse("[fb]\nbase_url = \"https://h\"\nca_file = \"certs/ca.pem\"\n"), dir);
  ASSERT_TRUE(parsed.ok()) << parsed.error().text;
  EXPECT_EQ((*parsed)[0].ca_file, (dir / "certs" / "ca.pem").string());
  std::filesystem::remove_all(dir);
}

TEST(OutboxConfigTest, NamesEveryBadField) {
  struct Case {
    std::string toml;
    std::string target;
    std::string text;  // a part of the first problem's text
  };
  const std::vector<Case> cases = {
      {"[fb]\nbase_url = 5", "fb.base_url", "must be a string"},
      {"[fb]\nbase_url = \"ftp://h\"", "fb.base_url", "scheme must be http or https"},
      {"[fb]\nbase_url = \"http://h\"\ncolour = \"red\"", "fb.colour", "unknown field"},
      {"[fb]\nbase_url = \"http://h\"\nmax_concurrent = 0", "fb.max_concurrent", "between 1 and 4096"},
      {"[fb]\nbase_url = \"http://h\"\nmax_concurrent = \"8\"", "fb.max_concurrent", "must be an integer"},
      {"[fb]\nbase_url = \"http://h\"\ninsecure = 1", "fb.insecure", "true or false"},
      {"[fb]\nbase_url = \"http://h\"\nconnect_timeout_ms = 5000\ntotal_timeout_ms = 1000", "fb.connect_timeout_ms",
       "must not exceed total_timeout"},
      {"[fb]\nbase_url = \"http://h\"\nheaders = { Authorization = \"Basic x\" }", "fb.headers.Authorization",
       "set by the client"},
      {"[fb]\nbase_url = \"http://h\"\nheaders = { X = 1 }", "fb.headers.X", "must be a string"},
      {"[fb]\nbase_url = \"http://h\"\npassword = \"p\"", "fb.password", "without a user"},
      {"[fb]\nbase_url = \"http://h\"\nuser = \"u\"\npassword = \"p\"\npassword_env = \"E\"", "fb.password_env",
       "not both"},
      {"[fb]\nbase_url = \"http://h\"\npassword_env = \"CW_SURELY_UNSET_VARIABLE\"", "fb.password_env", "is not set"},
      {"[fb]\nbase_url = \"http://h\"\nca_file = \"/nonexistent/ca.pem\"", "fb.ca_file", "is not a file"},
      {"[fb]\nbase_url = \"http://h\"\nretry = 3", "fb.retry", "must be a table"},
      {"[fb]\nbase_url = \"http://h\"\n[fb.retry]\njitter = \"some\"", "fb.retry.jitter", "decorrelated"},
      {"[fb]\nbase_url = \"http://h\"\n[fb.retry]\ninitial_ms = 0", "fb.retry.initial_ms", "between 1"},
      {"[fb]\nbase_url = \"http://h\"\n[fb.retry]\ninitial_ms = 5000\nmax_delay_ms = 10", "fb.retry.max_delay_ms",
       ""},
      {"[fb]\nbase_url = \"http://h\"\n[fb.retry]\nmultiplier = 1000", "fb.retry.multiplier", ""},
      {"[\"bad name\"]\nbase_url = \"http://h\"", "bad name.name", "A-Z a-z 0-9"},
      {"fb = 3", "fb", "must be a table"},
  };
  for (const Case& c : cases) {
    auto parsed = ParseDestinations(Parse(c.toml));
    ASSERT_FALSE(parsed.ok()) << c.toml;
    EXPECT_EQ(parsed.error().target, c.target) << c.toml;
    EXPECT_NE(parsed.error().text.find(c.text), std::string::npos) << c.toml << " → " << parsed.error().text;
    EXPECT_EQ(parsed.error().code, core::Code::kBadRequest);
  }
}

TEST(OutboxConfigTest, ReportsAllProblemsAtOnceAndNeverThePassword) {
  auto parsed = ParseDestinations(Parse(R"(
[fb]
base_url = "http://h"
user = "u:x"
password = "TopSecret-9"
max_concurrent = -1
[cx]
base_url = 7
)"));
  ASSERT_FALSE(parsed.ok());
  const core::Error& e = parsed.error();
  ASSERT_EQ(e.details.size(), 2u);  // cx.base_url; fb.max_concurrent (its user is checked once the types are right)
  EXPECT_EQ(e.details[0].target, "cx.base_url");
  EXPECT_EQ(e.details[1].target, "fb.max_concurrent");
  EXPECT_NE(e.text.find("(and 1 more)"), std::string::npos);
  for (const auto& d : e.details) EXPECT_EQ(d.message.find("TopSecret-9"), std::string::npos);

  auto user = ParseDestinations(Parse("[fb]\nbase_url = \"http://h\"\nuser = \"u:x\"\npassword = \"TopSecret-9\""));
  ASSERT_FALSE(user.ok());
  EXPECT_EQ(user.error().target, "fb.user");
  EXPECT_EQ(user.error().text.find("TopSecret-9"), std::string::npos);
}

TEST(OutboxConfigTest, OutboxSettingsAreChecked) {
  auto parsed = ParseOutboxConfig(Parse("retention_h = 0\nnode_id = \"\"\nspeed = 3\ndestinations = 1"));
  ASSERT_FALSE(parsed.ok());
  std::vector<std::string> targets;
  for (const auto& d : parsed.error().details) targets.push_back(d.target);
  EXPECT_EQ(targets, (std::vector<std::string>{"outbox.destinations", "outbox.retention_h", "outbox.speed",
                                               "outbox.node_id"}));
}

}  // namespace
}  // namespace causeway::exchange
