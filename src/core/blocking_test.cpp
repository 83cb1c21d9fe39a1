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

TEST(BlockingTest, OnlyTheInnermostActiveScopeOffersItsParking) {
  Parking parking;
  EXPECT_EQ(CurrentParking(), nullptr);
  {
    NonBlockingScope scope(true, &parking);
    EXPECT_EQ(CurrentParking(), &parking);
    {
      NonBlockingScope cannot_park;  // e.g. a nested call that could not be run again
      EXPECT_EQ(CurrentParking(), nullptr);
    }
    {
      NonBlockingScope inactive(false);
      EXPECT_EQ(CurrentParking(), &parking);
    }
    EXPECT_EQ(CurrentParking(), &parking);
  }
  EXPECT_EQ(CurrentParking(), nullptr);
  {
    NonBlockingScope inactive(false, &parking);  // waiting allowed: nothing to park for
    EXPECT_EQ(CurrentParking(), nullptr);
  }
}

TEST(BlockingTest, AParkedWaitIsTakenBackOnceAndOnlyByItsOwner) {
  Parking parking;
  int barrier = 0, other = 0;
  EXPECT_FALSE(parking.Take(&barrier));
  EXPECT_EQ(parking.waiting_on(), nullptr);
  auto ready = std::make_shared<Completion>();
  parking.Park(&barrier, ready);
  EXPECT_EQ(parking.waiting_on(), ready);
  EXPECT_FALSE(parking.Take(&other));
  ready->Complete(Status::Ok());
  EXPECT_EQ(parking.Take(&barrier), ready);
  EXPECT_FALSE(parking.Take(&barrier));
  EXPECT_EQ(parking.waiting_on(), nullptr);
}

}  // namespace
}  // namespace causeway::core
