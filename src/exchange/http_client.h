// The one HTTP client of Causeway for every outbound call: the outbox's deliveries (many
// requests in flight, completion callbacks) and the command-line tools' synchronous calls. An
// interface so that tests inject a fake (exchange/testing/fake_http_client.h); production uses
// CurlHttpClient (curl_http_client.h).
#pragma once

#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "exchange/destination.h"
#include "exchange/header_list.h"
#include "exchange/outcome.h"

namespace causeway::exchange {

struct OutboundRequest {
  // Where to send it; must have passed ValidateDestination(). Shared so that a destination
  // changed at run time does not disturb requests already sent.
  std::shared_ptr<const Destination> destination;
  std::string method = "POST";  // GET HEAD POST PUT PATCH DELETE, or another token
  std::string path;             // relative to destination->base_url, see JoinUrl()
  HeaderList headers;           // after the destination's; a field of the same name replaces it
  std::string body;             // sent as is; set Content-Type in `headers` when there is one
  std::string idempotency_key;  // sent as destination->idempotency_header when not empty
  // Sent on a new connection. libcurl re-sends a request once when a reused connection dies
  // before the answer (README), so a request without an idempotency key that must not arrive
  // twice (a job client's JobSchedule) asks for one: a new connection is never retried.
  bool fresh_connection = false;
  std::optional<std::chrono::milliseconds> total_timeout;  // replaces the destination's; > 0
};

// Runs exactly once per request, with the outcome.
using DoneCallback = std::function<void(HttpOutcome)>;

class HttpClient {
 public:
  virtual ~HttpClient() = default;

  // Sends `request` asynchronously; returns at once. `done` runs exactly once, on a thread of
  // the client (for CurlHttpClient never inside Send, except once the client is being
  // destroyed: then Send completes at once with kCancelled), and must be quick: it blocks the
  // client's other exchanges while it runs, so hand real work to a worker. It may call Send.
  // Thread-safe: any thread may call Send at any time while the client lives.
  // Requests to one destination start in the order Send was called (from one thread), at most
  // destination->max_concurrent at a time; the others wait in the client.
  // A request that cannot be sent (no destination, bad path or header) completes with
  // kInvalidRequest; requests still waiting or in flight when the client is destroyed complete
  // with kCancelled.
  virtual void Send(OutboundRequest request, DoneCallback done) = 0;

  // Sends and blocks the calling thread until the outcome is there. Must not be called from a
  // `done` callback (the client's own thread): that would wait for itself, so it completes at
  // once with kInvalidRequest instead.
  virtual HttpOutcome SendAndWait(OutboundRequest request);
};

}  // namespace causeway::exchange
