// What one attempt's outcome means for its message: delivered (with the result to keep),
// pending again at a back-off time, or failed with a reason. Pure: the time and the random
// generator come in as arguments, so the scheduler and the tests drive it alike.
#pragma once

#include <cstdint>
#include <optional>
#include <random>
#include <string>
#include <string_view>

#include "core/clock.h"
#include "exchange/backoff.h"
#include "exchange/http_client.h"
#include "exchange/message_kind.h"
#include "exchange/outbox_message.h"
#include "exchange/outbox_store.h"

namespace causeway::exchange {

struct AttemptDecision {
  MessageState state = MessageState::kFailed;  // kDelivered, kPending or kFailed
  core::SystemTime not_before;                 // kPending: the next attempt
  std::optional<core::SystemTime> retry_after;  // kPending: what the receiver asked for (Retry-After)
  std::chrono::milliseconds delay{0};          // kPending: the back-off chosen
  std::optional<std::string> result;           // kDelivered: MessageKind::ResultOf
  std::string outcome;     // of the attempt: "success", "retryable" or "permanent"
  std::string error;       // of the attempt: "HTTP 503", "timeout: …", "HTTP 201 unusable: …"
  std::string last_error;  // of the message: the error, or "gave up after N attempts: …"
  bool maybe_received = false;  // sticky: this or an earlier attempt may have arrived unanswered
};

// Classify()s the outcome, then:
//   success   → ResultOf(); an error there (a 2xx without the expected result) → kFailed
//   retryable → NextAttemptTime(policy, attempts since the last operator retry, age since the
//               first of them, Retry-After) → kPending, or kFailed when the policy gives up
//   permanent → kFailed
// `message.attempts` includes this attempt.
AttemptDecision DecideAfterAnswer(const outbox_store::ClaimedMessage& message, const MessageKind& kind,
                                  const BackoffPolicy& policy, const HttpOutcome& outcome, core::SystemTime now,
                                  std::mt19937_64& rng);

// The view of a claimed message a MessageKind gets; valid while `message` lives.
OutgoingMessage ViewOf(const outbox_store::ClaimedMessage& message);

// Whether the receiver may have processed the request without our seeing its answer
// (timeout, reset, cancelled or broken mid-flight). Not for refused connections or TLS
// failures: those never delivered anything.
bool AnswerMayBeLost(const HttpOutcome& outcome);

// The first `max_bytes` bytes of an answer body for the operator: whole UTF-8 characters only,
// invalid bytes and control characters other than tab and line breaks as '.', "…" appended
// when cut.
std::string PrintableHead(std::string_view body, size_t max_bytes);

}  // namespace causeway::exchange
