#include "client/connection_config.h"

#include <gtest/gtest.h>
#include <sys/stat.h>

#include <filesystem>
#include <fstream>
#include <map>

namespace causeway::client {
namespace {

class ConnectionConfigTest : public ::testing::Test {
 protected:
  void SetUp() override {
    char tmpl[] = "/tmp/cw_cfg_XXXXXX";
    ASSERT_NE(mkdtemp(tmpl), nullptr);
    dir_ = tmpl;
    env_["HOME"] = dir_;  // no default config file there
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  std::string WriteConfig(const std::string& text, mode_t mode) {
    std::string path = dir_ + "/client.toml";
    std::ofstream(path) << text;
    chmod(path.c_str(), mode);
    return path;
  }
  EnvLookup Env() {
    return [this](const char* name) -> std::optional<std::string> {
      auto it = env_.find(name);
      if (it == env_.end()) return std::nullopt;
      return it->second;
    };
  }

  std::string dir_;
  std::map<std::string, std::string> env_;
};

TEST_F(ConnectionConfigTest, FlagsBeatEnvBeatFile) {
  ConnectionFlags flags;
  flags.config_file = WriteConfig(
      "url = \"https://file/sap\"\nuser = \"FILEUSER\"\npassword = \"filepw\"\nsap_client = 100\n"
      "request_timeout = \"30s\"\n", 0600);
  env_["CAUSEWAY_USER"] = "ENVUSER";
  flags.url = "https://flag/sap";
  auto c = ResolveConnection(flags, Env());
  ASSERT_TRUE(c.ok()) << c.error().text;
  EXPECT_EQ(c->url, "https://flag/sap");
  EXPECT_EQ(c->http.user, "ENVUSER");
  EXPECT_EQ(c->http.password, "filepw");
  EXPECT_EQ(c->http.request_timeout.count(), 30000);
  ASSERT_EQ(c->extra_query.size(), 1u);
  EXPECT_EQ(c->extra_query[0].second, "100");
  EXPECT_TRUE(c->warnings.empty());
}

TEST_F(ConnectionConfigTest, RefusesLooseConfigPermissions) {
  ConnectionFlags flags;
  flags.config_file = WriteConfig("url = \"https://h\"\n", 0644);
  auto c = ResolveConnection(flags, Env());
  ASSERT_FALSE(c.ok());
  EXPECT_NE(c.error().text.find("0644"), std::string::npos) << c.error().text;
}

TEST_F(ConnectionConfigTest, RejectsUnknownKeysAndUrlCredentials) {
  ConnectionFlags flags;
  flags.config_file = WriteConfig("pasword = \"typo\"\n", 0600);
  EXPECT_FALSE(ResolveConnection(flags, Env()).ok());
  ConnectionFlags f2;
  f2.url = "https://u:p@host/x";
  f2.user = "u";
  f2.password = "p";
  auto c = ResolveConnection(f2, Env());
  ASSERT_FALSE(c.ok());
  EXPECT_EQ(c.error().text.find(":p@"), std::string::npos);  // no secret echoed
}

TEST_F(ConnectionConfigTest, PasswordFlagWarnsWithoutEchoingIt) {
  ConnectionFlags flags;
  flags.url = "https://h/x";
  flags.user = "U";
  flags.password = "s3cr3t-value";
  auto c = ResolveConnection(flags, Env());
  ASSERT_TRUE(c.ok());
  ASSERT_EQ(c->warnings.size(), 1u);
  EXPECT_EQ(c->warnings[0].find("s3cr3t-value"), std::string::npos);
}

TEST_F(ConnectionConfigTest, NeedsCredentialsOrCertificate) {
  ConnectionFlags flags;
  flags.url = "https://h/x";
  flags.user = "U";
  EXPECT_FALSE(ResolveConnection(flags, Env()).ok());
  const std::string cert = ::testing::TempDir() + "cw_client_cert.pem";
  std::ofstream(cert) << "not checked here, only that it can be read";
  flags.client_cert = cert;
  EXPECT_TRUE(ResolveConnection(flags, Env()).ok());
  // A file named but not readable is a usage error, not a TLS failure at the first request.
  flags.client_cert = "/nonexistent/cert.pem";
  auto missing = ResolveConnection(flags, Env());
  ASSERT_FALSE(missing.ok());
  EXPECT_NE(missing.error().text.find("client certificate /nonexistent/cert.pem: No such file"), std::string::npos)
      << missing.error().text;
  flags.client_cert.clear();
  flags.password = "pw";
  flags.ca_bundle = "/nonexistent/ca.pem";
  EXPECT_FALSE(ResolveConnection(flags, Env()).ok());
  flags.ca_bundle.clear();
  flags.request_timeout = "0s";
  EXPECT_FALSE(ResolveConnection(flags, Env()).ok());
}

TEST_F(ConnectionConfigTest, EnvOnly) {
  env_["CAUSEWAY_URL"] = "https://e/x";
  env_["CAUSEWAY_USER"] = "U";
  env_["CAUSEWAY_PASSWORD"] = "P";
  auto c = ResolveConnection({}, Env());
  ASSERT_TRUE(c.ok());
  EXPECT_EQ(c->http.password, "P");
  EXPECT_TRUE(c->warnings.empty());
}

}  // namespace
}  // namespace causeway::client
