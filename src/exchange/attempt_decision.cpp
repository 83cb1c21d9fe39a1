#include "exchange/attempt_decision.h"

#include <algorithm>

#include "exchange/outcome.h"

namespace causeway::exchange {
namespace {

size_t Utf8Length(unsigned char lead) {
  if (lead < 0x80) return 1;
  if ((lead & 0xE0) == 0xC0 && lead >= 0xC2) return 2;
  if ((lead & 0xF0) == 0xE0) return 3;
  if ((lead & 0xF8) == 0xF0 && lead <= 0xF4) return 4;
  return 0;
}

std::string Describe(const HttpOutcome& o) {
  if (o.answered()) return "HTTP " + std::to_string(o.status);
  std::string text(TransportErrorName(o.error));
  if (!o.error_text.empty()) text += ": " + o.error_text;
  return text;
}

}  // namespace

OutgoingMessage ViewOf(const outbox_store::ClaimedMessage& m) {
  return OutgoingMessage{.id = m.id,
                         .destination = m.destination,
                         .kind = m.kind,
                         .ordering_key = m.ordering_key,
                         .object_key = m.object_key,
                         .payload = m.payload,
                         .idempotency_key = m.idempotency_key,
                         .attempt = m.attempts,
                         .maybe_received = m.maybe_received,
                         .dependency = m.dependency ? &*m.dependency : nullptr};
}

AttemptDecision DecideAfterAnswer(const outbox_store::ClaimedMessage& m, const MessageKind& kind,
                                  const BackoffPolicy& policy, const HttpOutcome& o, core::SystemTime now,
                                  std::mt19937_64& rng) {
  AttemptDecision d;
  d.maybe_received = m.maybe_received || AnswerMayBeLost(o);
  const Classification c = Classify(o, now);
  switch (c.verdict) {
    case Verdict::kSuccess: {
      core::Result<std::string> result = kind.ResultOf(ViewOf(m), o);
      if (result.ok()) {
        d.state = MessageState::kDelivered;
        d.result = std::move(result).value();
        d.outcome = "success";
      } else {
        d.state = MessageState::kFailed;
        d.outcome = "permanent";
        d.error = "HTTP " + std::to_string(o.status) + " unusable: " + result.error().text;
        d.last_error = d.error;
      }
      return d;
    }
    case Verdict::kRetryable: {
      d.outcome = "retryable";
      d.error = c.reason.empty() ? Describe(o) : c.reason;
      AttemptState state{.failed_attempts = std::max(1, m.attempts - m.budget_base),
                         .previous_delay = std::chrono::milliseconds(m.last_delay_ms),
                         .age = std::max(std::chrono::milliseconds(0),
                                         std::chrono::duration_cast<std::chrono::milliseconds>(
                                             now - core::FromUnixMillis(m.first_attempt_ms)))};
      std::optional<NextAttempt> next = NextAttemptTime(policy, state, now, c.not_before, rng);
      if (next) {
        d.state = MessageState::kPending;
        d.not_before = next->at;
        d.retry_after = c.not_before;
        d.delay = next->delay;
        d.last_error = d.error;
      } else {
        d.state = MessageState::kFailed;
        d.last_error = "gave up after " + std::to_string(state.failed_attempts) + " attempts: " + d.error;
      }
      return d;
    }
    case Verdict::kPermanent:
      break;
  }
  d.state = MessageState::kFailed;
  d.outcome = "permanent";
  d.error = c.reason.empty() ? Describe(o) : c.reason;
  d.last_error = d.error;
  return d;
}

bool AnswerMayBeLost(const HttpOutcome& outcome) {
  switch (outcome.error) {
    case TransportError::kTimeout:
    case TransportError::kConnectionLost:
    case TransportError::kProtocol:
    case TransportError::kCancelled:
    case TransportError::kInternal:
      return true;
    default:
      return false;
  }
}

std::string PrintableHead(std::string_view body, size_t max_bytes) {
  std::string out;
  size_t i = 0;
  while (i < body.size()) {
    auto c = static_cast<unsigned char>(body[i]);
    size_t n = Utf8Length(c);
    bool valid = n > 0 && i + n <= body.size();
    for (size_t k = 1; valid && k < n; ++k) valid = (static_cast<unsigned char>(body[i + k]) & 0xC0) == 0x80;
    size_t width = valid ? n : 1;
    if (out.size() + width > max_bytes) {
      out += "…";
      return out;
    }
    if (!valid || (n == 1 && ((c < 0x20 && c != '\t' && c != '\n' && c != '\r') || c == 0x7f))) {
      out += '.';
    } else {
      out.append(body.substr(i, n));
    }
    i += width;
  }
  return out;
}

}  // namespace causeway::exchange
