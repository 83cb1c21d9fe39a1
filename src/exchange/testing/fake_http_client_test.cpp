#include "exchange/testing/fake_http_client.h"

#include <gtest/gtest.h>

#include <thread>

namespace causeway::exchange::testing {
namespace {

OutboundRequest To(std::string path) {
  auto d = std::make_shared<Destination>();
  d->name = "fake";
  d->base_url = "http://fake.invalid";
  OutboundRequest r;
  r.destination = d;
  r.path = std::move(path);
  r.body = "payload";
  return r;
}

TEST(FakeHttpClient, ScriptsPerPathThenTheDefault) {
  FakeHttpClient fake;
  fake.Script("/a", {Answer(500), Failure(TransportError::kTimeout)});
  fake.SetDefault(Answer(201, "created"));
  EXPECT_EQ(fake.SendAndWait(To("/a")).status, 500);
  EXPECT_EQ(fake.SendAndWait(To("/a")).error, TransportError::kTimeout);
  HttpOutcome third = fake.SendAndWait(To("/a"));
  EXPECT_EQ(third.status, 201);
  EXPECT_EQ(third.body, "created");
  EXPECT_EQ(fake.SendAndWait(To("/b")).status, 201);
  ASSERT_EQ(fake.RequestCount(), 4u);
  EXPECT_EQ(fake.Requests()[3].path, "/b");
  EXPECT_EQ(fake.Requests()[3].body, "payload");
}

TEST(FakeHttpClient, ManualModeHoldsRequestsUntilCompleted) {
  FakeHttpClient fake(FakeHttpClient::Mode::kManual);
  std::vector<int> statuses;
  fake.Script("/x", {Answer(429, "", {{"Retry-After", "5"}})});
  fake.Send(To("/x"), [&](HttpOutcome o) { statuses.push_back(o.status); });
  fake.Send(To("/y"), [&](HttpOutcome o) { statuses.push_back(o.status); });
  EXPECT_EQ(fake.Held(), 2u);
  EXPECT_TRUE(statuses.empty());
  EXPECT_TRUE(fake.CompleteNext());
  EXPECT_EQ(statuses, std::vector<int>{429});
  EXPECT_EQ(fake.CompleteAll(), 1u);
  EXPECT_EQ(statuses, (std::vector<int>{429, 200}));
  EXPECT_FALSE(fake.CompleteNext());
}

TEST(FakeHttpClient, SendAndWaitInManualModeIsCompletedByAnotherThread) {
  FakeHttpClient fake(FakeHttpClient::Mode::kManual);
  std::thread completer([&] {
    ASSERT_TRUE(fake.WaitForRequests(1, std::chrono::seconds(10)));
    fake.CompleteAll();
  });
  EXPECT_EQ(fake.SendAndWait(To("/z")).status, 200);
  completer.join();
}

TEST(FakeHttpClient, ResponderAndCancelOnDestruction) {
  HttpOutcome last;
  {
    FakeHttpClient fake(FakeHttpClient::Mode::kManual);
    fake.SetResponder([](const OutboundRequest& r) { return Answer(r.path == "/ok" ? 204 : 404); });
    fake.Send(To("/ok"), [&](HttpOutcome o) { last = std::move(o); });
    fake.CompleteNext();
    EXPECT_EQ(last.status, 204);
    fake.Send(To("/pending"), [&](HttpOutcome o) { last = std::move(o); });
  }
  EXPECT_EQ(last.error, TransportError::kCancelled);
}

}  // namespace
}  // namespace causeway::exchange::testing
