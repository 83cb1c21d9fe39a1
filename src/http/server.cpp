#include "http/server.h"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/thread_pool.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>
#include <spdlog/spdlog.h>

#include <malloc.h>

#include <array>
#include <condition_variable>
#include <cstring>
#include <list>
#include <mutex>
#include <thread>

#include "core/ascii.h"
#include "core/crypto.h"
#include "http/authority.h"
#include "http/content_coding.h"
#include "http/header_block.h"
#include "http/response_writer.h"
#include "http/thread_slice.h"

namespace causeway::http {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
using tcp = asio::ip::tcp;
using asio::awaitable;
constexpr auto kTuple = asio::as_tuple(asio::use_awaitable);

namespace {

using Clock = std::chrono::steady_clock;

Response PlainError(int status, std::string text) {
  Response r(status, "text/plain; charset=utf-8", std::move(text));
  r.close = true;
  return r;
}

// RFC 9112 §3.2.2: a server accepts the absolute form of a request target (proxies and some
// clients send it) and takes the host from it rather than from the Host field.
std::string OriginForm(std::string_view target, Headers& headers) {
  if (target.empty() || target.front() == '/') return std::string(target);
  size_t scheme_end = target.find("://");
  if (scheme_end == std::string_view::npos) return std::string(target);
  std::string_view scheme = target.substr(0, scheme_end);
  if (!core::IEquals(scheme, "http") && !core::IEquals(scheme, "https")) return std::string(target);
  std::string_view rest = target.substr(scheme_end + 3);
  size_t path = core::FindAny(rest, "/?#");
  std::string_view authority = rest.substr(0, path);
  if (size_t at = authority.rfind('@'); at != std::string_view::npos) authority.remove_prefix(at + 1);
  if (!authority.empty()) headers.Set("host", std::string(authority));
  if (path == std::string_view::npos || rest[path] == '#') return "/";
  if (rest[path] == '?') return "/" + std::string(rest.substr(path));
  return std::string(rest.substr(path));
}

}  // namespace

struct Server::Impl {
  ServerOptions options;
  Handler& handler;
  std::function<void(const RequestRecord&)> on_request;
  // One single-threaded io_context per I/O thread: a connection lives on one thread for its
  // whole life, so its handlers need no strand and no cross-thread hand-off. Acceptors run on
  // the first context and deal connections out round-robin.
  std::vector<std::unique_ptr<asio::io_context>> iocs;
  size_t next_ioc = 0;
  asio::io_context& ioc() { return *iocs[0]; }
  asio::thread_pool workers;
  std::vector<std::unique_ptr<tcp::acceptor>> acceptors;
  std::vector<std::shared_ptr<asio::ssl::context>> tls_contexts;  // per listener, may be null
  std::vector<uint16_t> ports;
  ServerStats stats;
  std::atomic<bool> stopping{false};
  // Request body bytes held by all connections together (bounded by max_buffered_body_bytes).
  std::atomic<size_t> buffered_body_bytes{0};
  // A large body was freed: the sweeper hands free memory back to the system (see Trim()).
  std::atomic<bool> trim_wanted{false};
  Clock::time_point last_trim{};
  static constexpr size_t kTrimAfterBytes = 1 << 20;
  std::mutex stop_mu;               // with stop_cv: wakes the drain watcher in Run()
  std::condition_variable stop_cv;

  // Connection deadlines are kept per connection and checked by one sweeper per I/O thread
  // (every kSweep), instead of arming a timer per read and write: that saved several timer
  // syscalls per request. A sweep cancels the socket's pending operation; the session then
  // answers 408 (request too slow) or closes (idle, or the server is stopping).
  struct Conn {
    tcp::socket* sock;
    Clock::time_point deadline = Clock::time_point::max();
    bool busy = false;
    bool timed_out = false;
  };
  static constexpr auto kSweep = std::chrono::milliseconds(100);
  static constexpr int kMaxParkedRuns = 3;
  // conns[i] is touched only on I/O thread i.
  std::vector<std::list<Conn*>> conns;
  Impl(ServerOptions o, Handler& h, std::function<void(const RequestRecord&)> cb)
      : options(std::move(o)), handler(h), on_request(std::move(cb)),
        workers(static_cast<size_t>(std::max(1, options.worker_threads))) {
    for (int i = 0; i < std::max(1, options.io_threads); ++i) iocs.push_back(std::make_unique<asio::io_context>(1));
    conns.resize(iocs.size());
  }

