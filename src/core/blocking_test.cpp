#include "core/blocking.h"

#include <gtest/gtest.h>

#include <thread>

namespace causeway::core {
namespace {

TEST(BlockingTest, AScopeForbidsWaitingOnItsThreadOnlyAndNests) {
  EXPECT_TRUE(MayBlock());
  {
    NonBlockingScope outer;
    EXPECT_FALSE(MayBlock());
    bool other_thread = false;
    std::thread([&] { other_thread = MayBlock(); }).join();
    EXPECT_TRUE(other_thread);
    {
      NonBlockingScope inner;
      EXPECT_FALSE(MayBlock());
    }
    EXPECT_FALSE(MayBlock());  // the inner scope restored the outer one's state
    {
      NonBlockingScope inactive(false);
      EXPECT_FALSE(MayBlock());  // an inactive scope inside an active one changes nothing
    }
  }
  {
    NonBlockingScope inactive(false);
    EXPECT_TRUE(MayBlock());
  }
  EXPECT_TRUE(MayBlock());
}

TEST(BlockingTest, WouldBlockIsRecognisedAndNothingElseIs) {
  EXPECT_TRUE(IsWouldBlock(WouldBlock()));
  EXPECT_EQ(WouldBlock().code, Code::kUnavailable);
  EXPECT_FALSE(IsWouldBlock(MakeError(Code::kUnavailable, "CAUSEWAY/CX", "030", "busy")));
  EXPECT_FALSE(IsWouldBlock(MakeError(Code::kUnavailable, "CAUSEWAY/CORE", "002", "other")));
}

}  // namespace
}  // namespace causeway::core
