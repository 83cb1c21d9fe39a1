// A gtest fixture for outbox unit tests, on both back ends (store/backend_fixture.h: a temporary
// SQLite store or a database in the throw-away PostgreSQL cluster), a ManualClock, a
// FakeHttpClient (manual or immediate) and the sample kinds. Nothing sleeps: tests wait for
// states through Outbox::WaitUntil, which wakes on every step of the scheduler.
#pragma once

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <memory>
#include <string>

#include "exchange/outbox.h"
#include "exchange/testing/fake_http_client.h"
#include "exchange/testing/sample_kinds.h"
#include "store/backend_fixture.h"

namespace causeway::exchange::testing {

class OutboxFixture : public store::testing::BackendTest {
 protected:
  static constexpr auto kWait = std::chrono::seconds(20);  // a bound, not a delay: sanitizers, shared host

  explicit OutboxFixture(FakeHttpClient::Mode mode = FakeHttpClient::Mode::kImmediate) : http_(mode) {}

  void TearDown() override {
    outbox_.reset();
    store::testing::BackendTest::TearDown();
  }

  static Destination Dest(std::string name = "fb", int max_concurrent = 4) {
    Destination d;
    d.name = std::move(name);
    d.base_url = "http://127.0.0.1:9/api";
    d.max_concurrent = max_concurrent;
    d.retry.initial = std::chrono::seconds(1);
    d.retry.multiplier = 2;
    d.retry.jitter = Jitter::kNone;
    d.retry.max_attempts = 4;
    d.retry.max_delay = std::chrono::minutes(10);
    return d;
  }

  OutboxOptions Options() const {
    OutboxOptions o;
    o.destinations = {Dest("fb"), Dest("cx")};
    o.kinds = SampleKinds();
    o.seed = 42;
    o.stop_timeout = std::chrono::seconds(2);
    o.prune_interval = std::chrono::hours(24 * 365);  // tests prune with PruneNow
    return o;
  }

  void Open(OutboxOptions options, HttpClient* http = nullptr) {
    auto o = Outbox::Open(*db_, clock_, http ? *http : http_, std::move(options));
    ASSERT_TRUE(o.ok()) << o.error().text;
    outbox_ = std::move(o).value();
  }
  void Open() { Open(Options()); }

  MessageId Enqueue(Message m) {
    auto id = outbox_->Enqueue(std::move(m));
    EXPECT_TRUE(id.ok()) << (id.ok() ? "" : id.error().text);
    return id.ok() ? *id : 0;
  }

  static Message CaseOp(const std::string& record, const std::string& op, int n, std::string destination = "cx") {
    return Message{.destination = std::move(destination),
                   .kind = "cx.op",
                   .ordering_key = record,
                   .object_key = record,
                   .payload = CaseOperationPayload(record, op, n)};
  }
  static Message WpCreate(const std::string& guid, const std::string& key) {
    return Message{.destination = "fb",
                   .kind = "fb.wp.create",
                   .ordering_key = key,
                   .object_key = guid,
                   .payload = WorkPackagePayload(guid, "WP " + guid),
                   .idempotency_key = guid};
  }
  static Message WpUpdate(const std::string& guid, const std::string& key, const std::string& title,
                          bool coalesce = true) {
    return Message{.destination = "fb",
                   .kind = "fb.wp.update",
                   .ordering_key = key,
                   .object_key = guid,
                   .payload = WorkPackageUpdatePayload(title),
                   .depends_on = Dependency::OnCreateOf(guid),
                   .coalesce_with_pending = coalesce};
  }
  static Message WiCreate(const std::string& guid, const std::string& wp_guid, const std::string& key) {
    return Message{.destination = "fb",
                   .kind = "fb.wi.create",
                   .ordering_key = key,
                   .object_key = guid,
                   .payload = WorkPackagePayload(guid, "WI " + guid),
                   .depends_on = Dependency::OnCreateOf(wp_guid),
                   .idempotency_key = guid};
  }

  std::optional<MessageState> StateOf(MessageId id) const {
    auto d = outbox_->Get(id);
    return d.ok() ? std::optional(d->message.state) : std::nullopt;
  }
  bool WaitState(MessageId id, MessageState state) const {
    return outbox_->WaitUntil([&] { return StateOf(id) == state; }, kWait);
  }
  MessageDetail Detail(MessageId id) const {
    auto d = outbox_->Get(id);
    EXPECT_TRUE(d.ok());
    return d.ok() ? *d : MessageDetail{};
  }
  std::vector<std::string> Paths() const {
    std::vector<std::string> out;
    for (const auto& r : http_.Requests()) out.push_back(r.method + " " + r.path);
    return out;
  }

  core::ManualClock clock_{core::FromUnixMillis(1'700'000'000'000)};
  FakeHttpClient http_;
  std::unique_ptr<Outbox> outbox_;
};

class ManualOutboxFixture : public OutboxFixture {
 protected:
  ManualOutboxFixture() : OutboxFixture(FakeHttpClient::Mode::kManual) {}
  // Completes whatever is held until nothing is busy, so that the outbox stops at once.
  void TearDown() override {
    if (outbox_) {
      outbox_->WaitUntil(
          [&] {
            http_.CompleteAll();
            return Busy() == 0 && http_.Held() == 0;
          },
          std::chrono::seconds(5));
    }
    OutboxFixture::TearDown();
  }
  int Busy() const {
    int busy = 0;
    for (const auto& d : outbox_->Destinations()) busy += d.busy;
    return busy;
  }
};

}  // namespace causeway::exchange::testing
