#include "exchange/backoff.h"

#include <gtest/gtest.h>

#include <functional>
#include <set>

#include "core/time_format.h"

namespace causeway::exchange {
namespace {

using std::chrono::milliseconds;

BackoffPolicy Policy(Jitter jitter) {
  BackoffPolicy p;
  p.initial = milliseconds(100);
  p.max_delay = milliseconds(10'000);
  p.multiplier = 2.0;
  p.jitter = jitter;
  p.max_attempts = 0;
  p.max_age = milliseconds(0);
  return p;
}

TEST(NextAttemptDelay, WithoutJitterGrowsToTheCap) {
  std::mt19937_64 rng(1);
  const int64_t expected[] = {100, 200, 400, 800, 1600, 3200, 6400, 10000, 10000};
  for (int n = 1; n <= 9; ++n) {
    auto d = NextAttemptDelay(Policy(Jitter::kNone), {n, milliseconds(0), milliseconds(0)}, rng);
    ASSERT_TRUE(d.has_value()) << n;
    EXPECT_EQ(d->count(), expected[n - 1]) << n;
  }
  // A huge attempt count saturates instead of overflowing.
  auto d = NextAttemptDelay(Policy(Jitter::kNone), {100000, milliseconds(0), milliseconds(0)}, rng);
  EXPECT_EQ(d, milliseconds(10'000));
}

TEST(NextAttemptDelay, FullJitterStaysInItsRangeAndSpreads) {
  std::mt19937_64 rng(7);
  for (int n = 1; n <= 12; ++n) {
    const int64_t ceiling = std::min<int64_t>(100LL << (n - 1), 10'000);
    std::set<int64_t> seen;
    for (int i = 0; i < 200; ++i) {
      auto d = NextAttemptDelay(Policy(Jitter::kFull), {n, milliseconds(0), milliseconds(0)}, rng);
      ASSERT_TRUE(d.has_value());
      EXPECT_GE(d->count(), 0) << n;
      EXPECT_LE(d->count(), ceiling) << n;
      seen.insert(d->count());
    }
    EXPECT_GT(seen.size(), 20u) << "attempt " << n << " is not jittered";
  }
}

TEST(NextAttemptDelay, DecorrelatedJitterBetweenInitialAndThreeTimesThePrevious) {
  std::mt19937_64 rng(3);
  milliseconds previous(0);
  for (int n = 1; n <= 30; ++n) {
    auto d = NextAttemptDelay(Policy(Jitter::kDecorrelated), {n, previous, milliseconds(0)}, rng);
    ASSERT_TRUE(d.has_value());
    const int64_t hi = std::min<int64_t>(3 * std::max<int64_t>(previous.count(), 100), 10'000);
    EXPECT_GE(d->count(), 100) << n;
    EXPECT_LE(d->count(), hi) << n;
    previous = *d;
  }
}

TEST(NextAttemptDelay, SameSeedSameSchedule) {
  std::mt19937_64 a(42), b(42);
  for (int n = 1; n <= 10; ++n) {
    EXPECT_EQ(NextAttemptDelay(Policy(Jitter::kFull), {n, milliseconds(0), milliseconds(0)}, a),
              NextAttemptDelay(Policy(Jitter::kFull), {n, milliseconds(0), milliseconds(0)}, b));
  }
}

TEST(NextAttemptDelay, GivesUpAfterMaxAttempts) {
  std::mt19937_64 rng(1);
  BackoffPolicy p = Policy(Jitter::kNone);
  p.max_attempts = 3;  // the first attempt and two retries
  EXPECT_TRUE(NextAttemptDelay(p, {1, milliseconds(0), milliseconds(0)}, rng).has_value());
  EXPECT_TRUE(NextAttemptDelay(p, {2, milliseconds(0), milliseconds(0)}, rng).has_value());
  EXPECT_FALSE(NextAttemptDelay(p, {3, milliseconds(0), milliseconds(0)}, rng).has_value());
  p.max_attempts = 1;  // never retry
  EXPECT_FALSE(NextAttemptDelay(p, {1, milliseconds(0), milliseconds(0)}, rng).has_value());
}

TEST(NextAttemptDelay, GivesUpWhenTheNextAttemptWouldBeTooOld) {
  std::mt19937_64 rng(1);
  BackoffPolicy p = Policy(Jitter::kNone);
  p.max_age = milliseconds(1000);
  EXPECT_EQ(NextAttemptDelay(p, {1, milliseconds(0), milliseconds(900)}, rng), milliseconds(100));
  EXPECT_FALSE(NextAttemptDelay(p, {1, milliseconds(0), milliseconds(901)}, rng).has_value());
}

TEST(NextAttemptTime, HonoursRetryAfterWithinMaxAge) {
  const core::SystemTime now = *core::ParseIso8601("2026-03-01T12:00:00Z");
  std::mt19937_64 rng(1);
  BackoffPolicy p = Policy(Jitter::kNone);
  p.max_age = milliseconds(60'000);
  AttemptState s{1, milliseconds(0), milliseconds(5'000)};

  auto plain = NextAttemptTime(p, s, now, std::nullopt, rng);
  ASSERT_TRUE(plain.has_value());
  EXPECT_EQ(plain->at, now + milliseconds(100));
  EXPECT_EQ(plain->delay, milliseconds(100));

  auto later = NextAttemptTime(p, s, now, now + std::chrono::seconds(30), rng);
  ASSERT_TRUE(later.has_value());
  EXPECT_EQ(later->at, now + std::chrono::seconds(30));
  EXPECT_EQ(later->delay, milliseconds(30'000));

  // The server's wish earlier than the back-off: the back-off wins.
  auto earlier = NextAttemptTime(p, s, now, now + milliseconds(10), rng);
  ASSERT_TRUE(earlier.has_value());
  EXPECT_EQ(earlier->at, now + milliseconds(100));

  // Beyond max_age (5 s old + 56 s > 60 s): give up rather than wait.
  EXPECT_FALSE(NextAttemptTime(p, s, now, now + std::chrono::seconds(56), rng).has_value());
}

TEST(ValidateBackoffPolicy, NamesTheField) {
  struct Case {
    std::function<void(BackoffPolicy&)> change;
    std::string target;
  } cases[] = {
      {[](BackoffPolicy& p) { p.initial = milliseconds(0); }, "retry.initial"},
      {[](BackoffPolicy& p) { p.max_delay = milliseconds(10); }, "retry.max_delay"},
      {[](BackoffPolicy& p) { p.multiplier = 0.9; }, "retry.multiplier"},
      {[](BackoffPolicy& p) { p.multiplier = 1000; }, "retry.multiplier"},
      {[](BackoffPolicy& p) { p.max_attempts = -1; }, "retry.max_attempts"},
      {[](BackoffPolicy& p) { p.max_age = milliseconds(-1); }, "retry.max_age"},
  };
  EXPECT_TRUE(ValidateBackoffPolicy(BackoffPolicy{}).ok());
  for (const Case& c : cases) {
    BackoffPolicy p;
    c.change(p);
    core::Status s = ValidateBackoffPolicy(p);
    ASSERT_FALSE(s.ok()) << c.target;
    EXPECT_EQ(s.error().target, c.target);
  }
}

}  // namespace
}  // namespace causeway::exchange