  core::Status Listen(const ListenerOptions& l) {
    std::shared_ptr<asio::ssl::context> ctx;
    if (l.tls) {
      ctx = std::make_shared<asio::ssl::context>(asio::ssl::context::tls_server);
      boost::system::error_code ec;
      ctx->set_options(asio::ssl::context::default_workarounds | asio::ssl::context::no_sslv2 |
                       asio::ssl::context::no_sslv3 | asio::ssl::context::no_tlsv1 | asio::ssl::context::no_tlsv1_1 |
                       asio::ssl::context::single_dh_use);
      ctx->use_certificate_chain_file(l.tls->cert_file, ec);
      if (!ec) ctx->use_private_key_file(l.tls->key_file, asio::ssl::context::pem, ec);
      if (ec) return core::MakeError(core::Code::kInternal, "CAUSEWAY/HTTP", "001",
                                     "cannot load TLS certificate or key: " + ec.message());
      if (!l.tls->client_ca_file.empty()) {
        ctx->load_verify_file(l.tls->client_ca_file, ec);
        if (ec) return core::MakeError(core::Code::kInternal, "CAUSEWAY/HTTP", "002",
                                       "cannot load client CA file: " + ec.message());
        auto mode = asio::ssl::verify_peer;
        if (l.tls->require_client_cert) mode |= asio::ssl::verify_fail_if_no_peer_cert;
        ctx->set_verify_mode(mode);
        // Session ids must be scoped when verifying peers, or OpenSSL refuses resumption.
        static const unsigned char kSid[] = "causeway";
        SSL_CTX_set_session_id_context(ctx->native_handle(), kSid, sizeof kSid - 1);
      }
    }
    boost::system::error_code ec;
    auto addr = asio::ip::make_address(l.address, ec);
    if (ec) return core::MakeError(core::Code::kInternal, "CAUSEWAY/HTTP", "003", "bad listen address " + l.address);
    auto acc = std::make_unique<tcp::acceptor>(ioc());
    tcp::endpoint ep(addr, l.port);
    acc->open(ep.protocol(), ec);
    if (!ec) acc->set_option(asio::socket_base::reuse_address(true), ec);
    if (!ec) acc->bind(ep, ec);
    if (!ec) acc->listen(asio::socket_base::max_listen_connections, ec);
    if (ec)
      return core::MakeError(core::Code::kInternal, "CAUSEWAY/HTTP", "004",
                             "cannot listen on " + l.address + ":" + std::to_string(l.port) + ": " + ec.message());
    ports.push_back(acc->local_endpoint().port());
    acceptors.push_back(std::move(acc));
    tls_contexts.push_back(std::move(ctx));
    return core::Status::Ok();
  }

  awaitable<void> Accept(size_t index) {
    tcp::acceptor& acc = *acceptors[index];
    asio::steady_timer pause(acc.get_executor());
    Clock::time_point last_warning{};
    uint64_t failures = 0;
    for (;;) {
      size_t thread = next_ioc++ % iocs.size();
      auto [ec, socket] = co_await acc.async_accept(*iocs[thread], kTuple);
      if (ec) {
        if (stopping || ec == asio::error::operation_aborted) co_return;
        // Out of files or memory (EMFILE, ENFILE, ENOBUFS, ENOMEM): the connection stays in the
        // backlog and accept fails again at once, so retrying now would spin a core and flood the
        // log. Pause, and warn once a minute with the count.
        ++failures;
        if (Clock::now() - last_warning >= std::chrono::minutes(1)) {
          spdlog::warn("accept failed: {} ({} times since the last warning; pausing 100 ms each)", ec.message(),
                       failures);
          last_warning = Clock::now();
          failures = 0;
        }
        pause.expires_after(std::chrono::milliseconds(100));
        co_await pause.async_wait(kTuple);
        continue;
      }
      // Counted here, not when its session starts on another thread: a burst of connects
      // would otherwise all pass the check before any was counted (and run the process out of
      // files), and a TLS handshake in progress holds a file as well.
      if (static_cast<size_t>(stats.open_connections.load()) >= options.max_connections) {
        ++stats.connections_rejected;
        boost::system::error_code ignore;
        socket.close(ignore);
        continue;
      }
      ++stats.open_connections;
      socket.set_option(tcp::no_delay(true));
      auto ex = socket.get_executor();
      if (tls_contexts[index]) {
        asio::co_spawn(ex, TlsSession(beast::tcp_stream(std::move(socket)), tls_contexts[index], thread), asio::detached);
      } else {
        asio::co_spawn(ex, Session(beast::tcp_stream(std::move(socket)), false, thread), asio::detached);
      }
    }
  }

