// The production HttpClient: libcurl's multi interface on a few event-loop threads, so that one
// or two threads keep hundreds of requests in flight.
//
//  - Each destination belongs to one loop thread (chosen by its name), which owns its queue, its
//    concurrency limit and the libcurl connection cache its requests use: connections are kept
//    alive and reused, TLS sessions too.
//  - TLS is verified against the destination's ca_file (or the system store); `insecure` turns
//    verification off and is logged as a warning once per destination name.
//  - Redirects are reported (3xx outcome), not followed, unless the destination says so; then
//    only to http(s), and never from https to http.
//  - Answer bodies are capped at max_answer_bytes (kAnswerTooLarge, the connection is closed).
//  - Basic credentials are sent preemptively. Nothing this client logs (debug: one line per
//    exchange with destination, method, URL, status or error and time; warn: insecure
//    destinations) contains a password, an Authorization or Cookie header, or a body.
#pragma once

#include <atomic>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "exchange/http_client.h"

namespace causeway::exchange {

struct CurlClientOptions {
  int threads = 1;                  // event-loop threads (1-16); destinations are spread by name
  long max_cached_connections = 512;  // idle keep-alive connections kept per loop thread
  std::string user_agent = "causeway/0.1";  // unless a request or destination sets User-Agent
};

// A destination's requests inside the client at one moment.
struct DestinationLoad {
  int in_flight = 0;  // handed to libcurl (connecting, sending or waiting for the answer)
  int queued = 0;     // accepted by Send, waiting for a free slot
};

namespace internal {
class CurlLoop;
}

class CurlHttpClient final : public HttpClient {
 public:
  // Cheap: libcurl is opened, and each loop's thread started, by the first request that loop
  // gets (libcurl_on_demand.h). Never fails: a libcurl that cannot be opened or initialised
  // makes every request complete with kInternal.
  explicit CurlHttpClient(CurlClientOptions options = {});
  // Stops the loops; every request still waiting or in flight completes with kCancelled (its
  // callback runs on the loop thread before the destructor returns).
  ~CurlHttpClient() override;
  CurlHttpClient(const CurlHttpClient&) = delete;
  CurlHttpClient& operator=(const CurlHttpClient&) = delete;

  void Send(OutboundRequest request, DoneCallback done) override;
  HttpOutcome SendAndWait(OutboundRequest request) override;

  // Thread-safe snapshot, for metrics and tests.
  DestinationLoad Load(std::string_view destination_name) const;

 private:
  internal::CurlLoop& LoopFor(std::string_view destination_name) const;

  std::vector<std::unique_ptr<internal::CurlLoop>> loops_;
  std::atomic<bool> stopping_{false};  // the destructor began
};

}  // namespace causeway::exchange
