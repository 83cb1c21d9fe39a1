#include "http/authority.h"

#include <gtest/gtest.h>

#include <utility>

namespace causeway::http {
namespace {

TEST(AuthorityTest, HostFieldsClientsSendAreValid) {
  for (const char* v : {"", "localhost", "LOCALHOST:8080", "my-tenant.example.com", "my_service:44300", "host.example.",
                        "10.0.0.1:443", "[::1]", "[::1]:8443", "[fe80::1%25eth0]:80", "[v1.x]", "h:", "a%2Db",
                        "odd!$&'()*+,;=name"})
    EXPECT_TRUE(IsValidHostField(v)) << v;
}

TEST(AuthorityTest, HostNameOfAnOriginOrAHostField) {
  const std::pair<const char*, const char*> cases[] = {{"https://Causeway.Example:8443", "causeway.example"},
                                                       {"http://evil.example/path", "evil.example"},
                                                       {"causeway.example:8443", "causeway.example"},
                                                       {"[::1]:8080", "[::1]"},
                                                       {"http://[::1]", "[::1]"},
                                                       {"localhost", "localhost"}};
  for (const auto& [in, host] : cases) EXPECT_EQ(HostNameOf(in), host) << in;
}

TEST(AuthorityTest, HostFieldsThatAreNotHostAndPortAreInvalid) {
  for (const char* v : {"a\"<b", "a b", "a/b", "user@host", "host:80x", "host:80:81", ":80", "[::1", "[::1]x",
                        "[]", "[a/b]", "a%2", "a%zz", "<script>", "h\t", "a\\b"})
    EXPECT_FALSE(IsValidHostField(v)) << v;
}

TEST(AuthorityTest, OneValidHostFieldOrNoneIsAccepted) {
  Headers none;
  EXPECT_FALSE(HasInvalidHost(none));
  Headers one;
  one.Add("HOST", "h:1");
  EXPECT_FALSE(HasInvalidHost(one));
  Headers two = one;
  two.Add("host", "h:1");
  EXPECT_TRUE(HasInvalidHost(two));  // RFC 9112 §3.2: more than one Host line, even the same
  Headers bad;
  bad.Add("Host", "a\"b");
  EXPECT_TRUE(HasInvalidHost(bad));
}

TEST(AuthorityTest, PublicHostTakesAnOptionalSchemeAndNoPath) {
  PublicHost p;
  std::string why;
  ASSERT_TRUE(ParsePublicHost("", p, why));
  EXPECT_EQ(p.scheme, "");
  EXPECT_EQ(p.host, "");
  ASSERT_TRUE(ParsePublicHost("causeway.example.com:8443", p, why));
  EXPECT_EQ(p.scheme, "");
  EXPECT_EQ(p.host, "causeway.example.com:8443");
  ASSERT_TRUE(ParsePublicHost("HTTPS://causeway.example.com/", p, why));
  EXPECT_EQ(p.scheme, "https");
  EXPECT_EQ(p.host, "causeway.example.com");
  EXPECT_FALSE(ParsePublicHost("ftp://h", p, why));
  EXPECT_EQ(why, "the scheme must be http or https");
  EXPECT_FALSE(ParsePublicHost("https://h/sap", p, why));
  EXPECT_EQ(why, "a host[:port] without a path");
  EXPECT_FALSE(ParsePublicHost("https://", p, why));
  EXPECT_FALSE(ParsePublicHost("a\"b", p, why));
  EXPECT_EQ(why, "'a\"b' is not a host[:port]");
}

TEST(AuthorityTest, BaseUrlPrefersTheConfigurationThenTheRequest) {
  Request plain;
  plain.headers.Add("Host", "client.example:50000");
  Request tls = plain;
  tls.tls = true;
  Request hostless;
  Request empty_host;
  empty_host.headers.Add("Host", "");
  EXPECT_EQ(BaseUrl(plain, {}), "http://client.example:50000");
  EXPECT_EQ(BaseUrl(tls, {}), "https://client.example:50000");
  EXPECT_EQ(BaseUrl(hostless, {}), "http://localhost");
  EXPECT_EQ(BaseUrl(empty_host, {}), "http://localhost");
  EXPECT_EQ(BaseUrl(plain, {"", "public.example"}), "http://public.example");
  EXPECT_EQ(BaseUrl(tls, {"", "public.example"}), "https://public.example");
  // Behind a proxy that terminates TLS the connection is plain: the configured scheme wins.
  EXPECT_EQ(BaseUrl(plain, {"https", "public.example"}), "https://public.example");
  EXPECT_EQ(BaseUrl(plain, {"https", ""}), "https://client.example:50000");
}

}  // namespace
}  // namespace causeway::http