  awaitable<void> TlsSession(beast::tcp_stream tcp_stream, std::shared_ptr<asio::ssl::context> ctx, size_t thread) {
    beast::ssl_stream<beast::tcp_stream> stream(std::move(tcp_stream), *ctx);
    beast::get_lowest_layer(stream).expires_after(options.request_timeout);
    auto [ec] = co_await stream.async_handshake(asio::ssl::stream_base::server, kTuple);
    if (ec) {
      spdlog::debug("TLS handshake failed: {}", ec.message());
      --stats.open_connections;  // counted at accept; Session, which uncounts it, never ran
      co_return;
    }
    beast::get_lowest_layer(stream).expires_never();
    co_await Session(std::move(stream), true, thread);
  }

  template <typename Stream>
  static void PeerCertificate(Stream& stream, Request& req) {
    if constexpr (!std::is_same_v<Stream, beast::tcp_stream>) {
      SSL* ssl = stream.native_handle();
      X509* cert = SSL_get1_peer_certificate(ssl);
      if (!cert) return;
      if (SSL_get_verify_result(ssl) == X509_V_OK) {
        char buf[512];
        X509_NAME_oneline(X509_get_subject_name(cert), buf, sizeof buf);
        req.client_cert_subject = buf;
        unsigned char md[EVP_MAX_MD_SIZE];
        unsigned int len = 0;
        X509_digest(cert, EVP_sha256(), md, &len);
        req.client_cert_fingerprint = core::HexEncode(std::string_view(reinterpret_cast<char*>(md), len));
      }
      X509_free(cert);
    }
  }

  // One request as read from the connection: the parsed message, or the answer to give
  // without handling it (framing error, limit, refused admission, end of the connection).
  struct Incoming {
    Request req;
    std::optional<Response> early;
    bool closed = false;  // the peer went away (or timed out while idle): nothing to answer
    bool head_read = false;      // method, target and headers are known (and the Host is valid)
    bool plain_refusal = false;  // `early` is the layer's own plain-text refusal
    bool head = false;
    bool keep_alive = false;
    unsigned version = 11;
    size_t reserved = 0;  // body bytes counted against max_buffered_body_bytes
  };

  // Releases an Incoming's share of the body budget when it goes out of scope.
  struct BudgetRelease {
    Impl* impl;
    Incoming* in;
    ~BudgetRelease() {
      if (in->reserved) impl->buffered_body_bytes.fetch_sub(in->reserved);
      if (in->reserved >= kTrimAfterBytes) impl->trim_wanted.store(true, std::memory_order_relaxed);
    }
  };

  // Counts `now` body bytes (the body's capacity so far) against the server-wide budget.
  bool Reserve(Incoming& in, size_t now) {
    if (now <= in.reserved) return true;
    size_t delta = now - in.reserved;
    in.reserved = now;
    return buffered_body_bytes.fetch_add(delta) + delta <= options.max_buffered_body_bytes;
  }

  static bool IsFramingClose(const boost::system::error_code& ec) {
    return ec == bhttp::error::end_of_stream || ec == asio::error::eof || ec == asio::error::connection_reset ||
           ec == asio::error::operation_aborted;
  }

  static Response ReadError(const boost::system::error_code& ec, bool timed_out) {
    if (ec == bhttp::error::header_limit) return PlainError(431, "Request header fields too large");
    if (ec == bhttp::error::body_limit) return PlainError(413, "Request body too large");
    if (timed_out) return PlainError(408, "Request timeout");
    return PlainError(400, "Malformed HTTP request");
  }

