#include "app/config.h"

#include <gtest/gtest.h>

#include <fstream>

#include "security/password_hash.h"

namespace causeway::app {
namespace {

std::filesystem::path Write(const std::string& text) {
  auto p = std::filesystem::temp_directory_path() / ("cw_cfg_" + std::to_string(::getpid()) + ".toml");
  std::ofstream(p) << text;
  return p;
}

TEST(ConfigTest, LoadsListenersUsersAndScenarios) {
  auto p = Write(R"(
[server]
data_dir = "/tmp/cw-data"
system_id = "ABC"
io_threads = 3
io_slice_us = 0
[security]
max_failed_logons = 5
[[listeners]]
address = "0.0.0.0"
port = 9000
[[listeners]]
port = 9443
tls = true
cert_file = "c.pem"
key_file = "k.pem"
client_ca_file = "ca.pem"
require_client_cert = true
[scenarios]
Z_CUSTOM = ["MY_SRV"]
[[users]]
name = "comm"
password = "pw"
scenarios = ["SAP_COM_0064", "Z_CUSTOM"]
[[users]]
name = "biz"
kind = "business"
password_hash = "pbkdf2-sha256$1000$AAAA$AAAA"
)");
  auto c = LoadConfig(p);
  ASSERT_TRUE(c.ok()) << c.error().text;
  EXPECT_EQ(c->data_dir, "/tmp/cw-data");
  EXPECT_EQ(c->system_id, "ABC");
  EXPECT_EQ(c->server.io_threads, 3);
  EXPECT_EQ(c->server.io_slice.count(), 0);
  EXPECT_EQ(c->max_failed_logons, 5);
  ASSERT_EQ(c->server.listeners.size(), 2u);
  EXPECT_EQ(c->server.listeners[0].address, "0.0.0.0");
  ASSERT_TRUE(c->server.listeners[1].tls);
  EXPECT_TRUE(c->server.listeners[1].tls->require_client_cert);
  EXPECT_EQ(c->scenarios.at("Z_CUSTOM"), std::vector<std::string>{"MY_SRV"});
  ASSERT_EQ(c->users.size(), 2u);
  EXPECT_TRUE(security::VerifyPassword("pw", c->users[0].password_hash)) << "plain passwords are hashed on load";
  EXPECT_EQ(c->users[1].kind, security::UserKind::kBusiness);
  std::filesystem::remove(p);
}

TEST(ConfigTest, LoadsJobTemplates) {
  auto p = Write(R"(
[[jobs.templates]]
name = "/Z/NIGHTLY"
version = "1"
text = "Nightly"
report = "ZLOAD"
supports_test_mode = true
allowed_users = ["PLANNER"]
[[jobs.templates.steps]]
kind = "command"
argv = ["/bin/echo", "hi"]
env = { TARGET = "prod" }
timeout_s = 60
[[jobs.templates.parameters]]
name = "P_DATE"
step = 1
default = "20240101"
mandatory = true
)");
  auto c = LoadConfig(p);
  ASSERT_TRUE(c.ok()) << c.error().text;
  ASSERT_EQ(c->job_templates.size(), 1u);
  const jobs::JobTemplate& t = c->job_templates[0];
  EXPECT_EQ(t.name, "/Z/NIGHTLY");
  EXPECT_EQ(t.version, "1");
  EXPECT_EQ(t.report_name, "ZLOAD");
  EXPECT_TRUE(t.supports_test_mode);
  EXPECT_EQ(t.allowed_users, std::vector<std::string>{"PLANNER"});
  ASSERT_EQ(t.steps.size(), 1u);
  EXPECT_EQ(t.steps[0].argv, (std::vector<std::string>{"/bin/echo", "hi"}));
  EXPECT_EQ(t.steps[0].env.at("TARGET"), "prod");
  EXPECT_EQ(t.steps[0].timeout.count(), 60);
  EXPECT_EQ(t.steps[0].catalog_entry_name, "/Z/NIGHTLY");
  ASSERT_EQ(t.parameters.size(), 1u);
  EXPECT_TRUE(t.parameters[0].mandatory);
  EXPECT_EQ(t.parameters[0].defaults[0].low, "20240101");
  std::filesystem::remove(p);
}

TEST(ConfigTest, ErrorsNameTheProblem) {
  struct Case {
    const char* text;
    const char* expect;
  } cases[] = {
      {"[server\n", ".toml:1: Error while parsing table header"},
      {"[[users]]\npassword = \"x\"\n", "no name"},
      {"[[users]]\nname = \"u\"\nkind = \"robot\"\n", "kind must be"},
      {"[[users]]\nname = \"u\"\npassword_hash = \"md5$x\"\n", "malformed password_hash"},
      {"[[listeners]]\ntls = true\n", "cert_file"},
      {"[[jobs.templates]]\nsteps = [{ kind = \"noop\" }]\n", "name must have 1-40"},
      {"[[jobs.templates]]\nname = \"Z1\"\nsteps = [{ kind = \"command\" }]\n",
       "template Z1: Command step of template Z1 has no argv"},
      {"[[jobs.templates]]\nname = \"Z2\"\n", "template Z2: steps must be a non-empty array"},
      {"[[jobs.templates]]\nname = \"Z3\"\nsteps = [{ kind = \"noop\" }]\nparameters = [{ step = 1 }]\n",
       "template Z3: Parameter '' of template Z3 has an invalid name"},
  };
  for (const auto& c : cases) {
    auto p = Write(c.text);
    auto r = LoadConfig(p);
    ASSERT_FALSE(r.ok()) << c.text;
    EXPECT_NE(r.error().text.find(c.expect), std::string::npos) << r.error().text;
    std::filesystem::remove(p);
  }
}

TEST(ConfigTest, DemoHasUsersForEveryRole) {
  Config c = DemoConfig();
  EXPECT_TRUE(c.demo_templates);
  EXPECT_EQ(c.server.listeners.size(), 2u);
  EXPECT_GE(c.demo_users.size(), 4u);
}

}  // namespace
}  // namespace causeway::app
