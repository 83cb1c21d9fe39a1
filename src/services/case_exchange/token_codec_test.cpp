#include "services/case_exchange/token_codec.h"

#include <gtest/gtest.h>

namespace causeway::services::case_exchange {
namespace {

TEST(TokenCodecTest, IssueVerifyExpire) {
  core::ManualClock clock(core::FromUnixMillis(1714550400000));
  TokenCodec codec(std::string(64, 'k'), clock, std::chrono::seconds(60));
  std::string a = codec.Issue("100000002", "10010", "ana.agent", "hash1");
  std::string b = codec.Issue("100000002", "10010", "ana.agent", "hash1");
  EXPECT_NE(a, b);  // many tokens of one person, each valid
  auto ca = codec.Verify(a), cb = codec.Verify(b);
  ASSERT_TRUE(ca && cb);
  EXPECT_EQ(ca->tenant, "100000002");
  EXPECT_EQ(ca->person_id, "10010");
  EXPECT_EQ(ca->login, "ana.agent");
  EXPECT_EQ(ca->password_fingerprint, TokenCodec::Fingerprint("hash1"));
  EXPECT_EQ(ca->expires_ms, 1714550460000);
  clock.Advance(std::chrono::seconds(59));
  EXPECT_TRUE(codec.Verify(a));
  clock.Advance(std::chrono::seconds(1));
  EXPECT_FALSE(codec.Verify(a));  // expired
}

TEST(TokenCodecTest, RefusesForgeriesAndGarbage) {
  core::ManualClock clock(core::FromUnixMillis(1714550400000));
  TokenCodec codec(std::string(64, 'k'), clock, std::chrono::seconds(60));
  TokenCodec other(std::string(64, 'x'), clock, std::chrono::seconds(60));
  std::string t = codec.Issue("1", "2", "ana", "h");
  EXPECT_FALSE(other.Verify(t));  // another node's key
  std::string tampered = t;
  tampered[3] = tampered[3] == 'A' ? 'B' : 'A';
  EXPECT_FALSE(codec.Verify(tampered));
  for (const char* bad : {"", ".", "abc", "abc.def", "..", "a.b.c"}) EXPECT_FALSE(codec.Verify(bad)) << bad;
  EXPECT_FALSE(codec.Verify(std::string(5000, 'a')));
}

}  // namespace
}  // namespace causeway::services::case_exchange