  // Reads the header block (framed by us, so that sloppy line ends are normalized first).
  // Returns its length, 0 with `ec` set otherwise.
  template <typename Stream>
  awaitable<size_t> ReadHeaderBlock(Stream& stream, beast::flat_buffer& buffer, boost::system::error_code& ec) {
    size_t header_end = 0;
    size_t skipped = 0;
    for (;;) {
      auto data = buffer.data();
      std::string_view have(static_cast<const char*>(data.data()), data.size());
      // Empty lines before a request line are ignored (RFC 9112 §2.2): some clients send a CRLF
      // after a POST body, and Beast's parser would take it for a malformed request.
      size_t lead = 0;
      while (lead < have.size() && (have[lead] == '\r' || have[lead] == '\n')) ++lead;
      if (lead > 0) {
        buffer.consume(lead);
        skipped += lead;
        if (skipped > options.max_header_bytes) {
          ec = bhttp::error::header_limit;
          co_return 0;
        }
        continue;
      }
      header_end = FindHeaderBlockEnd(have);
      if (header_end || have.size() > options.max_header_bytes) break;
      auto [rec, n] = co_await stream.async_read_some(buffer.prepare(8192), kTuple);
      if (rec) {
        ec = rec;
        co_return 0;
      }
      buffer.commit(n);
    }
    if (!header_end) {
      ec = bhttp::error::header_limit;
      co_return 0;
    }
    auto data = buffer.data();
    std::string_view have(static_cast<const char*>(data.data()), data.size());
    if (NeedsNormalizing(have.substr(0, header_end))) {
      std::string normalized = NormalizeHeaderBlock(have.substr(0, header_end));
      size_t normalized_end = normalized.size();
      normalized.append(have.substr(header_end));
      buffer.consume(buffer.size());
      auto out = buffer.prepare(normalized.size());
      std::memcpy(out.data(), normalized.data(), normalized.size());
      buffer.commit(normalized.size());
      header_end = normalized_end;
    }
    co_return header_end;
  }

  using Parser = bhttp::request_parser<bhttp::string_body>;

  // What a request coroutine keeps across its suspensions lives in its frame, and asio
  // recycles frames only up to about 1 KB: a larger one is a malloc and a free of a large
  // chunk per request (glibc then consolidates its fast bins every time, a tenth of a cached
  // read's CPU). So the parser lives in the connection's frame, and the answers below are
  // built in plain functions, whose temporaries stay on the stack.
  static void Refuse(Incoming& in, int status, std::string_view text, bool retry = false) {
    in.early = PlainError(status, std::string(text));
    in.plain_refusal = true;
    if (retry) in.early->headers.Add("retry-after", "1");
  }
  static void RefuseRead(Incoming& in, const boost::system::error_code& ec, bool timed_out) {
    in.early = ReadError(ec, timed_out);
    in.plain_refusal = true;
  }
  // A plain refusal of a request whose head is known, in the addressed endpoint's protocol
  // (a Gateway error, a SOAP fault) when it has one.
  void RenderRefusal(const Request& req, Response& res) {
    std::optional<Response> shaped;
    try {
      shaped = handler.Refusal(req, res.status, res.body);
    } catch (...) {
      return;
    }
    if (!shaped) return;
    shaped->status = res.status;
    shaped->close = res.close;
    for (const auto& [name, value] : res.headers.items())
      if (!core::IEquals(name, "content-type") && !core::IEquals(name, "content-length"))
        shaped->headers.Set(name, value);
    res = std::move(*shaped);
  }
  static void TakeHead(Parser& parser, Incoming& in) {
    auto& msg = parser.get();
    in.version = msg.version();
    in.keep_alive = parser.keep_alive();
    in.head = msg.method() == bhttp::verb::head;
    in.req.method = std::string(msg.method_string());
    in.req.version = static_cast<int>(msg.version());
    for (const auto& f : msg) in.req.headers.Add(std::string(f.name_string()), std::string(f.value()));
    in.req.target = OriginForm(msg.target(), in.req.headers);
  }
  // Feeds the buffered head to the parser. False if the parser wants more than the buffer
  // holds (then the caller reads on); `ec` is the parser's verdict otherwise.
  static bool ParseBufferedHead(Parser& parser, beast::flat_buffer& buffer, boost::system::error_code& ec) {
    while (!parser.is_header_done()) {
      const size_t used = parser.put(buffer.data(), ec);
      buffer.consume(used);
      if (ec == bhttp::error::need_more) {
        ec = {};
        return false;
      }
      if (ec) return true;
      if (used == 0) return false;
    }
    return true;
  }
  static bool ExpectsContinue(const Incoming& in) {
    auto expect = in.req.headers.Get("expect");
    return expect && in.version == 11 && core::IEquals(*expect, "100-continue");
  }

