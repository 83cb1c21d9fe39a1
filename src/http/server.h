// The HTTP(S) server: Asio + Beast, one C++20 coroutine per connection; each I/O thread owns its
// connections for their whole life (no strands, see http/README.md).
//
// Contract:
// - HTTP/1.1 keep-alive and pipelining (requests on one connection are answered in order).
// - Limits answer with the right status and close: header too large 431, body too large 413,
//   slow or stalled request 408; malformed or ambiguous framing 400 (CheckBodyFraming), a
//   transfer coding we do not implement 501; all request bodies together over
//   `max_buffered_body_bytes` 503. Over `max_connections` new connections are closed at once
//   (counted from accept, TLS handshakes included). When accept fails for want of files or
//   memory, the acceptor pauses 100 ms instead of retrying at once (and warns once a minute).
// - A body that has not arrived with its head is read only after Handler::Admit let the
//   request in; `Expect: 100-continue` is answered then.
// - Absolute-form targets (`GET http://host/path`) are turned into origin form, the host
//   taken from them.
// - Handler::Handle runs on an I/O thread when Handler::RunsInline() says the request is
//   cheap, else on the worker pool, so blocking work (fsync, process spawn) never stalls I/O.
// - Stop() stops accepting, closes idle connections, lets in-flight requests finish (up to
//   `drain_timeout`), then returns from Run().
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/result.h"
#include "http/message.h"

namespace causeway::http {

struct TlsOptions {
  std::string cert_file;  // PEM certificate chain
  std::string key_file;   // PEM private key
  std::string client_ca_file;       // if set, client certificates are verified against it
  bool require_client_cert = false;  // reject handshakes without a valid client certificate
};

struct ListenerOptions {
  std::string address = "127.0.0.1";
  uint16_t port = 0;  // 0 = any free port (see Server::ports())
  std::optional<TlsOptions> tls;
};

struct ServerOptions {
  std::vector<ListenerOptions> listeners{ListenerOptions{}};
  // Request line and headers together. 64 KiB: long OData function-import URLs (JobSchedule
  // with its parameter values in the query) are accepted by SAP up to about 64,700 characters
  // (spec §1.4, IBP's observed limit), which is this limit less the usual headers.
  size_t max_header_bytes = 64 * 1024;
  size_t max_body_bytes = 16 * 1024 * 1024;
  // Request body bytes buffered by all connections together; a body that would exceed it is
  // answered 503 with retry-after (bodies are read only after the sender was admitted).
  size_t max_buffered_body_bytes = 64 * 1024 * 1024;
  std::chrono::milliseconds idle_timeout{60'000};    // keep-alive wait for the next request
  std::chrono::milliseconds request_timeout{30'000};  // from first byte to complete request
  size_t max_connections = 4096;
  int io_threads = 2;
  // Time slice the I/O threads ask the kernel for (see thread_slice.h); 0 = kernel default.
  std::chrono::microseconds io_slice{100};
  int worker_threads = 32;
  std::chrono::milliseconds drain_timeout{10'000};
  std::string server_header;  // empty: no "server" header
};

class Handler {
 public:
  virtual ~Handler() = default;
  // True if Handle() is cheap and never blocks for this request (runs on the I/O thread).
  virtual bool RunsInline(const Request& req) const = 0;
  // The gate on the request head alone (body not read yet): called before the body when the
  // body has not fully arrived with the head, so that nobody's body is buffered before the
  // sender is known. Returns the response to send instead (the body is then never read and the
  // connection closes) or nullopt; Handle() follows with the body and runs the gate again
  // unless req.admitted says it passed. Must not throw.
  virtual std::optional<Response> Admit(Request& req) {
    (void)req;
    return std::nullopt;
  }
  // True if Admit() is cheap and never blocks for this request (runs on the I/O thread).
  virtual bool AdmitsInline(const Request& req) const {
    (void)req;
    return true;
  }
  // Produces the response. Must not throw (an exception becomes a 500).
  virtual Response Handle(Request& req) = 0;
  // A request the HTTP layer refused after reading its head (body too large, a content coding
  // it cannot undo, a body budget exhausted, a timeout): the answer in the addressed endpoint's
  // protocol, or nullopt for plain text. The server keeps `status` and its own headers
  // (connection, retry-after, accept-encoding). Runs on the worker pool, without the body (it
  // was cut off or is still encoded); must not throw.
  virtual std::optional<Response> Refusal(const Request& head, int status, std::string_view text) {
    (void)head;
    (void)status;
    (void)text;
    return std::nullopt;
  }
};

// Observes every finished request (access log, metrics). Called on the I/O thread.
struct RequestRecord {
  const Request* request;
  int status;
  size_t response_bytes;
  std::chrono::microseconds duration;
  std::string_view label;  // Response label set by the router (service name), may be empty
};

struct ServerStats {
  std::atomic<int64_t> open_connections{0};
  std::atomic<int64_t> in_flight{0};
  std::atomic<uint64_t> connections_rejected{0};
  std::atomic<uint64_t> handed_to_workers{0};  // inline handlers that would have waited (Response::to_workers)
  std::atomic<uint64_t> parked{0};  // inline handlers run again on their I/O thread after a parked wait
};

class Server {
 public:
  Server(ServerOptions options, Handler& handler, std::function<void(const RequestRecord&)> on_request = {});
  ~Server();
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  // Binds every listener. After success, ports() holds the bound ports in listener order.
  core::Status Start();
  const std::vector<uint16_t>& ports() const;
  // Runs the I/O threads until Stop() completed the drain. Call from one thread.
  void Run();
  // Thread-safe and async-signal-safe enough to call from a signal watcher; idempotent.
  void Stop();
  const ServerStats& stats() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace causeway::http
