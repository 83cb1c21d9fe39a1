#include "core/clock.h"

#include <gtest/gtest.h>

#include <atomic>
#include <cstdint>
#include <thread>

namespace causeway::core {
namespace {

using namespace std::chrono_literals;

const SystemTime kStart = FromUnixMillis(1'700'000'000'000);

// A waiter on virtual time wakes when (and only when) the clock is moved past its deadline.
TEST(AlarmTest, VirtualDeadlineEndsWhenTheClockIsMoved) {
  ManualClock clock(kStart);
  Alarm alarm(clock);
  std::atomic<bool> woke{false};
  std::thread waiter([&] {
    EXPECT_TRUE(alarm.WaitUntil(kStart + 1h, alarm.Arm()));
    woke = true;
  });
  clock.Advance(30min);  // not yet
  std::this_thread::sleep_for(20ms);
  EXPECT_FALSE(woke.load());
  clock.Advance(30min);
  waiter.join();
  EXPECT_TRUE(woke.load());
  EXPECT_GE(clock.Now(), kStart + 1h);
}

TEST(AlarmTest, NotifyAfterArmIsNeverLost) {
  ManualClock clock(kStart);
  Alarm alarm(clock);
  uint64_t armed = alarm.Arm();
  alarm.Notify();  // between looking for work and waiting
  EXPECT_TRUE(alarm.Wait(armed));
}

TEST(AlarmTest, NotifyWakesEveryWaiterAndStopEndsWaits) {
  ManualClock clock(kStart);
  Alarm alarm(clock);
  std::atomic<int> woke{0};
  std::vector<std::thread> waiters;
  for (int i = 0; i < 3; ++i)
    waiters.emplace_back([&, armed = alarm.Arm()] {
      if (alarm.Wait(armed)) ++woke;
    });
  alarm.Notify();
  for (auto& t : waiters) t.join();
  EXPECT_EQ(woke.load(), 3);
  alarm.Stop();
  EXPECT_FALSE(alarm.Wait(alarm.Arm()));
  EXPECT_TRUE(alarm.stopped());
}

TEST(AlarmTest, PastDeadlineReturnsAtOnceOnTheRealClock) {
  SystemClock clock;
  Alarm alarm(clock);
  EXPECT_TRUE(alarm.WaitUntil(clock.Now() - 1s, alarm.Arm()));
  // A short real deadline ends the wait without a notification.
  EXPECT_TRUE(alarm.WaitUntil(clock.Now() + 5ms, alarm.Arm()));
}

TEST(AlarmTest, FarDeadlinesDoNotOverflow) {
  SystemClock clock;
  EXPECT_EQ(clock.WakeBy(SystemTime::max()), std::chrono::steady_clock::time_point::max());
}

TEST(UnixMillisTest, DatesBeyondTheClocksRangeStandAtItsEnds) {
  EXPECT_EQ(ToUnixMillis(FromUnixMillis(1'700'000'000'123)), 1'700'000'000'123);
  EXPECT_EQ(ToUnixMillis(FromUnixMillis(-1'000)), -1'000);
  // 9999-12-31T23:59:59 (SAP's open end) and 1000-01-01: the nanosecond count would overflow.
  EXPECT_EQ(FromUnixMillis(253'402'300'799'000), SystemTime::max());
  EXPECT_EQ(FromUnixMillis(-30'610'224'000'000), SystemTime::min());
  EXPECT_EQ(FromUnixMillis(INT64_MAX), SystemTime::max());
  EXPECT_EQ(FromUnixMillis(INT64_MIN), SystemTime::min());
  EXPECT_LT(FromUnixMillis(1'700'000'000'000), FromUnixMillis(253'402'300'799'000));
}

}  // namespace
}  // namespace causeway::core
