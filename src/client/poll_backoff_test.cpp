#include "client/poll_backoff.h"

#include <gtest/gtest.h>

namespace causeway::client {
namespace {

using std::chrono::milliseconds;

TEST(PollBackoff, StartsFastGrowsToMaxWithJitter) {
  PollBackoff b(milliseconds(200), milliseconds(5000), 1.6, 0.2, 42);
  std::vector<milliseconds> d;
  for (int i = 0; i < 20; ++i) d.push_back(b.Next());
  EXPECT_GE(d[0].count(), 160);
  EXPECT_LE(d[0].count(), 240);
  for (milliseconds x : d) EXPECT_LE(x.count(), 5000);
  // Late delays sit near the max (within the jitter band below it).
  for (int i = 12; i < 20; ++i) EXPECT_GE(d[i].count(), 4000) << i;
  // Jitter: late delays are not all equal.
  bool varied = false;
  for (int i = 13; i < 20; ++i) varied |= d[i] != d[12];
  EXPECT_TRUE(varied);
}

TEST(PollBackoff, ResetGoesBackToInitial) {
  PollBackoff b(milliseconds(200), milliseconds(30000), 2.0, 0.0, 1);
  for (int i = 0; i < 10; ++i) b.Next();
  b.Reset();
  EXPECT_EQ(b.Next().count(), 200);
  EXPECT_EQ(b.Next().count(), 400);
}

TEST(PollBackoff, InitialAboveMaxIsClamped) {
  PollBackoff b(milliseconds(1000), milliseconds(100), 1.6, 0.0, 1);
  EXPECT_EQ(b.Next().count(), 100);
}

TEST(PollBackoff, SameSeedSameSchedule) {
  PollBackoff a(milliseconds(200), milliseconds(3000), 1.6, 0.2, 7);
  PollBackoff b(milliseconds(200), milliseconds(3000), 1.6, 0.2, 7);
  for (int i = 0; i < 10; ++i) EXPECT_EQ(a.Next(), b.Next());
}

}  // namespace
}  // namespace causeway::client
