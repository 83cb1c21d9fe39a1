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

// Hashed side by side (HashPasswords): every user still gets the hash of its own password,
// whatever the order the hashes finish in, and hashed and pre-hashed users may alternate.
TEST(ConfigTest, PlainPasswordsOfManyUsersAreEachHashedForTheirUser) {
  std::string text;
  for (int i = 0; i < 7; ++i) {
    text += "[[users]]\nname = \"u" + std::to_string(i) + "\"\n";
    text += i == 3 ? "password_hash = \"pbkdf2-sha256$1000$AAAA$AAAA\"\n" : "password = \"pw-" + std::to_string(i) + "\"\n";
  }
  auto p = Write(text);
  auto c = LoadConfig(p);
  ASSERT_TRUE(c.ok()) << c.error().text;
  ASSERT_EQ(c->users.size(), 7u);
  for (int i = 0; i < 7; ++i) {
    const auto& u = c->users[static_cast<size_t>(i)];
    EXPECT_EQ(u.name, "u" + std::to_string(i));
    if (i == 3) {
      EXPECT_EQ(u.password_hash, "pbkdf2-sha256$1000$AAAA$AAAA");
    } else {
      EXPECT_TRUE(security::VerifyPassword("pw-" + std::to_string(i), u.password_hash)) << u.name;
      EXPECT_FALSE(security::VerifyPassword("pw-" + std::to_string((i + 1) % 7), u.password_hash)) << u.name;
    }
  }
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
      {"[server]\npublic_host = \"ftp://h\"\n", "[server] public_host: the scheme must be http or https"},
      {"[server]\npublic_host = \"https://h/sap\"\n", "[server] public_host: a host[:port] without a path"},
      // Nothing is silently defaulted: a wrong type, a value out of range or an unknown key.
      {"[[listeners]]\nport = \"8443\"\n", "[[listeners]] #1 port: must be an integer from 0 to 65535"},
      {"[[listeners]]\nport = 8080\n[[listeners]]\nport = 70000\n", "[[listeners]] #2 port: must be an integer"},
      {"[[listeners]]\nport = 8080\ntsl = true\n", "[[listeners]] #1 tsl: is not a known setting"},
      {"[server]\nmax_body_byte = 10\n", "[server] max_body_byte: is not a known setting"},
      {"[server]\nio_threads = 0\n", "[server] io_threads: must be an integer from 1 to 256"},
      {"[server]\ngenerate_tls = \"true\"\n", "[server] generate_tls: must be true or false"},
      {"[server]\nclients = \"100\"\n", "[server] clients: must be an array of strings"},
      {"[security]\nmax_failed_logons = \"3\"\n", "[security] max_failed_logons: must be an integer"},
      {"[security]\nsession_idle_timeout_s = 0\n", "[security] session_idle_timeout_s: must be an integer from 1"},
      {"[security]\nlockout = 3\n", "[security] lockout: is not a known setting"},
      {"[scenarios]\nZ = \"MY_SRV\"\n", "[scenarios] Z: must be an array of strings"},
      {"[[users]]\nname = \"u\"\npasword = \"x\"\n", "[[users]] #1 pasword: is not a known setting"},
      {"[[users]]\nname = \"u\"\nscenarios = [1]\n", "[[users]] #1 scenarios: must be an array of strings"},
      {"users = 1\n", "[[users]] must be an array of tables"},
      {"[[users]]\nname = \"u\"\npassword = \"x\"\npassword_hash = \"pbkdf2-sha256$1000$AAAA$AAAA\"\n",
       "user u: give password or password_hash, not both"},
      {"[[users]]\nname = \"u\"\npassword_hash = \"\"\n", "user u: malformed password_hash"},
      {"server = 1\n", "[server] must be a table"},
      {"[store]\npool_size = 0\n", "[store] pool_size: must be an integer from 1 to 1000"},
      {"[store]\nbackends = \"postgres\"\n", "[store] backends: is not a known setting"},
      // Settings that would start and then misbehave quietly.
      {"[[users]]\nname = \"u\"\npassword = \"\"\n", "user u: password must not be empty"},
      {"[[users]]\nname = \"ADM\"\npassword = \"a\"\n[[users]]\nname = \"adm\"\npassword = \"b\"\n",
       "user adm is configured twice"},
      {"[server]\nlog_level = \"verbose\"\n", "[server] log_level must be one of"},
      {"[server]\ndefault_client = \"100\"\nclients = [\"200\"]\n", "default_client 100 is not one of clients"},
      {"[server]\nsystem_id = \"X Y\"\n", "[server] system_id must be three letters or digits"},
      {"[server]\nsystem_id = \"1AB\"\n", "[server] system_id must be three letters or digits"},
      {"[server]\npublic_host = \"h:99999\"\n", "[server] public_host: 'h:99999' is not a host[:port]"},
      {"[[listeners]]\ntls = true\nrequire_client_cert = true\n[server]\ngenerate_tls = true\n",
       "[[listeners]] port 0: require_client_cert needs client_ca_file"},
      {"[[listeners]]\nport = 8080\ncert_file = \"c.pem\"\nkey_file = \"k.pem\"\n",
       "[[listeners]] port 8080: cert_file, key_file, client_ca_file and require_client_cert need tls = true"},
      {"[[users]]\nname = \"u\"\ncert_fingerprints = [\"3f\"]\n", "user u: cert_fingerprints holds SHA-256"},
  };
  for (const auto& c : cases) {
    auto p = Write(c.text);
    auto r = LoadConfig(p);
    ASSERT_FALSE(r.ok()) << c.text;
    EXPECT_NE(r.error().text.find(c.expect), std::string::npos) << r.error().text;
    std::filesystem::remove(p);
  }
}