  // Head → framing check → (admission, when the body is still on its way) → body.
  template <typename Stream>
  awaitable<void> ReadRequest(Stream& stream, beast::flat_buffer& buffer, Conn& conn, Incoming& in, Parser& parser) {
    parser.header_limit(static_cast<std::uint32_t>(options.max_header_bytes));
    parser.body_limit(options.max_body_bytes);
    boost::system::error_code ec;
    size_t header_end = co_await ReadHeaderBlock(stream, buffer, ec);
    if (!ec) {
      auto data = buffer.data();
      if (auto bad = CheckBodyFraming(std::string_view(static_cast<const char*>(data.data()), header_end))) {
        Refuse(in, bad->status, bad->text);
        co_return;
      }
      // The head is whole in the buffer: parse it in place. (An asynchronous read would find
      // nothing to read and still post its completion through the scheduler.)
      if (!ParseBufferedHead(parser, buffer, ec)) {
        auto [rec, n] = co_await bhttp::async_read_header(stream, buffer, parser, kTuple);
        ec = rec;
      }
    }
    if (ec) {
      if (IsFramingClose(ec) && !conn.timed_out) in.closed = true;
      else RefuseRead(in, ec, conn.timed_out);
      co_return;
    }
    TakeHead(parser, in);
    // RFC 9112 §3.2: a Host that is not host[:port], or several, is answered 400. What it would
    // have named would go into absolute URLs (xml:base, ids, WSDL addresses, document links).
    if (HasInvalidHost(in.req.headers)) {
      Refuse(in, 400, "Bad Request: invalid Host header");
      co_return;
    }
    in.head_read = true;

    if (!parser.is_done()) {
      const auto length = parser.content_length();
      // Nobody's body is buffered before its sender is known to be allowed in: admit on the
      // head unless the whole body has already arrived with it.
      if (!length || buffer.size() < *length) {
        co_await AdmitHead(in);
        if (in.early) {
          in.early->close = true;  // the body stays unread
          co_return;
        }
        if (length && !Reserve(in, *length)) {
          Refuse(in, 503, "Server busy: too many request bodies in flight", /*retry=*/true);
          co_return;
        }
        if (ExpectsContinue(in)) {
          static constexpr std::string_view kContinue = "HTTP/1.1 100 Continue\r\n\r\n";
          auto [wec, unused] = co_await asio::async_write(stream, asio::buffer(kContinue), kTuple);
          if (wec) {
            in.closed = true;
            co_return;
          }
        }
      }
      while (!parser.is_done()) {
        auto [rec, n] = co_await bhttp::async_read_some(stream, buffer, parser, kTuple);
        if (rec) {
          RefuseRead(in, rec, conn.timed_out);
          co_return;
        }
        if (!Reserve(in, parser.get().body().capacity())) {
          Refuse(in, 503, "Server busy: too many request bodies in flight", /*retry=*/true);
          co_return;
        }
      }
    }
    in.req.body = std::move(parser.get().body());
    // An empty body has nothing to decode, whatever Content-Encoding a client sends with it (some
    // set it on every request, GET included).
    if (!in.req.body.empty() && in.req.headers.Has("content-encoding")) {
      // Nobody's body is inflated before its sender is known to be allowed in (a body that
      // came with its head has not met the gate yet).
      if (!in.req.admitted) {
        co_await AdmitHead(in);
        if (in.early) co_return;
      }
      DecodeBody(in);
    }
  }

  // A compressed body is undone here, so that no handler needs to know (content_coding.h). The
  // decoded bytes count against the body budget as they grow, beside the compressed ones
  // (Reserve keeps the largest amount asked for until the request ends).
  void DecodeBody(Incoming& in) {
    std::string joined;
    for (auto c : in.req.headers.GetAll("content-encoding")) (joined += c) += ',';
    auto may_hold = [&](size_t held) { return Reserve(in, held); };
    if (auto error = DecodeContentCoding(joined, in.req.body, options.max_body_bytes, may_hold)) {
      Refuse(in, error->status, error->text, /*retry=*/error->status == 503);
      in.early->close = false;  // the whole body was read: the next request starts where it ends
      if (error->status == 415) in.early->headers.Add("accept-encoding", std::string(kAcceptedContentCodings));
      return;
    }
    in.req.headers.Remove("content-encoding");
    if (in.req.headers.Has("content-length")) in.req.headers.Set("content-length", std::to_string(in.req.body.size()));
  }

