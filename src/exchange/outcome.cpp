#include "exchange/outcome.h"

#include <algorithm>

#include "core/ascii.h"
#include "exchange/http_date.h"

namespace causeway::exchange {

std::string_view TransportErrorName(TransportError error) {
  switch (error) {
    case TransportError::kNone: return "none";
    case TransportError::kInvalidRequest: return "invalid_request";
    case TransportError::kConnect: return "connect";
    case TransportError::kTls: return "tls";
    case TransportError::kTimeout: return "timeout";
    case TransportError::kConnectionLost: return "connection_lost";
    case TransportError::kProtocol: return "protocol";
    case TransportError::kAnswerTooLarge: return "answer_too_large";
    case TransportError::kTooManyRedirects: return "too_many_redirects";
    case TransportError::kCancelled: return "cancelled";
    case TransportError::kInternal: return "internal";
  }
  return "internal";
}

std::string_view VerdictName(Verdict v) {
  switch (v) {
    case Verdict::kSuccess: return "success";
    case Verdict::kRetryable: return "retryable";
    case Verdict::kPermanent: return "permanent";
  }
  return "permanent";
}

std::optional<core::SystemTime> ParseRetryAfter(std::string_view value, core::SystemTime now) {
  value = core::Trim(value);
  if (value.empty()) return std::nullopt;
  std::optional<core::SystemTime> at;
  if (std::all_of(value.begin(), value.end(), [](char c) { return c >= '0' && c <= '9'; })) {
    constexpr int64_t kYear = 365 * 24 * 3600;
    int64_t seconds = 0;
    for (char c : value) {
      seconds = std::min<int64_t>(seconds * 10 + (c - '0'), kYear);
    }
    at = now + std::chrono::seconds(seconds);
  } else {
    at = ParseHttpDate(value);
  }
  if (!at || *at <= now) return std::nullopt;
  return at;
}

namespace {

// 408, 429, 5xx: the receiver asks to be called again later.
bool IsTryLater(int status) { return status == 408 || status == 429 || (status >= 500 && status <= 599); }

void RetryLater(const HttpOutcome& outcome, core::SystemTime now, Classification& c) {
  c.verdict = Verdict::kRetryable;
  if (auto retry_after = outcome.headers.Find("Retry-After")) c.not_before = ParseRetryAfter(*retry_after, now);
}

}  // namespace

Classification Classify(const HttpOutcome& outcome, core::SystemTime now) {
  Classification c;
  if (outcome.error != TransportError::kNone) {
    c.reason = std::string(TransportErrorName(outcome.error));
    if (outcome.status != 0) c.reason += " (HTTP " + std::to_string(outcome.status) + ")";
    if (!outcome.error_text.empty()) c.reason += ": " + outcome.error_text;
    // An oversized answer to a "try later" status (a proxy's 503 page) was no delivery: it is
    // retried as that status is, Retry-After included.
    if (outcome.error == TransportError::kAnswerTooLarge && IsTryLater(outcome.status)) {
      RetryLater(outcome, now, c);
      return c;
    }
    switch (outcome.error) {
      case TransportError::kInvalidRequest:
      case TransportError::kTooManyRedirects:
      case TransportError::kAnswerTooLarge:
        c.verdict = Verdict::kPermanent;
        break;
      default:
        c.verdict = Verdict::kRetryable;
        break;
    }
    return c;
  }
  const int s = outcome.status;
  c.reason = "HTTP " + std::to_string(s);
  if (s >= 200 && s <= 299) {
    c.verdict = Verdict::kSuccess;
  } else if (IsTryLater(s)) {
    RetryLater(outcome, now, c);
  } else {
    c.verdict = Verdict::kPermanent;
    if (s >= 300 && s <= 399) {
      if (auto location = outcome.headers.Find("Location")) c.reason += " to " + std::string(*location);
    }
  }
  return c;
}

}  // namespace causeway::exchange
