// The outbox's delivery rules with a fake HTTP client, a ManualClock and a real SQLite store:
// enqueue in the caller's unit, order per key, parallelism across keys, the concurrency limit,
// back-off on the clock, failure blocking a key, coalescing, dependencies, lost answers.
#include "exchange/outbox.h"

#include <gtest/gtest.h>

#include <map>
#include <thread>

#include "exchange/testing/outbox_fixture.h"

namespace causeway::exchange {
namespace {

using namespace std::chrono_literals;
using testing::Answer;
using testing::ExternalIdAnswer;
using testing::Failure;

class OutboxTest : public testing::OutboxFixture {};
class ManualOutboxTest : public testing::ManualOutboxFixture {};
CW_STORE_BACKENDS(OutboxTest);
CW_STORE_BACKENDS(ManualOutboxTest);

// The n of each cx.op request to `record`, in the order they were sent.
std::vector<int> SentOrder(const std::vector<OutboundRequest>& requests, const std::string& record) {
  std::vector<int> out;
  for (const auto& r : requests) {
    if (!r.path.starts_with("/cx/" + record + "/")) continue;
    size_t at = r.body.find("\"n\":");
    out.push_back(std::stoi(r.body.substr(at + 4)));
  }
  return out;
}

TEST_P(OutboxTest, CommittedMessageIsSentWithItsIdempotencyKey) {
  Open();
  Message m = CaseOp("CR-1", "Assign", 1);
  m.idempotency_key = "3F2A-GUID";
  MessageId id = Enqueue(m);
  ASSERT_TRUE(WaitState(id, MessageState::kDelivered));
  ASSERT_EQ(http_.RequestCount(), 1u);
  const OutboundRequest r = http_.Requests()[0];
  EXPECT_EQ(r.method, "POST");
  EXPECT_EQ(r.path, "/cx/CR-1/Assign");
  EXPECT_EQ(r.idempotency_key, "3F2A-GUID");
  EXPECT_EQ(r.headers.Get("Content-Type"), "application/json");
  ASSERT_TRUE(r.destination);
  EXPECT_EQ(r.destination->name, "cx");
  MessageDetail d = Detail(id);
  EXPECT_FALSE(d.message.head);
  EXPECT_TRUE(d.message.finished.has_value());
  ASSERT_EQ(d.attempts.size(), 1u);
  EXPECT_EQ(d.attempts[0].outcome, "success");
  EXPECT_EQ(d.attempts[0].status, 200);
}

TEST_P(OutboxTest, DefaultIdempotencyKeyIsStableAndNamesTheMessage) {
  Open();
  MessageId id = Enqueue(CaseOp("CR-1", "Assign", 1));
  ASSERT_TRUE(WaitState(id, MessageState::kDelivered));
  EXPECT_EQ(http_.Requests().at(0).idempotency_key, "causeway-outbox-" + std::to_string(id));
}

TEST_P(OutboxTest, RolledBackUnitSendsNothingCommittedOneSendsBoth) {
  Open();
  {
    store::UnitOfWork unit(*db_);
    ASSERT_TRUE(outbox_->Enqueue(unit, CaseOp("CR-1", "RolledBack", 1)).ok());
    unit.Rollback();
  }
  {
    // A domain change and its message in one unit: the failing domain write takes the message.
    store::UnitOfWork unit(*db_);
    unit.Add([](store::Tx& tx) { return tx.Exec("CREATE TABLE domain_rows (id INTEGER PRIMARY KEY)"); });
    unit.Add([](store::Tx& tx) { return tx.Exec("INSERT INTO domain_rows (id) VALUES (1)"); });
    ASSERT_TRUE(outbox_->Enqueue(unit, CaseOp("CR-1", "Committed", 2)).ok());
    ASSERT_TRUE(unit.Commit().ok());
  }
  {
    store::UnitOfWork unit(*db_);
    unit.Add([](store::Tx& tx) { return tx.Exec("INSERT INTO domain_rows (id) VALUES (1)"); });  // duplicate
    ASSERT_TRUE(outbox_->Enqueue(unit, CaseOp("CR-1", "FailedWithTheDomain", 3)).ok());
    EXPECT_FALSE(unit.Commit().ok());
  }
  MessageId last = Enqueue(CaseOp("CR-1", "Last", 4));
  ASSERT_TRUE(WaitState(last, MessageState::kDelivered));
  EXPECT_EQ(Paths(), (std::vector<std::string>{"POST /cx/CR-1/Committed", "POST /cx/CR-1/Last"}));
  auto page = outbox_->List({});
  ASSERT_TRUE(page.ok());
  EXPECT_EQ(page->messages.size(), 2u);
}

TEST_P(OutboxTest, EnqueueJoinsTheCurrentUnitOfWork) {
  Open();
  store::UnitOfWork unit(*db_);
  {
    store::UnitOfWork::Scope scope(unit);
    ASSERT_TRUE(outbox_->Enqueue(CaseOp("CR-1", "InScope", 1)).ok());
  }
  auto page = outbox_->List({});
  ASSERT_TRUE(page.ok());
  EXPECT_TRUE(page->messages.empty()) << "staged only";
  ASSERT_TRUE(unit.Commit().ok());
  page = outbox_->List({});
  ASSERT_TRUE(page.ok());
  ASSERT_EQ(page->messages.size(), 1u);
  EXPECT_TRUE(WaitState(page->messages[0].id, MessageState::kDelivered));
}

TEST_P(ManualOutboxTest, OneMessagePerKeyInFlightKeysInParallel) {
  Open();
  for (int i = 1; i <= 3; ++i) {
    Enqueue(CaseOp("A", "op", i));
    Enqueue(CaseOp("B", "op", i));
  }
  for (size_t round = 1; round <= 3; ++round) {
    ASSERT_TRUE(http_.WaitForRequests(2 * round, kWait)) << "round " << round;
    // Both keys have their head in flight; nothing else can go out before they are answered.
    EXPECT_EQ(http_.Held(), 2u);
    EXPECT_EQ(http_.RequestCount(), 2 * round);
    http_.CompleteAll();
  }
  ASSERT_TRUE(outbox_->WaitUntil([&] { return Busy() == 0; }, kWait));
  EXPECT_EQ(SentOrder(http_.Requests(), "A"), (std::vector<int>{1, 2, 3}));
  EXPECT_EQ(SentOrder(http_.Requests(), "B"), (std::vector<int>{1, 2, 3}));
}

TEST_P(ManualOutboxTest, ConcurrencyLimitPerDestination) {
  OutboxOptions o = Options();
  o.destinations = {Dest("fb"), Dest("cx", 2)};
  Open(o);
  std::vector<MessageId> ids;
  for (int i = 0; i < 5; ++i) ids.push_back(Enqueue(CaseOp("R" + std::to_string(i), "op", 1)));
  size_t answered = 0;
  while (answered < ids.size()) {
    ASSERT_TRUE(http_.WaitForRequests(std::min(answered + 2, ids.size()), kWait));
    EXPECT_LE(http_.Held(), 2u);
    EXPECT_EQ(http_.RequestCount(), std::min(answered + 2, ids.size()));
    ASSERT_TRUE(http_.CompleteNext());
    ++answered;
  }
  for (MessageId id : ids) EXPECT_TRUE(WaitState(id, MessageState::kDelivered));
}

TEST_P(OutboxTest, RetriesFollowTheBackoffOnTheClock) {
  http_.Script("/cx/R/op", {Answer(503), Answer(500), Answer(200)});
  Open();
  const core::SystemTime t0 = clock_.Now();
  MessageId id = Enqueue(CaseOp("R", "op", 1));
  ASSERT_TRUE(outbox_->WaitUntil([&] { return Detail(id).attempts.size() == 1; }, kWait));
  MessageDetail d = Detail(id);
  EXPECT_EQ(d.message.state, MessageState::kPending);
  EXPECT_EQ(d.message.not_before, t0 + 1s);  // initial 1 s, no jitter
  EXPECT_EQ(d.message.last_error, "HTTP 503");
  EXPECT_TRUE(d.message.head);

  clock_.Advance(1s);
  ASSERT_TRUE(outbox_->WaitUntil([&] { return Detail(id).attempts.size() == 2; }, kWait));
  EXPECT_EQ(Detail(id).message.not_before, t0 + 1s + 2s);  // doubled
  clock_.Advance(2s);
  ASSERT_TRUE(WaitState(id, MessageState::kDelivered));
  d = Detail(id);
  ASSERT_EQ(d.attempts.size(), 3u);
  EXPECT_EQ(d.attempts[0].outcome, "retryable");
  EXPECT_EQ(d.attempts[0].status, 503);
  EXPECT_EQ(d.attempts[1].status, 500);
  EXPECT_EQ(d.attempts[2].outcome, "success");
  EXPECT_EQ(d.attempts[2].started, t0 + 3s);
  const auto requests = http_.Requests();
  ASSERT_EQ(requests.size(), 3u);
  for (const auto& r : requests) EXPECT_EQ(r.idempotency_key, requests[0].idempotency_key);
}

TEST_P(OutboxTest, RetryAfterFromTheServerWins) {
  http_.Script("/cx/R/op", {Answer(503, "", {{"Retry-After", "120"}}), Answer(200)});
  Open();
  const core::SystemTime t0 = clock_.Now();
  MessageId id = Enqueue(CaseOp("R", "op", 1));
  ASSERT_TRUE(outbox_->WaitUntil([&] { return Detail(id).attempts.size() == 1; }, kWait));
  EXPECT_EQ(Detail(id).message.not_before, t0 + 120s);
  clock_.Advance(120s);
  EXPECT_TRUE(WaitState(id, MessageState::kDelivered));
}

// The receiver's Retry-After speaks for it, not for one message: the destination's other
// messages (other keys, enqueued after it) are not sent before it either, instead of each
// meeting the same 429 once.
TEST_P(OutboxTest, RetryAfterHoldsTheWholeDestination) {
  http_.Script("/cx/B0/op", {Answer(429, "", {{"Retry-After", "30"}}), Answer(200)});
  Open();
  MessageId first = Enqueue(CaseOp("B0", "op", 1));
  ASSERT_TRUE(outbox_->WaitUntil([&] { return Detail(first).attempts.size() == 1; }, kWait));
  std::vector<MessageId> others;
  for (int i = 1; i <= 5; ++i) others.push_back(Enqueue(CaseOp("B" + std::to_string(i), "op", 1)));
  std::this_thread::sleep_for(std::chrono::milliseconds(300));  // time to send, were they free to go
  EXPECT_EQ(http_.RequestCount(), 1u);
  for (MessageId id : others) EXPECT_EQ(Detail(id).message.state, MessageState::kPending);
  clock_.Advance(30s);
  for (MessageId id : others) EXPECT_TRUE(WaitState(id, MessageState::kDelivered));
  EXPECT_TRUE(WaitState(first, MessageState::kDelivered));
  EXPECT_EQ(http_.RequestCount(), 7u);
}

TEST_P(OutboxTest, GivingUpFailsTheMessageAndBlocksItsKeyUntilRetried) {
  http_.SetDefault(Answer(503));
  Open();
  MessageId first = Enqueue(CaseOp("R", "op", 1));
  MessageId second = Enqueue(CaseOp("R", "op", 2));
  for (size_t i = 1; i <= 3; ++i) {
    ASSERT_TRUE(outbox_->WaitUntil([&] { return Detail(first).attempts.size() == i; }, kWait));
    clock_.Advance(std::chrono::seconds(1 << (i - 1)));
  }
  ASSERT_TRUE(WaitState(first, MessageState::kFailed));
  MessageDetail d = Detail(first);
  EXPECT_EQ(d.attempts.size(), 4u);  // max_attempts
  EXPECT_EQ(d.message.last_error, "gave up after 4 attempts: HTTP 503");
  EXPECT_TRUE(d.message.head);

  // Another key goes on; this one waits.
  http_.SetDefault(Answer(200));
  MessageId other = Enqueue(CaseOp("S", "op", 1));
  ASSERT_TRUE(WaitState(other, MessageState::kDelivered));
  EXPECT_EQ(StateOf(second), MessageState::kPending);
  EXPECT_EQ(SentOrder(http_.Requests(), "R"), (std::vector<int>{1, 1, 1, 1}));

  ASSERT_TRUE(outbox_->Retry(first).ok());
  ASSERT_TRUE(WaitState(second, MessageState::kDelivered));
  EXPECT_EQ(StateOf(first), MessageState::kDelivered);
  EXPECT_EQ(SentOrder(http_.Requests(), "R"), (std::vector<int>{1, 1, 1, 1, 1, 2}));
  EXPECT_EQ(Detail(first).attempts.size(), 5u);
}

TEST_P(OutboxTest, RetryGivesAFreshBudget) {
  http_.SetDefault(Answer(503));
  Open();
  MessageId id = Enqueue(CaseOp("R", "op", 1));
  for (size_t i = 1; i <= 3; ++i) {
    ASSERT_TRUE(outbox_->WaitUntil([&] { return Detail(id).attempts.size() == i; }, kWait));
    clock_.Advance(std::chrono::seconds(1 << (i - 1)));
  }
  ASSERT_TRUE(WaitState(id, MessageState::kFailed));
  ASSERT_TRUE(outbox_->Retry(id).ok());
  ASSERT_TRUE(outbox_->WaitUntil([&] { return Detail(id).attempts.size() == 5; }, kWait));
  // The budget restarted: pending again after one more failure, with the initial delay.
  MessageDetail d = Detail(id);
  EXPECT_EQ(d.message.state, MessageState::kPending);
  EXPECT_EQ(d.message.not_before, clock_.Now() + 1s);
}

TEST_P(OutboxTest, PermanentFailureThenSkipReleasesTheKey) {
  http_.Script("/cx/R/Bad", {Answer(400, "{\"error\":\"no such record\"}")});
  Open();
  MessageId bad = Enqueue(CaseOp("R", "Bad", 1));
  MessageId next = Enqueue(CaseOp("R", "Next", 2));
  ASSERT_TRUE(WaitState(bad, MessageState::kFailed));
  MessageDetail d = Detail(bad);
  ASSERT_EQ(d.attempts.size(), 1u);
  EXPECT_EQ(d.attempts[0].outcome, "permanent");
  EXPECT_EQ(d.attempts[0].answer_head, "{\"error\":\"no such record\"}");
  EXPECT_EQ(d.message.last_error, "HTTP 400");
  EXPECT_EQ(StateOf(next), MessageState::kPending);

  ASSERT_TRUE(outbox_->Skip(bad).ok());
  ASSERT_TRUE(WaitState(next, MessageState::kDelivered));
  EXPECT_EQ(StateOf(bad), MessageState::kSkipped);
  EXPECT_EQ(Paths(), (std::vector<std::string>{"POST /cx/R/Bad", "POST /cx/R/Next"}));
}

TEST_P(OutboxTest, RetryAndSkipOnlyFailedMessages) {
  Open();
  MessageId id = Enqueue(CaseOp("R", "op", 1));
  ASSERT_TRUE(WaitState(id, MessageState::kDelivered));
  auto retry = outbox_->Retry(id);
  ASSERT_FALSE(retry.ok());
  EXPECT_EQ(retry.error().code, core::Code::kConflict);
  EXPECT_EQ(retry.error().GatewayCode(), "CAUSEWAY/EXCHANGE/021");
  auto skip = outbox_->Skip(id);
  ASSERT_FALSE(skip.ok());
  EXPECT_EQ(skip.error().code, core::Code::kConflict);
  auto missing = outbox_->Retry(id + 100);
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.error().code, core::Code::kNotFound);
  EXPECT_EQ(outbox_->Skip(id + 100).error().GatewayCode(), "CAUSEWAY/EXCHANGE/020");
}

TEST_P(OutboxTest, CoalescingFoldsUnsentUpdatesIntoTheLatest) {
  http_.Script("/fb/create/wp/G1", {Answer(201, ExternalIdAnswer("EXT-1"))});
  Open();
  ASSERT_TRUE(outbox_->Pause("fb").ok());
  MessageId create = Enqueue(WpCreate("G1", "WP-G1"));
  MessageId last = 0;
  for (int i = 1; i <= 5; ++i) last = Enqueue(WpUpdate("G1", "WP-G1", "title " + std::to_string(i)));
  auto page = outbox_->List({.destination = "fb"});
  ASSERT_TRUE(page.ok());
  ASSERT_EQ(page->messages.size(), 2u);
  EXPECT_EQ(page->messages[0].id, create);
  EXPECT_EQ(page->messages[1].id, last);
  EXPECT_EQ(page->messages[1].coalesced, 4);
  EXPECT_EQ(page->messages[1].depends_on.message, create);  // the latest create of G1

  ASSERT_TRUE(outbox_->Resume("fb").ok());
  ASSERT_TRUE(WaitState(last, MessageState::kDelivered));
  EXPECT_EQ(Paths(), (std::vector<std::string>{"POST /fb/create/wp/G1", "PUT /fb/wp/EXT-1"}));
  EXPECT_EQ(http_.Requests()[1].body, "{\"TITLE\":\"title 5\"}");
}

TEST_P(OutboxTest, CoalescingKeepsAnAttemptedUpdate) {
  http_.Script("/fb/create/wp/G1", {Answer(201, ExternalIdAnswer("EXT-1"))});
  http_.Script("/fb/wp/EXT-1", {Answer(503)});
  Open();
  Enqueue(WpCreate("G1", "WP-G1"));
  MessageId first = Enqueue(WpUpdate("G1", "WP-G1", "first"));
  ASSERT_TRUE(outbox_->WaitUntil([&] { return Detail(first).attempts.size() == 1; }, kWait));
  MessageId second = Enqueue(WpUpdate("G1", "WP-G1", "second"));
  EXPECT_EQ(Detail(second).message.coalesced, 0);
  clock_.Advance(1s);
  ASSERT_TRUE(WaitState(second, MessageState::kDelivered));
  EXPECT_EQ(StateOf(first), MessageState::kDelivered);
  EXPECT_EQ(Paths(), (std::vector<std::string>{"POST /fb/create/wp/G1", "PUT /fb/wp/EXT-1", "PUT /fb/wp/EXT-1",
                                               "PUT /fb/wp/EXT-1"}));
  EXPECT_EQ(http_.Requests()[3].body, "{\"TITLE\":\"second\"}");
}

TEST_P(OutboxTest, DependentMessagesCarryTheEarlierResult) {
  http_.Script("/fb/create/wp/G1", {Answer(201, ExternalIdAnswer("WP-EXT-7"))});
  http_.Script("/fb/create/wi/I1", {Answer(201, ExternalIdAnswer("WI-EXT-8"))});
  Open();
  Enqueue(WpCreate("G1", "WP-G1"));
  MessageId item = Enqueue(WiCreate("I1", "G1", "WP-G1"));
  MessageId update = Enqueue(WpUpdate("G1", "WP-G1", "renamed", false));
  ASSERT_TRUE(WaitState(update, MessageState::kDelivered));
  EXPECT_EQ(Paths(), (std::vector<std::string>{"POST /fb/create/wp/G1", "POST /fb/create/wi/I1", "PUT /fb/wp/WP-EXT-7"}));
  EXPECT_NE(http_.Requests()[1].body.find("\"PARENT_EXTERNAL_ID\":\"WP-EXT-7\""), std::string::npos);
  EXPECT_EQ(Detail(item).message.result, "WI-EXT-8");
}

TEST_P(ManualOutboxTest, DependencyInAnotherKeyWaitsForItsDelivery) {
  http_.Script("/fb/create/wp/G1", {Answer(201, ExternalIdAnswer("EXT-1"))});
  Open();
  MessageId create = Enqueue(WpCreate("G1", "package-key"));
  MessageId item = Enqueue(WiCreate("I1", "G1", "item-key"));
  ASSERT_TRUE(http_.WaitForRequests(1, kWait));
  ASSERT_TRUE(outbox_->WaitUntil([&] { return Busy() == 1; }, kWait));
  EXPECT_EQ(http_.RequestCount(), 1u) << "the item's key is idle, but it waits for the package";
  EXPECT_EQ(StateOf(item), MessageState::kPending);
  ASSERT_TRUE(http_.CompleteNext());
  ASSERT_TRUE(WaitState(create, MessageState::kDelivered));
  ASSERT_TRUE(http_.WaitForRequests(2, kWait));
  EXPECT_EQ(http_.Requests()[1].path, "/fb/create/wi/I1");
  EXPECT_NE(http_.Requests()[1].body.find("EXT-1"), std::string::npos);
}

TEST_P(OutboxTest, LostCreateAnswerIsRetriedAsTheSameCreateAndUpdatesWait) {
  http_.Script("/fb/create/wp/G1", {Failure(TransportError::kTimeout), Answer(201, ExternalIdAnswer("EXT-5"))});
  Open();
  MessageId create = Enqueue(WpCreate("G1", "WP-G1"));
  MessageId update = Enqueue(WpUpdate("G1", "WP-G1", "after", false));
  ASSERT_TRUE(outbox_->WaitUntil([&] { return Detail(create).attempts.size() == 1; }, kWait));
  MessageDetail d = Detail(create);
  EXPECT_TRUE(d.message.maybe_received);
  EXPECT_EQ(d.attempts[0].error.substr(0, 7), "timeout");
  EXPECT_EQ(StateOf(update), MessageState::kPending);
  EXPECT_EQ(http_.RequestCount(), 1u);
  clock_.Advance(1s);
  ASSERT_TRUE(WaitState(update, MessageState::kDelivered));
  EXPECT_EQ(Paths(), (std::vector<std::string>{"POST /fb/create/wp/G1", "POST /fb/create/wp/G1", "PUT /fb/wp/EXT-5"}));
  const auto requests = http_.Requests();
  EXPECT_EQ(requests[0].idempotency_key, "G1");
  EXPECT_EQ(requests[1].idempotency_key, "G1");
  EXPECT_EQ(requests[0].body, requests[1].body);
}

TEST_P(OutboxTest, MaybeReceivedReachesTheKindOnTheNextAttempt) {
  std::vector<std::pair<int, bool>> seen;
  std::mutex mu;
  OutboxOptions o = Options();
  o.kinds["probe"] = MakeKind({.build = [&](const OutgoingMessage& m) -> core::Result<OutboundRequest> {
    std::lock_guard lock(mu);
    seen.emplace_back(m.attempt, m.maybe_received);
    OutboundRequest r;
    r.path = "/probe";
    return r;
  }});
  http_.Script("/probe", {Failure(TransportError::kConnect), Failure(TransportError::kConnectionLost), Answer(200)});
  Open(o);
  MessageId id = Enqueue({.destination = "cx", .kind = "probe", .ordering_key = "P"});
  ASSERT_TRUE(outbox_->WaitUntil([&] { return Detail(id).attempts.size() == 1; }, kWait));
  clock_.Advance(1s);
  ASSERT_TRUE(outbox_->WaitUntil([&] { return Detail(id).attempts.size() == 2; }, kWait));
  clock_.Advance(2s);
  ASSERT_TRUE(WaitState(id, MessageState::kDelivered));
  std::lock_guard lock(mu);
  // A refused connection delivered nothing; a reset may have.
  EXPECT_EQ(seen, (std::vector<std::pair<int, bool>>{{1, false}, {2, false}, {3, true}}));
}

TEST_P(OutboxTest, SuccessWithoutTheExpectedResultFailsAndDependentsCannotBeBuilt) {
  http_.Script("/fb/create/wp/G1", {Answer(200, "{}")});
  Open();
  MessageId create = Enqueue(WpCreate("G1", "WP-G1"));
  MessageId item = Enqueue(WiCreate("I1", "G1", "WP-G1"));
  ASSERT_TRUE(WaitState(create, MessageState::kFailed));
  EXPECT_EQ(Detail(create).message.last_error, "HTTP 200 unusable: the answer has no EXTERNAL_ID");
  EXPECT_EQ(StateOf(item), MessageState::kPending);
  ASSERT_TRUE(outbox_->Skip(create).ok());
  ASSERT_TRUE(WaitState(item, MessageState::kFailed));
  MessageDetail d = Detail(item);
  ASSERT_EQ(d.attempts.size(), 1u);
  EXPECT_EQ(d.attempts[0].outcome, "not_sent");
  EXPECT_NE(d.message.last_error.find("work package G1 has no EXTERNAL_ID"), std::string::npos);
  EXPECT_EQ(http_.RequestCount(), 1u);
}

TEST_P(OutboxTest, ObjectResultOutlivesThePrunedCreate) {
  http_.Script("/fb/create/wp/G1", {Answer(201, ExternalIdAnswer("EXT-1"))});
  Open();
  EXPECT_EQ(outbox_->ObjectResult("fb", "G1").value(), std::nullopt);
  MessageId create = Enqueue(WpCreate("G1", "WP-G1"));
  ASSERT_TRUE(WaitState(create, MessageState::kDelivered));
  EXPECT_EQ(outbox_->ObjectResult("fb", "G1").value(), std::optional<std::string>("EXT-1"));
  EXPECT_EQ(outbox_->ObjectResult("cx", "G1").value(), std::nullopt);
  clock_.Advance(std::chrono::hours(24 * 8));
  auto pruned = outbox_->PruneNow();
  ASSERT_TRUE(pruned.ok());
  EXPECT_EQ(*pruned, 1);
  EXPECT_EQ(outbox_->Get(create).error().code, core::Code::kNotFound);
  MessageId update = Enqueue(WpUpdate("G1", "WP-G1", "months later"));
  EXPECT_EQ(Detail(update).message.depends_on.message, 0);
  ASSERT_TRUE(WaitState(update, MessageState::kDelivered));
  EXPECT_EQ(Paths().back(), "PUT /fb/wp/EXT-1");
  EXPECT_EQ(outbox_->ObjectResult("fb", "G1").value(), std::optional<std::string>("EXT-1"));

  // The consumer deleted the package: its result is forgotten with it.
  store::UnitOfWork unit(*db_);
  ASSERT_TRUE(outbox_->ForgetObject(unit, "fb", "G1").ok());
  ASSERT_TRUE(unit.Commit().ok());
  EXPECT_EQ(outbox_->ObjectResult("fb", "G1").value(), std::nullopt);
  MessageId late = Enqueue(WpUpdate("G1", "WP-G1", "after the delete"));
  ASSERT_TRUE(WaitState(late, MessageState::kFailed));
  EXPECT_NE(Detail(late).message.last_error.find("has no EXTERNAL_ID"), std::string::npos);
}

TEST_P(OutboxTest, MessageKindIsNotCalledForAnUnknownDestinationOrKind) {
  Open();
  struct Case {
    Message message;
    std::string code, target;
  };
  std::vector<Case> cases = {
      {{.destination = "nowhere", .kind = "cx.op", .ordering_key = "K"}, "CAUSEWAY/EXCHANGE/010", "destination"},
      {{.destination = "cx", .kind = "nothing", .ordering_key = "K"}, "CAUSEWAY/EXCHANGE/011", "kind"},
      {{.destination = "cx", .kind = "cx.op", .ordering_key = ""}, "CAUSEWAY/EXCHANGE/012", "ordering_key"},
      {{.destination = "cx", .kind = "cx.op", .ordering_key = std::string(201, 'k')}, "CAUSEWAY/EXCHANGE/012",
       "ordering_key"},
      {{.destination = "cx", .kind = "cx.op", .ordering_key = "K", .object_key = std::string(201, 'o')},
       "CAUSEWAY/EXCHANGE/012", "object_key"},
      {{.destination = "cx", .kind = "cx.op", .ordering_key = "K", .idempotency_key = "a\r\nX-Evil: 1"},
       "CAUSEWAY/EXCHANGE/012", "idempotency_key"},
      {{.destination = "cx", .kind = "cx.op", .ordering_key = "K", .depends_on = Dependency::OnMessage(-1)},
       "CAUSEWAY/EXCHANGE/012", "depends_on"},
  };
  for (const Case& c : cases) {
    auto id = outbox_->Enqueue(c.message);
    ASSERT_FALSE(id.ok()) << c.target;
    EXPECT_EQ(id.error().GatewayCode(), c.code) << c.target;
    EXPECT_EQ(id.error().target, c.target);
    EXPECT_EQ(id.error().code, core::Code::kBadRequest);
  }
  auto page = outbox_->List({});
  ASSERT_TRUE(page.ok());
  EXPECT_TRUE(page->messages.empty());
}

TEST_P(OutboxTest, FinishedObserverHearsOfEachFinalState) {
  std::mutex mu;
  std::vector<std::pair<MessageId, MessageState>> heard;
  OutboxOptions o = Options();
  o.on_finished = [&](MessageId id, MessageState state) {
    std::lock_guard lock(mu);
    heard.emplace_back(id, state);
  };
  http_.Script("/cx/R/Bad", {Answer(400)});
  Open(o);
  MessageId good = Enqueue(CaseOp("Q", "Good", 1));
  MessageId bad = Enqueue(CaseOp("R", "Bad", 1));
  ASSERT_TRUE(outbox_->WaitUntil(
      [&] {
        std::lock_guard lock(mu);
        return heard.size() == 2;
      },
      kWait));
  std::lock_guard lock(mu);
  std::sort(heard.begin(), heard.end());
  EXPECT_EQ(heard, (std::vector<std::pair<MessageId, MessageState>>{{good, MessageState::kDelivered},
                                                                    {bad, MessageState::kFailed}}));
}

TEST_P(OutboxTest, OpenRefusesBadDestinationsAndKinds) {
  OutboxOptions o = Options();
  o.destinations.push_back(Dest("fb"));
  auto twice = Outbox::Open(*db_, clock_, http_, o);
  ASSERT_FALSE(twice.ok());
  EXPECT_EQ(twice.error().target, "name");

  o = Options();
  o.destinations[0].base_url = "ftp://x";
  auto bad_url = Outbox::Open(*db_, clock_, http_, o);
  ASSERT_FALSE(bad_url.ok());
  EXPECT_EQ(bad_url.error().target, "base_url");

  o = Options();
  o.kinds["bad name!"] = o.kinds["cx.op"];
  auto bad_kind = Outbox::Open(*db_, clock_, http_, o);
  ASSERT_FALSE(bad_kind.ok());
  EXPECT_EQ(bad_kind.error().GatewayCode(), "CAUSEWAY/EXCHANGE/013");
}

}  // namespace
}  // namespace causeway::exchange
