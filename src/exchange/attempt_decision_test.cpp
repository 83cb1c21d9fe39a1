// DecideAfterAnswer: what each outcome does to a message (table-driven), and the helpers for
// lost answers and answer heads.
#include "exchange/attempt_decision.h"

#include <gtest/gtest.h>

#include "exchange/testing/fake_http_client.h"

namespace causeway::exchange {
namespace {

using namespace std::chrono_literals;
using testing::Answer;
using testing::Failure;

const core::SystemTime kNow = core::FromUnixMillis(1'700'000'000'000);

std::shared_ptr<const MessageKind> NeedsId() {
  return MakeKind({.build = [](const OutgoingMessage&) -> core::Result<OutboundRequest> { return OutboundRequest{}; },
                   .result = [](const OutgoingMessage&, const HttpOutcome& o) -> core::Result<std::string> {
                     if (o.body.empty()) return core::MakeError(core::Code::kBadRequest, "T", "001", "no id");
                     return o.body;
                   }});
}

outbox_store::ClaimedMessage Claimed(int attempts, int budget_base = 0, bool maybe_received = false) {
  outbox_store::ClaimedMessage m;
  m.id = 7;
  m.attempts = attempts;
  m.budget_base = budget_base;
  m.first_attempt_ms = core::ToUnixMillis(kNow - 10s);
  m.maybe_received = maybe_received;
  return m;
}

BackoffPolicy Policy() {
  BackoffPolicy p;
  p.initial = 1s;
  p.multiplier = 2;
  p.jitter = Jitter::kNone;
  p.max_attempts = 3;
  return p;
}

TEST(AttemptDecisionTest, OutcomesToStates) {
  struct Case {
    std::string name;
    HttpOutcome outcome;
    int attempts;
    MessageState state;
    std::string attempt_outcome, error, last_error;
    bool maybe_received;
    std::chrono::seconds delay;
  };
  const std::vector<Case> cases = {
      {"200 with result", Answer(200, "EXT-1"), 1, MessageState::kDelivered, "success", "", "", false, 0s},
      {"201 without result", Answer(201, ""), 1, MessageState::kFailed, "permanent", "HTTP 201 unusable: no id",
       "HTTP 201 unusable: no id", false, 0s},
      {"503 first", Answer(503), 1, MessageState::kPending, "retryable", "HTTP 503", "HTTP 503", false, 1s},
      {"503 second", Answer(503), 2, MessageState::kPending, "retryable", "HTTP 503", "HTTP 503", false, 2s},
      {"503 last", Answer(503), 3, MessageState::kFailed, "retryable", "HTTP 503",
       "gave up after 3 attempts: HTTP 503", false, 0s},
      {"429 retry-after", Answer(429, "", {{"Retry-After", "30"}}), 1, MessageState::kPending, "retryable", "HTTP 429",
       "HTTP 429", false, 30s},
      {"404", Answer(404), 1, MessageState::kFailed, "permanent", "HTTP 404", "HTTP 404", false, 0s},
      {"timeout", Failure(TransportError::kTimeout, "x"), 1, MessageState::kPending, "retryable", "timeout: x",
       "timeout: x", true, 1s},
      {"reset", Failure(TransportError::kConnectionLost, "x"), 1, MessageState::kPending, "retryable",
       "connection_lost: x", "connection_lost: x", true, 1s},
      {"refused", Failure(TransportError::kConnect, "x"), 1, MessageState::kPending, "retryable", "connect: x",
       "connect: x", false, 1s},
      {"too large", Failure(TransportError::kAnswerTooLarge, "x"), 1, MessageState::kFailed, "permanent",
       "answer_too_large: x", "answer_too_large: x", false, 0s},
  };
  auto kind = NeedsId();
  for (const Case& c : cases) {
    std::mt19937_64 rng(1);
    AttemptDecision d = DecideAfterAnswer(Claimed(c.attempts), *kind, Policy(), c.outcome, kNow, rng);
    EXPECT_EQ(d.state, c.state) << c.name;
    EXPECT_EQ(d.outcome, c.attempt_outcome) << c.name;
    EXPECT_EQ(d.error.substr(0, c.error.size()), c.error) << c.name << ": " << d.error;
    EXPECT_EQ(d.last_error.substr(0, c.last_error.size()), c.last_error) << c.name << ": " << d.last_error;
    EXPECT_EQ(d.maybe_received, c.maybe_received) << c.name;
    if (c.state == MessageState::kPending) {
      EXPECT_EQ(d.delay, c.delay) << c.name;
      EXPECT_EQ(d.not_before, kNow + c.delay) << c.name;
    }
    if (c.state == MessageState::kDelivered) {
      EXPECT_EQ(d.result, "EXT-1");
    }
  }
}

TEST(AttemptDecisionTest, BudgetCountsFromTheLastOperatorRetryAndMaybeReceivedSticks) {
  std::mt19937_64 rng(1);
  auto kind = NeedsId();
  // Five attempts in all, two since the operator's retry: not used up.
  AttemptDecision d = DecideAfterAnswer(Claimed(5, 3, true), *kind, Policy(), Answer(502), kNow, rng);
  EXPECT_EQ(d.state, MessageState::kPending);
  EXPECT_EQ(d.delay, 2s);
  EXPECT_TRUE(d.maybe_received);
}

TEST(AttemptDecisionTest, MaxAgeGivesUp) {
  std::mt19937_64 rng(1);
  BackoffPolicy p = Policy();
  p.max_attempts = 0;
  p.max_age = 5s;  // the first attempt was 10 s ago
  AttemptDecision d = DecideAfterAnswer(Claimed(2), *NeedsId(), p, Answer(503), kNow, rng);
  EXPECT_EQ(d.state, MessageState::kFailed);
  EXPECT_EQ(d.last_error.substr(0, 8), "gave up ");
}

TEST(AttemptDecisionTest, PrintableHead) {
  struct Case {
    std::string body;
    size_t max;
    std::string head;
  };
  const std::vector<Case> cases = {
      {"{\"a\":1}", 100, "{\"a\":1}"},
      {"line1\nline2\ttab", 100, "line1\nline2\ttab"},
      {std::string("nul\0bell\a", 9), 100, "nul.bell."},
      {"abcdef", 3, "abc…"},
      {"\xc3\xa4\xc3\xb6", 3, "\xc3\xa4…"},  // never half a character
      {"\xff\xfe ok", 100, ".. ok"},
      {"\xe2\x82", 100, ".."},  // truncated sequence
      {"", 10, ""},
  };
  for (const Case& c : cases) EXPECT_EQ(PrintableHead(c.body, c.max), c.head) << c.body;
}

TEST(MessageKindTest, FillPlaceholders) {
  std::map<std::string, std::string, std::less<>> values = {{"EXTERNAL_ID", "4711"}, {"PARENT", "P-1"}};
  EXPECT_EQ(*FillPlaceholders("/fb/wp/#EXTERNAL_ID#", values), "/fb/wp/4711");
  EXPECT_EQ(*FillPlaceholders("#PARENT#/items/#EXTERNAL_ID#", values), "P-1/items/4711");
  EXPECT_EQ(*FillPlaceholders("no placeholders", values), "no placeholders");
  EXPECT_EQ(*FillPlaceholders("a##b", values), "a##b");
  EXPECT_EQ(*FillPlaceholders("#c d# and #PARENT#", values), "#c d# and P-1");
  EXPECT_EQ(*FillPlaceholders("trailing #", values), "trailing #");
  auto missing = FillPlaceholders("/x/#GUID#", values);
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.error().target, "GUID");
  EXPECT_EQ(missing.error().GatewayCode(), "CAUSEWAY/EXCHANGE/012");
}

TEST(MessageKindTest, StateNamesRoundTrip) {
  for (MessageState s : {MessageState::kPending, MessageState::kInFlight, MessageState::kDelivered,
                         MessageState::kFailed, MessageState::kSkipped}) {
    EXPECT_EQ(ParseMessageState(MessageStateName(s)), s);
  }
  EXPECT_FALSE(ParseMessageState("lost").has_value());
}

}  // namespace
}  // namespace causeway::exchange
