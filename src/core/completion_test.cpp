#include "core/completion.h"

#include <gtest/gtest.h>

#include <thread>

namespace causeway::core {
namespace {

TEST(CompletionTest, ThenRunsOnCompletionInOrderAndAtOnceAfterwards) {
  auto c = std::make_shared<Completion>();
  std::vector<int> seen;
  c->Then([&](const Status& s) { seen.push_back(s.ok() ? 1 : -1); });
  c->Then([&](const Status&) { seen.push_back(2); });
  EXPECT_TRUE(seen.empty());
  c->Complete(Status::Ok());
  EXPECT_EQ(seen, (std::vector<int>{1, 2}));
  c->Then([&](const Status&) { seen.push_back(3); });
  EXPECT_EQ(seen, (std::vector<int>{1, 2, 3}));
}

TEST(CompletionTest, FirstOutcomeWinsAndWaitSeesIt) {
  auto c = std::make_shared<Completion>();
  std::thread t([c] { c->Complete(MakeError(Code::kInternal, "X", "001", "disk full")); });
  Status s = c->Wait();
  t.join();
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.error().text, "disk full");
  c->Complete(Status::Ok());
  EXPECT_FALSE(c->Wait().ok());
  EXPECT_TRUE(Completion::Done()->Wait().ok());
}

}  // namespace
}  // namespace causeway::core