  // The connection's loop: wait for a request, read it, answer it, until one side ends it.
  template <typename Stream>
  awaitable<void> Session(Stream stream, bool tls, size_t thread) {  // counted by Accept
    auto& sock = beast::get_lowest_layer(stream).socket();
    Request origin;  // what every request on this connection carries: peer address, TLS, certificate
    {
      boost::system::error_code ec;
      auto ep = sock.remote_endpoint(ec);
      if (!ec) origin.remote_address = ep.address().to_string();
    }
    origin.tls = tls;
    PeerCertificate(stream, origin);
    Conn conn{&sock};
    conns[thread].push_front(&conn);
    auto registration = conns[thread].begin();
    beast::get_lowest_layer(stream).expires_never();

    beast::flat_buffer buffer;
    std::optional<Parser> parser;  // one per request, kept here (see Refuse)
    std::string head_buffer;  // reused for every response head on this connection
    bool linger = false;
    while (!stopping) {
      // Wait for the next request with the idle timeout, then give the whole request the
      // request timeout, so a slow sender (slowloris) cannot hold a connection forever.
      if (buffer.size() == 0) {
        conn.deadline = Clock::now() + options.idle_timeout;
        auto [ec, n] = co_await stream.async_read_some(buffer.prepare(8192), kTuple);
        if (ec) break;
        buffer.commit(n);
      }
      conn.busy = true;
      auto started = Clock::now();
      conn.deadline = started + options.request_timeout;
      conn.timed_out = false;
      Incoming in;
      BudgetRelease release{this, &in};
      in.req.remote_address = origin.remote_address;
      in.req.tls = tls;
      in.req.client_cert_subject = origin.client_cert_subject;
      in.req.client_cert_fingerprint = origin.client_cert_fingerprint;
      parser.emplace();
      co_await ReadRequest(stream, buffer, conn, in, *parser);
      parser.reset();
      if (in.closed) break;
      Response res;
      if (in.early) {
        res = std::move(*in.early);
        if (in.head_read && in.plain_refusal) {
          // On the pool: a protocol's renderer may write its own log (a SOAP fault's error-log
          // entry) and must not hold the I/O thread. The body is not the renderer's to read
          // (cut off, or still encoded).
          in.req.body.clear();
          co_await asio::co_spawn(
              workers,
              [this, &in, &res]() -> awaitable<void> {
                RenderRefusal(in.req, res);
                co_return;
              },
              asio::use_awaitable);
        }
      } else {
        ++stats.in_flight;
        co_await Dispatch(in.req, res);
        if (res.after) co_await AwaitDurable(res);
        --stats.in_flight;
      }
      const bool keep_alive = in.keep_alive && !res.close && !stopping;
      const int status = res.status;
      std::string label = std::move(res.label);
      conn.deadline = Clock::now() + options.request_timeout;
      auto [wec, written] = co_await WriteAnswer(stream, in, res, keep_alive, head_buffer);
      if (on_request) {
        auto us = std::chrono::duration_cast<std::chrono::microseconds>(Clock::now() - started);
        on_request(RequestRecord{&in.req, status, written, us, label});
      }
      conn.busy = false;
      if (wec) break;
      if (!keep_alive) {
        linger = true;
        break;
      }
    }
    co_await Close(stream, conn, linger);
    conns[thread].erase(registration);
    --stats.open_connections;
  }

  // Head and body in one write on TCP; returns the write's error and the bytes written.
  template <typename Stream>
  awaitable<std::pair<boost::system::error_code, size_t>> WriteAnswer(Stream& stream, const Incoming& in,
                                                                      Response& res, bool keep_alive,
                                                                      std::string& head_buffer) {
    WriteResponseHead(res, {.version = static_cast<int>(in.version), .keep_alive = keep_alive, .head = in.head,
                            .server_header = &options.server_header},
                      &head_buffer);
    std::array<asio::const_buffer, 2> wire = {asio::buffer(head_buffer), asio::const_buffer()};
    if (!in.head && StatusHasBody(res.status)) wire[1] = asio::buffer(res.body_view());
    boost::system::error_code wec;
    size_t written = 0;
    if constexpr (std::is_same_v<Stream, beast::tcp_stream>) {
      std::tie(wec, written) = co_await asio::async_write(stream, wire, kTuple);
    } else {
      // Beast's flat_stream (inside ssl_stream) writes nothing when the sequence it is given
      // starts with an exhausted buffer, and async_write takes that as done: head and body
      // above 16 KB arrived as the head alone. One buffer per write avoids it.
      for (const auto& part : wire) {
        if (part.size() == 0 || wec) continue;
        auto [ec, n] = co_await asio::async_write(stream, part, kTuple);
        wec = ec;
        written += n;
      }
    }
    co_return std::pair{wec, written};
  }

