#include "security/session_codec.h"

#include <gtest/gtest.h>

namespace causeway::security {
namespace {

TEST(SessionCodecTest, RoundTripsAndRejectsForgery) {
  core::ManualClock clock(core::FromUnixMillis(1'700'000'000'000));
  SessionCodec codec("secret", {}, clock);
  Session s = codec.NewSession("JOB_SCHEDULER", "100");
  std::string v = codec.Encode(s);
  auto back = codec.Decode(v);
  ASSERT_TRUE(back);
  EXPECT_EQ(back->id, s.id);
  EXPECT_EQ(back->user, "JOB_SCHEDULER");
  EXPECT_EQ(back->client, "100");
  std::string tampered = v;
  tampered[3] = tampered[3] == 'A' ? 'B' : 'A';
  EXPECT_FALSE(codec.Decode(tampered));
  SessionCodec other("other-secret", {}, clock);
  EXPECT_FALSE(other.Decode(v)) << "another node with another secret must not accept it";
  SessionCodec same_secret("secret", {}, clock);
  EXPECT_TRUE(same_secret.Decode(v)) << "any node with the shared secret accepts it";
  EXPECT_FALSE(codec.Decode("garbage"));
  EXPECT_FALSE(codec.Decode(""));
}

// Every other spelling of the same bytes is refused: any edit to the cookie fails, including one
// that only touches the unused low bits of the last character or swaps in the standard alphabet.
TEST(SessionCodecTest, OnlyTheMintedSpellingVerifies) {
  core::ManualClock clock(core::FromUnixMillis(1'700'000'000'000));
  SessionCodec codec("secret", {}, clock);
  std::string v = codec.Encode(codec.NewSession("JOB_SCHEDULER", "100"));
  ASSERT_TRUE(codec.Decode(v));
  size_t edits_that_verify = 0;
  const std::string alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_+/=.";
  for (size_t i = 0; i < v.size(); ++i)
    for (char c : alphabet) {
      if (c == v[i]) continue;
      std::string edited = v;
      edited[i] = c;
      if (codec.Decode(edited)) ++edits_that_verify;
    }
  EXPECT_EQ(edits_that_verify, 0u);
  EXPECT_FALSE(codec.Decode(v + "="));
  EXPECT_FALSE(codec.Decode(v + "=="));
}

TEST(SessionCodecTest, IdleAndAbsoluteExpiry) {
  core::ManualClock clock(core::FromUnixMillis(1'700'000'000'000));
  SessionPolicy p;
  p.idle_timeout = std::chrono::seconds(100);
  p.absolute_timeout = std::chrono::seconds(250);
  SessionCodec codec("k", p, clock);
  Session s = codec.NewSession("U", "100");
  clock.Advance(std::chrono::seconds(90));
  ASSERT_TRUE(codec.Decode(codec.Encode(s)));
  s = codec.Touch(s);
  clock.Advance(std::chrono::seconds(90));
  ASSERT_TRUE(codec.Decode(codec.Encode(s))) << "touched session is not idle";
  clock.Advance(std::chrono::seconds(20));
  EXPECT_FALSE(codec.Decode(codec.Encode(s))) << "idle for 110 s";
  s = codec.Touch(s);
  clock.Advance(std::chrono::seconds(60));
  EXPECT_FALSE(codec.Decode(codec.Encode(codec.Touch(s)))) << "older than the absolute timeout";
}

// A client that keeps the cookie of its first response stays logged on while it is active: the
// idle time runs from the last use this node saw, not from the time in the cookie.
TEST(SessionCodecTest, IdleTimeRunsFromTheLastUseNotFromTheCookie) {
  core::ManualClock clock(core::FromUnixMillis(1'700'000'000'000));
  SessionPolicy p;
  p.idle_timeout = std::chrono::seconds(100);
  SessionCodec codec("k", p, clock);
  const std::string first_cookie = codec.Encode(codec.NewSession("U", "100"));
  for (int i = 0; i < 10; ++i) {
    clock.Advance(std::chrono::seconds(60));
    auto s = codec.Decode(first_cookie);
    ASSERT_TRUE(s) << "in use for " << (i + 1) * 60 << " s";
    codec.NoteUse(*s);
  }
  clock.Advance(std::chrono::seconds(101));
  EXPECT_FALSE(codec.Decode(first_cookie)) << "idle for 101 s";
}

// With an idle timeout shorter than the refresh interval, a client that does take the new
// cookies gets them in time.
TEST(SessionCodecTest, AShortIdleTimeoutRefreshesTheCookieInTime) {
  core::ManualClock clock(core::FromUnixMillis(1'700'000'000'000));
  SessionPolicy p;
  p.idle_timeout = std::chrono::seconds(20);
  SessionCodec codec("k", p, clock);
  Session s = codec.NewSession("U", "100");
  clock.Advance(std::chrono::seconds(9));
  EXPECT_FALSE(codec.NeedsRefresh(s));
  clock.Advance(std::chrono::seconds(1));
  EXPECT_TRUE(codec.NeedsRefresh(s));
}

TEST(SessionCodecTest, CsrfTokenLooksLikeSapsAndIsBoundToTheSession) {
  core::SystemClock clock;
  SessionCodec codec("k", {}, clock);
  Session a = codec.NewSession("U", "100"), b = codec.NewSession("U", "100");
  std::string t = codec.CsrfToken(a);
  EXPECT_EQ(t.size(), 24u);
  EXPECT_EQ(t.substr(22), "==");
  EXPECT_TRUE(codec.CsrfValid(a, t));
  EXPECT_FALSE(codec.CsrfValid(b, t));
  EXPECT_FALSE(codec.CsrfValid(a, ""));
}

}  // namespace
}  // namespace causeway::security
