// Where outbound messages go: one external system (a Focused Build tool, a case-exchange
// partner, an SAP system the scheduler client calls). A plain value, validated once when it is
// loaded or changed at run time; requests carry a shared snapshot of it, so a change applies to
// requests sent after it while those already sent finish with the old one.
#pragma once

#include <chrono>
#include <cstddef>
#include <string>
#include <string_view>

#include "core/result.h"
#include "exchange/backoff.h"
#include "exchange/header_list.h"
#include "exchange/secret.h"

namespace causeway::exchange {

struct Destination {
  std::string name;      // [A-Za-z0-9_.-]{1,64}; keys the concurrency limit and the logs
  std::string base_url;  // http:// or https://host[:port][/path]; no user:password@, query or fragment
  std::string user;      // Basic user (sent preemptively); empty: no Basic credentials
  Secret password;       // never logged, never returned by an API (prints "***")
  std::string ca_file;   // PEM bundle of trusted CAs; empty: the system store
  std::string client_cert;  // PEM certificate for X.509 logon; empty: none
  std::string client_key;   // PEM key of client_cert; empty: taken from client_cert
  bool insecure = false;    // skip TLS peer and host verification (sandboxes only; warned once)
  std::chrono::milliseconds connect_timeout{10'000};
  std::chrono::milliseconds total_timeout{30'000};  // from the start of sending to the last byte
  int max_concurrent = 8;   // requests in flight at once; more wait in the client's queue
  HeaderList headers;       // sent with every request (a request's own field of the same name wins)
  bool follow_redirects = false;
  int max_redirects = 5;    // only with follow_redirects
  size_t max_answer_bytes = 1 << 20;  // a longer answer body is refused (kAnswerTooLarge)
  bool keep_cookies = false;  // in-memory cookie jar per destination (SAP CSRF sessions)
  std::string idempotency_header = "Idempotency-Key";  // carries OutboundRequest::idempotency_key
  BackoffPolicy retry;      // used by the outbox, not by the HTTP client

  friend bool operator==(const Destination&, const Destination&) = default;
};

// Checks every field; the first bad one is returned as kBadRequest CAUSEWAY/EXCHANGE/001 with
// `target` naming the field ("base_url", "headers.X-Foo", …) and a text that says what is wrong
// without repeating a secret (the retry policy's errors are ValidateBackoffPolicy()'s, 003,
// target "retry.<field>"). Reads the file system only to check that
// ca_file, client_cert and client_key (when set) are readable files.
core::Status ValidateDestination(const Destination& destination);

// Joins a destination's base URL and a request path: exactly one '/' between them whatever
// slashes either side has ("https://h/api/" + "/v1/items" and "https://h/api" + "v1/items" both
// give "https://h/api/v1/items"); "" gives the base itself; a path starting with '?' appends a
// query to the base. Refused (kBadRequest CAUSEWAY/EXCHANGE/002, target "path"): an absolute
// URL or a network path ("//host/…"), which would send the destination's credentials elsewhere;
// spaces, control characters and '#'.
core::Result<std::string> JoinUrl(std::string_view base_url, std::string_view path);

}  // namespace causeway::exchange