  // TLS: close_notify (bounded by the sweeper); TCP: a lingering close after an early answer.
  template <typename Stream>
  awaitable<void> Close(Stream& stream, Conn& conn, bool linger) {
    auto& sock = beast::get_lowest_layer(stream).socket();
    if constexpr (!std::is_same_v<Stream, beast::tcp_stream>) {
      conn.busy = false;
      conn.deadline = Clock::now() + std::chrono::seconds(2);
      co_await stream.async_shutdown(kTuple);
    } else if (linger) {
      co_await LingeringClose(sock, conn);
    }
    boost::system::error_code ignore;
    sock.shutdown(tcp::socket::shutdown_both, ignore);
  }

  // Lingering close: after answering early (413, 431, 400 or 401 with `connection: close`) the
  // peer may still be sending; closing with unread data would reset the connection and the
  // client would lose our answer. Stop sending, then drain (into a small scratch buffer, never
  // kept) for up to a second.
  awaitable<void> LingeringClose(tcp::socket& sock, Conn& conn) {
    boost::system::error_code ignore;
    sock.shutdown(tcp::socket::shutdown_send, ignore);
    conn.busy = false;
    conn.deadline = Clock::now() + std::chrono::seconds(1);
    char scratch[16384];
    size_t drained = 0;
    while (drained < 4 * options.max_body_bytes) {
      auto [rec, n] = co_await sock.async_read_some(asio::buffer(scratch), kTuple);
      if (rec) break;
      drained += n;
    }
  }

  // One per I/O thread: cancels the pending operation of connections past their deadline and,
  // once stopping, of idle connections.
  awaitable<void> Sweeper(size_t thread) {
    asio::steady_timer timer(*iocs[thread]);
    for (;;) {
      timer.expires_after(kSweep);
      auto [ec] = co_await timer.async_wait(kTuple);
      if (ec) co_return;
      auto now = Clock::now();
      for (Conn* c : conns[thread]) {
        boost::system::error_code ignore;
        if (now >= c->deadline) {
          c->timed_out = c->busy;
          c->deadline = Clock::time_point::max();
          c->sock->cancel(ignore);
        } else if (stopping && !c->busy) {
          c->sock->cancel(ignore);
        }
      }
      if (thread == 0) Trim(now);
      if (stopping && conns[thread].empty()) co_return;
    }
  }

  // glibc keeps freed memory in its arenas; after a large request body it would keep up to
  // that much per worker thread for good. Hand free pages back, at most once a second.
  void Trim(Clock::time_point now) {
#ifdef __GLIBC__
    if (now - last_trim < std::chrono::seconds(1) || !trim_wanted.exchange(false, std::memory_order_relaxed)) return;
    last_trim = now;
    ::malloc_trim(0);
#else
    (void)now;
#endif
  }

  Response SafeHandle(Request& req) {
    try {
      return handler.Handle(req);
    } catch (const std::exception& e) {
      spdlog::error("handler threw: {}", e.what());
      return PlainError(500, "Internal server error");
    }
  }

  // What resumes the calling coroutine on `ex` (its own I/O thread) once `c` completed. Not a
  // coroutine itself: GCC 12 destroyed the by-value parameter of a nested coroutine awaited in
  // an expression twice, freeing the completion while the request still held it.
  static auto AwaitCompletion(std::shared_ptr<core::Completion> c, asio::any_io_executor ex) {
    return asio::async_initiate<decltype(asio::use_awaitable), void(core::Status)>(
        [c = std::move(c), ex](auto handler) {
          auto h = std::make_shared<decltype(handler)>(std::move(handler));
          c->Then([h, ex](const core::Status& s) { asio::post(ex, [h, s]() mutable { (*h)(std::move(s)); }); });
        },
        asio::use_awaitable);
  }

  void HandleInto(Request& req, Response& res) { res = SafeHandle(req); }
  void HandleInline(Request& req, Response& res) {
    req.on_io_thread = true;
    HandleInto(req, res);
    req.on_io_thread = false;
  }
  static void ReplaceOnFailure(Response& res, const core::Status& st) {
    auto on_failure = std::move(res.on_failure);  // out of `res` before `res` is overwritten
    res = on_failure ? on_failure(st.error()) : PlainError(500, "Internal server error");
  }

