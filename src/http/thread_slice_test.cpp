#include "http/thread_slice.h"

#include <gtest/gtest.h>

#include <thread>

namespace causeway::http {
namespace {

TEST(ThreadSliceTest, RequestedSliceIsKeptAndOtherThreadsAreUntouched) {
  std::chrono::microseconds seen{-1}, other{-1};
  bool ok = false;
  std::thread([&] {
    ok = RequestThreadSlice(std::chrono::microseconds(250));
    seen = ThreadSlice();
  }).join();
  std::thread([&] { other = ThreadSlice(); }).join();
  if (!ok || seen.count() == 0) GTEST_SKIP() << "this kernel has no custom slices (Linux < 6.12)";
  EXPECT_EQ(seen, std::chrono::microseconds(250));
  EXPECT_NE(other, std::chrono::microseconds(250));
}

TEST(ThreadSliceTest, ZeroLeavesTheDefault) {
  std::chrono::microseconds before{-1}, after{-2};
  std::thread([&] {
    before = ThreadSlice();
    EXPECT_FALSE(RequestThreadSlice(std::chrono::microseconds(0)));
    after = ThreadSlice();
  }).join();
  EXPECT_EQ(before, after);
}

}  // namespace
}  // namespace causeway::http
