// What came of one HTTP exchange, and what the outbox should make of it.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

#include "core/clock.h"
#include "exchange/header_list.h"

namespace causeway::exchange {

// Why an exchange produced no usable answer. kNone: an answer was read (any status).
enum class TransportError {
  kNone,
  kInvalidRequest,    // the request could not be sent as given (bad path, method, header)
  kConnect,           // DNS failure, connection refused or unreachable
  kTls,               // handshake failed or the peer was not trusted (unknown CA, wrong host)
  kTimeout,           // connect_timeout or total_timeout expired
  kConnectionLost,    // reset or closed before a complete answer (incl. an empty reply)
  kProtocol,          // the answer was not HTTP the client could read
  kAnswerTooLarge,    // the body exceeded max_answer_bytes; the connection was closed
  kTooManyRedirects,  // more than max_redirects (only with follow_redirects)
  kCancelled,         // the client shut down before the exchange ended
  kInternal,          // the HTTP library failed (out of memory, …)
};

// "none", "invalid_request", "connect", "tls", "timeout", "connection_lost", "protocol",
// "answer_too_large", "too_many_redirects", "cancelled", "internal": stable, for logs and APIs.
std::string_view TransportErrorName(TransportError error);

struct HttpOutcome {
  TransportError error = TransportError::kNone;
  std::string error_text;  // the library's explanation when error != kNone; never holds credentials
  int status = 0;          // the final answer's status; 0 when none was read
  HeaderList headers;      // the final answer's header fields
  std::string body;        // at most the destination's max_answer_bytes
  std::chrono::microseconds latency{0};  // from sending start (connection set-up included) to the end
  std::chrono::microseconds queued{0};   // waited for a free slot of the destination before that

  bool answered() const { return error == TransportError::kNone; }
};

enum class Verdict { kSuccess, kRetryable, kPermanent };
std::string_view VerdictName(Verdict v);  // "success", "retryable", "permanent"

struct Classification {
  Verdict verdict = Verdict::kPermanent;
  // Only for kRetryable: the server asked not to be called before this time (Retry-After).
  std::optional<core::SystemTime> not_before;
  std::string reason;  // one line for the operator, e.g. "HTTP 503", "timeout: …"
};

// Classifies an outcome the way integration users expect:
//   2xx                                        → kSuccess
//   408, 429, 5xx                              → kRetryable, with not_before from Retry-After
//                                                (delta-seconds or HTTP-date) when it lies after `now`
//   other 4xx                                  → kPermanent (the answer stays in the outcome)
//   1xx as a final answer, 3xx (redirects not
//   followed, or a 304 nobody asked for), other → kPermanent: the destination is misconfigured
//                                                (moved, a login page) and a retry changes nothing
//   kConnect, kTls, kTimeout, kConnectionLost,
//   kProtocol, kCancelled, kInternal           → kRetryable (TLS too: an expired or replaced
//                                                certificate is fixed on the other side, and
//                                                max_attempts/max_age bound the retries)
//   kInvalidRequest, kTooManyRedirects,
//   kAnswerTooLarge                            → kPermanent (whatever the status: a truncated
//                                                answer is of no use, and re-sending a delivered
//                                                message to read it again is not wanted)
// `now` is only used to resolve Retry-After; Classify reads no clock.
Classification Classify(const HttpOutcome& outcome, core::SystemTime now);

// A Retry-After value ("120" or an HTTP-date) as a point in time, or nullopt when it is
// malformed or not after `now`. Delta-seconds are capped at one year.
std::optional<core::SystemTime> ParseRetryAfter(std::string_view value, core::SystemTime now);

}  // namespace causeway::exchange
