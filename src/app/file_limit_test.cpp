#include "app/file_limit.h"

#include <gtest/gtest.h>
#include <sys/resource.h>

namespace causeway::app {
namespace {

TEST(FileLimitTest, ConnectionsLeaveRoomForTheRestOfTheProcess) {
  EXPECT_EQ(ConnectionsWithinFileLimit(4096, 1024), 896u);      // Debian's default soft limit
  EXPECT_EQ(ConnectionsWithinFileLimit(4096, 128), 64u);        // at least 64 for the rest
  EXPECT_EQ(ConnectionsWithinFileLimit(4096, 1048576), 4096u);  // fits
  EXPECT_EQ(ConnectionsWithinFileLimit(100, 1024), 100u);
  EXPECT_EQ(ConnectionsWithinFileLimit(4096, 10), 1u);  // never none
  EXPECT_EQ(ConnectionsWithinFileLimit(4096, UINT64_MAX), 4096u);
}

TEST(FileLimitTest, TheSoftLimitIsRaisedToTheHardOne) {
  rlimit before{};
  ASSERT_EQ(getrlimit(RLIMIT_NOFILE, &before), 0);
  const uint64_t now = RaiseFileLimit();
  rlimit after{};
  ASSERT_EQ(getrlimit(RLIMIT_NOFILE, &after), 0);
  EXPECT_EQ(after.rlim_cur, after.rlim_max);
  EXPECT_EQ(after.rlim_max, before.rlim_max);
  if (after.rlim_cur != RLIM_INFINITY) {
    EXPECT_EQ(now, static_cast<uint64_t>(after.rlim_cur));
  }
}

}  // namespace
}  // namespace causeway::app