  awaitable<void> Dispatch(Request& req, Response& res) {
    if (handler.RunsInline(req)) {
      // A handler may park a few times (each a wait some other thread ends); one that still
      // would wait after that goes to the pool like one that cannot park.
      for (int runs = 0;; ++runs) {
        HandleInline(req, res);
        if (!res.to_workers) co_return;
        std::shared_ptr<core::Completion> parked = req.parking.waiting_on();
        if (parked == nullptr || runs == kMaxParkedRuns) break;
        ++stats.parked;
        if (!parked->done()) co_await AwaitCompletion(std::move(parked), co_await asio::this_coro::executor);
      }
      ++stats.handed_to_workers;
    }
    co_await asio::co_spawn(
        workers, [this, &req, &res]() -> awaitable<void> { HandleInto(req, res); co_return; }, asio::use_awaitable);
  }

  // A response that goes out once its writes are durable (Response::after): awaited here
  // without holding a thread, replaced by its failure answer if the commit failed.
  awaitable<void> AwaitDurable(Response& res) {
    std::shared_ptr<core::Completion> after = std::move(res.after);
    core::Status st;
    if (after->done()) {
      st = after->Wait();
    } else {
      st = co_await AwaitCompletion(after, co_await asio::this_coro::executor);
    }
    if (!st.ok()) ReplaceOnFailure(res, st);
    res.after.reset();
  }

  std::optional<Response> SafeAdmit(Request& req) {
    try {
      return handler.Admit(req);
    } catch (const std::exception& e) {
      spdlog::error("admission threw: {}", e.what());
      return PlainError(500, "Internal server error");
    }
  }

  // The gate on the request head alone, into in.early when refused; on the worker pool when it
  // may block (a first logon runs the slow password hash).
  void AdmitInto(Incoming& in) { in.early = SafeAdmit(in.req); }
  awaitable<void> AdmitHead(Incoming& in) {
    if (handler.AdmitsInline(in.req)) {
      AdmitInto(in);
      co_return;
    }
    co_await asio::co_spawn(
        workers, [this, &in]() -> awaitable<void> { AdmitInto(in); co_return; }, asio::use_awaitable);
  }
};

Server::Server(ServerOptions options, Handler& handler, std::function<void(const RequestRecord&)> on_request)
    : impl_(std::make_unique<Impl>(std::move(options), handler, std::move(on_request))) {}

Server::~Server() {
  Stop();
  impl_->workers.join();
}

core::Status Server::Start() {
  for (const auto& l : impl_->options.listeners) CW_RETURN_IF_ERROR(impl_->Listen(l));
  for (size_t i = 0; i < impl_->acceptors.size(); ++i)
    asio::co_spawn(impl_->ioc(), impl_->Accept(i), asio::detached);
  for (size_t t = 0; t < impl_->iocs.size(); ++t) asio::co_spawn(*impl_->iocs[t], impl_->Sweeper(t), asio::detached);
  return core::Status::Ok();
}

const std::vector<uint16_t>& Server::ports() const { return impl_->ports; }
const ServerStats& Server::stats() const { return impl_->stats; }

void Server::Run() {
  std::vector<asio::executor_work_guard<asio::io_context::executor_type>> guards;
  for (auto& c : impl_->iocs) guards.push_back(asio::make_work_guard(*c));
  std::vector<std::thread> threads;
  for (size_t i = 1; i < impl_->iocs.size(); ++i) threads.emplace_back([this, i] {
      RequestThreadSlice(impl_->options.io_slice);
      impl_->iocs[i]->run();
    });
  // The drain watcher: once stopping, wait until no connection is open (or the deadline).
  std::thread drain([this, &guards] {
    {
      std::unique_lock lock(impl_->stop_mu);
      impl_->stop_cv.wait(lock, [&] { return impl_->stopping.load(); });
    }
    auto deadline = Clock::now() + impl_->options.drain_timeout;
    while (impl_->stats.open_connections.load() > 0 && Clock::now() < deadline)
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    for (auto& g : guards) g.reset();
    for (auto& c : impl_->iocs) c->stop();
  });
  RequestThreadSlice(impl_->options.io_slice);  // the calling thread is I/O thread 0
  impl_->iocs[0]->run();
  drain.join();
  for (auto& t : threads) t.join();
}

void Server::Stop() {
  {
    std::lock_guard lock(impl_->stop_mu);
    if (impl_->stopping.exchange(true)) return;
  }
  impl_->stop_cv.notify_all();
  // Acceptors close now; idle connections are closed by each thread's sweeper.
  asio::post(impl_->ioc(), [impl = impl_.get()] {
    for (auto& acc : impl->acceptors) {
      boost::system::error_code ignore;
      acc->close(ignore);
    }
  });
}

}  // namespace causeway::http