// A section no module reads is refused, naming it and the known ones.
TEST(ConfigTest, UnknownSectionsAreRefused) {
  toml::table root = toml::parse("[server]\n[jobs]\n[case_exchange]\n");
  EXPECT_TRUE(CheckSections(root, {"jobs", "case_exchange"}).ok());
  toml::table typo = toml::parse("[server]\n[job]\n");
  auto st = CheckSections(typo, {"jobs"});
  ASSERT_FALSE(st.ok());
  EXPECT_EQ(
      st.error().text,
      "[job] is not a section of causeway.toml (known: server, listeners, security, scenarios, users, store, jobs)");
  EXPECT_EQ(st.error().GatewayCode(), "CAUSEWAY/CONFIG/001");
  EXPECT_EQ(st.error().target, "job");
}

// Behind a proxy that terminates TLS the absolute URLs must say https although the listener
// is plain: public_host may name the scheme.
TEST(ConfigTest, PublicHostMayNameItsScheme) {
  auto p = Write("[server]\npublic_host = \"https://causeway.example.com\"\n");
  auto r = LoadConfig(p);
  ASSERT_TRUE(r.ok()) << r.error().text;
  EXPECT_EQ(r->public_host.scheme, "https");
  EXPECT_EQ(r->public_host.host, "causeway.example.com");
  std::filesystem::remove(p);
}

// Generated configurations write every key: a value that asks for nothing is not a contradiction.
TEST(ConfigTest, TlsKeysThatAskForNothingAreFineOnAPlainListener) {
  auto p = Write("[[listeners]]\nport = 8080\nrequire_client_cert = false\ncert_file = \"\"\n");
  auto r = LoadConfig(p);
  std::filesystem::remove(p);
  EXPECT_TRUE(r.ok()) << r.error().text;
}

TEST(ConfigTest, ADirectoryIsNotAConfiguration) {
  auto dir = std::filesystem::temp_directory_path() / ("cw_config_dir_" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  auto r = LoadConfig(dir);
  std::filesystem::remove(dir);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().text.find("is a directory"), std::string::npos) << r.error().text;
}

// Level names in any case; fingerprints as openssl prints them, compared as the server computes them.
TEST(ConfigTest, LogLevelAndFingerprintsAreNormalised) {
  auto p = Write(
      "[server]\nlog_level = \"WARN\"\n[[users]]\nname = \"C\"\ncert_fingerprints = "
      "[\"AB:CD:EF:01:23:45:67:89:AB:CD:EF:01:23:45:67:89:AB:CD:EF:01:23:45:67:89:AB:CD:EF:01:23:45:67:89\"]\n");
  auto r = LoadConfig(p);
  std::filesystem::remove(p);
  ASSERT_TRUE(r.ok()) << r.error().text;
  EXPECT_EQ(r->log_level, "warn");
  ASSERT_EQ(r->users.size(), 1u);
  EXPECT_EQ(r->users[0].cert_fingerprints,
            std::vector<std::string>{"ABCDEF0123456789ABCDEF0123456789ABCDEF0123456789ABCDEF0123456789"});
}

TEST(ConfigTest, DemoListensOnHttpAndHttps) {
  Config c = DemoConfig();
  EXPECT_TRUE(c.demo);
  EXPECT_EQ(c.server.listeners.size(), 2u);
}

}  // namespace
}  // namespace causeway::app
