#include "http/server.h"

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <zlib.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <curl/curl.h>

#include <atomic>
#include <mutex>
#include <thread>

#include "core/completion.h"
#include "tests/support/test_pki.h"

namespace causeway::http {
namespace {

class EchoHandler final : public Handler {
 public:
  bool RunsInline(const Request& req) const override { return req.method == "GET"; }
  // Requests carrying `x-deny` are refused by the gate on their head.
  std::optional<Response> Admit(Request& req) override {
    ++admitted_heads;
    if (!req.headers.Has("x-deny")) return std::nullopt;
    return Response(401, "text/plain", "denied");
  }
  Response Handle(Request& req) override {
    ++handled;
    if (req.target == "/throw") throw std::runtime_error("boom");
    if (req.target == "/after") {
      // Answered once `pending` completes (a unit of work's commit); replaced if it fails.
      auto c = std::make_shared<core::Completion>();
      Response r(200, "text/plain", "committed");
      r.after = c;
      r.on_failure = [](const core::Error& e) { return Response(500, "text/plain", "failed: " + e.text); };
      std::lock_guard lock(mu);
      pending = c;
      return r;
    }
    if (req.target == "/would-wait") {
      // Stands for a handler that would wait for a lock: on an I/O thread it hands over.
      if (req.on_io_thread) return Response::ToWorkers();
      return Response(200, "text/plain", "waited on a worker");
    }
    if (req.target == "/park" || req.target == "/park-always") {
      // Stands for a read barrier: parks on a completion that another thread (the test) ends,
      // then finds it done on the next run. /park-always never takes it back.
      if (!req.on_io_thread) return Response(200, "text/plain", "ran on a worker");
      if (req.target == "/park" && req.parking.Take(this)) return Response(200, "text/plain", "ran again on the I/O thread");
      auto c = std::make_shared<core::Completion>();
      if (req.target == "/park-always") c->Complete(core::Status::Ok());
      req.parking.Park(this, c);
      std::lock_guard lock(mu);
      pending = c;
      return Response::ToWorkers();
    }
    if (req.target.rfind("/big/", 0) == 0) return Response(200, "text/plain", std::string(std::stoul(req.target.substr(5)), 'b'));
    if (req.target == "/echo")
      return Response(200, "text/plain",
                      req.body + "|" + std::string(req.headers.Get("content-encoding").value_or("none")) + "|" +
                          std::string(req.headers.Get("content-length").value_or("none")));
    if (req.headers.Has("x-deny") && !req.admitted) return Response(401, "text/plain", "denied");
    Response r(200, "text/plain", req.method + " " + req.target + " " + std::to_string(req.body.size()));
    r.headers.Add("x-thread", RunsInline(req) ? "io" : "worker");
    r.headers.Add("x-may-block", req.on_io_thread ? "no" : "yes");
    r.headers.Add("x-host", std::string(req.headers.Get("host").value_or("")));
    return r;
  }
  std::atomic<int> admitted_heads{0};
  std::atomic<int> handled{0};
  std::mutex mu;
  std::shared_ptr<core::Completion> pending;  // GUARDED_BY(mu)
};

// A raw TCP client so that tests can send exactly the bytes they mean (bad framing included).
class RawClient {
 public:
  explicit RawClient(uint16_t port) {
    fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_port = htons(port);
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    EXPECT_EQ(::connect(fd_, reinterpret_cast<sockaddr*>(&a), sizeof a), 0);
    timeval tv{5, 0};
    setsockopt(fd_, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
  }
  ~RawClient() { ::close(fd_); }
  void Send(std::string_view s) { ASSERT_EQ(::send(fd_, s.data(), s.size(), MSG_NOSIGNAL), static_cast<ssize_t>(s.size())); }
  // Reads until the peer closes or `until` appears `count` times.
  std::string Read(std::string_view until = {}, int count = 1) {
    std::string out;
    char buf[4096];
    for (;;) {
      if (!until.empty()) {
        int seen = 0;
        for (size_t p = out.find(until); p != std::string::npos; p = out.find(until, p + 1)) ++seen;
        if (seen >= count) return out;
      }
      ssize_t n = ::recv(fd_, buf, sizeof buf, 0);
      if (n <= 0) return out;
      out.append(buf, static_cast<size_t>(n));
    }
  }

 private:
  int fd_;
};

class ServerTest : public ::testing::Test {
 protected:
  void StartServer(ServerOptions o) {
    server_ = std::make_unique<Server>(std::move(o), handler_, [this](const RequestRecord& r) {
      std::lock_guard lock(mu_);
      statuses_.push_back(r.status);
    });
    ASSERT_TRUE(server_->Start().ok());
    port_ = server_->ports()[0];
    thread_ = std::thread([this] { server_->Run(); });
  }
  void TearDown() override {
    if (server_) server_->Stop();
    if (thread_.joinable()) thread_.join();
  }
  // How the requests so far ran: handler calls, parks, hand-overs to the worker pool.
  void ExpectRuns(int handled, uint64_t parked, uint64_t to_workers) {
    EXPECT_EQ(handler_.handled.load(), handled);
    EXPECT_EQ(server_->stats().parked.load(), parked);
    EXPECT_EQ(server_->stats().handed_to_workers.load(), to_workers);
  }
  EchoHandler handler_;
  std::unique_ptr<Server> server_;
  std::thread thread_;
  uint16_t port_ = 0;
  std::mutex mu_;
  std::vector<int> statuses_;
};

TEST_F(ServerTest, AnInlineHandlerThatWouldWaitRunsAgainOnAWorker) {
  StartServer({});
  RawClient c(port_);
  c.Send("GET /a HTTP/1.1\r\nHost: x\r\n\r\n");
  std::string inline_answer = c.Read("GET /a 0");
  EXPECT_NE(inline_answer.find("x-may-block: no"), std::string::npos) << inline_answer;  // ran on the I/O thread
  c.Send("POST /b HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\n\r\n");
  std::string worker_answer = c.Read("POST /b 0");
  EXPECT_NE(worker_answer.find("x-may-block: yes"), std::string::npos) << worker_answer;
  const int handled_before = handler_.handled.load();
  c.Send("GET /would-wait HTTP/1.1\r\nHost: x\r\n\r\nGET /c HTTP/1.1\r\nHost: x\r\n\r\n");
  std::string out = c.Read("GET /c 0");
  // One answer for the handed-over request (the worker's), then the next request's, in order.
  EXPECT_EQ(out.find("HTTP/1.1 200"), 0u) << out;
  const size_t waited = out.find("waited on a worker"), next = out.find("GET /c 0");
  ASSERT_NE(waited, std::string::npos) << out;
  EXPECT_LT(waited, next);
  int answers = 0;
  for (size_t p = out.find("HTTP/1.1 "); p != std::string::npos; p = out.find("HTTP/1.1 ", p + 1)) ++answers;
  EXPECT_EQ(answers, 2) << out;
  EXPECT_EQ(handler_.handled.load() - handled_before, 3);  // /would-wait twice, /c once
  EXPECT_EQ(server_->stats().handed_to_workers.load(), 1u);
}

TEST_F(ServerTest, AParkedHandlerRunsAgainOnItsIoThreadOnceItsWaitCompletes) {
  StartServer({});
  RawClient c(port_);
  c.Send("GET /park HTTP/1.1\r\nHost: x\r\n\r\n");
  std::shared_ptr<core::Completion> pending;
  for (int spins = 0; spins < 50'000'000 && !pending; ++spins) {
    std::lock_guard lock(handler_.mu);
    pending = handler_.pending;
    if (!pending) std::this_thread::yield();
  }
  ASSERT_TRUE(pending);
  // Meanwhile the I/O thread serves other connections.
  RawClient other(port_);
  other.Send("GET /a HTTP/1.1\r\nHost: x\r\n\r\n");
  EXPECT_NE(other.Read("GET /a 0").find("x-may-block: no"), std::string::npos);
  EXPECT_EQ(handler_.handled.load(), 2);
  pending->Complete(core::Status::Ok());
  std::string out = c.Read("I/O thread");
  EXPECT_EQ(out.find("HTTP/1.1 200"), 0u) << out;
  EXPECT_NE(out.find("ran again on the I/O thread"), std::string::npos) << out;
  ExpectRuns(3, 1, 0);
}

TEST_F(ServerTest, AHandlerThatKeepsParkingEndsUpOnAWorker) {
  StartServer({});
  RawClient c(port_);
  c.Send("GET /park-always HTTP/1.1\r\nHost: x\r\n\r\n");
  std::string out = c.Read("ran on a worker");
  EXPECT_EQ(out.find("HTTP/1.1 200"), 0u) << out;
  ExpectRuns(5, 3, 1);  // four runs inline (three parks), then the worker's
}

TEST_F(ServerTest, KeepAliveAndPipelinedRequestsAnsweredInOrder) {
  StartServer({});
  RawClient c(port_);
  c.Send("GET /a HTTP/1.1\r\nHost: x\r\n\r\nPOST /b HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\n\r\nabcGET /c HTTP/1.1\r\nHost: x\r\n\r\n");
  std::string out = c.Read("HTTP/1.1 200", 3);
  out += c.Read("GET /c HTTP/1.1");  // rest of the third body, if split
  size_t a = out.find("GET /a 0"), b = out.find("POST /b 3"), cc = out.find("GET /c 0");
  ASSERT_NE(a, std::string::npos) << out;
  ASSERT_NE(b, std::string::npos) << out;
  ASSERT_NE(cc, std::string::npos) << out;
  EXPECT_LT(a, b);
  EXPECT_LT(b, cc);
  EXPECT_NE(out.find("x-thread: worker"), std::string::npos) << "POST must run on the worker pool";
}

// RFC 9112 §2.2: empty lines before a request line are ignored, also the CRLF some clients send
// after a POST body (it was a 400 that closed the connection).
TEST_F(ServerTest, EmptyLinesBeforeARequestLineAreIgnored) {
  StartServer({});
  RawClient c(port_);
  c.Send(
      "\r\nGET /a HTTP/1.1\r\nHost: x\r\n\r\nPOST /b HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\n\r\nabc\r\n\n"
      "GET /c HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
  std::string out = c.Read("HTTP/1.1 200", 3);
  out += c.Read("GET /c HTTP/1.1");
  EXPECT_EQ(out.find("HTTP/1.1 400"), std::string::npos) << out;
  EXPECT_NE(out.find("GET /a 0"), std::string::npos) << out;
  EXPECT_NE(out.find("POST /b 3"), std::string::npos) << out;
  EXPECT_NE(out.find("GET /c 0"), std::string::npos) << out;
}

// The answer waits for its completion without a thread; a failed one is replaced by on_failure.
TEST_F(ServerTest, DeferredAnswersGoOutOnceTheirCompletionEnds) {
  StartServer({});
  for (bool fail : {false, true, false}) {
    RawClient c(port_);
    c.Send("POST /after HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\n\r\n");
    std::shared_ptr<core::Completion> pending;
    // Until the server awaits it (its copies raise the count): the asynchronous path.
    for (int spins = 0; spins < 50'000'000; ++spins) {
      {
        std::lock_guard lock(handler_.mu);
        pending = handler_.pending;
      }
      if (pending && pending.use_count() > 3) break;
      pending.reset();
      std::this_thread::yield();
    }
    ASSERT_TRUE(pending);
    {
      std::lock_guard lock(handler_.mu);
      handler_.pending.reset();
    }
    if (fail) {
      pending->Complete(core::MakeError(core::Code::kInternal, "CAUSEWAY/STORE", "006", "disk"));
    } else {
      pending->Complete(core::Status::Ok());
    }
    pending.reset();
    std::string out = c.Read(fail ? "failed: disk" : "committed");
    EXPECT_EQ(out.rfind(fail ? "HTTP/1.1 500" : "HTTP/1.1 200", 0), 0u) << out;
  }
}

TEST_F(ServerTest, OversizedHeaderIs431AndConnectionCloses) {
  ServerOptions o;
  o.max_header_bytes = 1024;
  StartServer(o);
  RawClient c(port_);
  c.Send("GET / HTTP/1.1\r\nHost: x\r\nX-Big: " + std::string(4000, 'a') + "\r\n\r\n");
  std::string out = c.Read();
  EXPECT_EQ(out.rfind("HTTP/1.1 431", 0), 0u) << out;
}

// By default a request line of about 64,700 characters is served, as SAP serves long function-
// import URLs (spec §1.4: JobSchedule with its parameter values in the query).
TEST_F(ServerTest, ALongUrlAsSapTakesItIsServedByDefault) {
  StartServer(ServerOptions{});
  RawClient c(port_);
  const std::string target = "/long?" + std::string(64'700, 'a');
  c.Send("GET " + target + " HTTP/1.1\r\nHost: x\r\nAccept: */*\r\nUser-Agent: curl/7.88.1\r\nConnection: close\r\n\r\n");
  std::string out = c.Read();
  EXPECT_EQ(out.rfind("HTTP/1.1 200", 0), 0u) << out.substr(0, 200);
}

TEST_F(ServerTest, OversizedBodyIs413) {
  ServerOptions o;
  o.max_body_bytes = 100;
  StartServer(o);
  RawClient c(port_);
  c.Send("POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 1000\r\n\r\n" + std::string(1000, 'b'));
  EXPECT_EQ(c.Read().rfind("HTTP/1.1 413", 0), 0u);
}

// RFC 9110 §8.4: a compressed request body reaches the handler decoded; a coding we cannot read
// is 415 naming the ones we can, and the connection stays usable.
TEST_F(ServerTest, ACompressedBodyReachesTheHandlerDecoded) {
  StartServer({});
  const std::string body = "<Envelope>compressed</Envelope>";
  z_stream zs{};
  ASSERT_EQ(deflateInit2(&zs, 6, Z_DEFLATED, MAX_WBITS + 16, 8, Z_DEFAULT_STRATEGY), Z_OK);
  std::string gz(256, '\0');
  zs.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(body.data()));
  zs.avail_in = static_cast<uInt>(body.size());
  zs.next_out = reinterpret_cast<Bytef*>(gz.data());
  zs.avail_out = static_cast<uInt>(gz.size());
  ASSERT_EQ(deflate(&zs, Z_FINISH), Z_STREAM_END);
  gz.resize(zs.total_out);
  deflateEnd(&zs);

  RawClient c(port_);
  c.Send("POST /echo HTTP/1.1\r\nHost: x\r\nContent-Encoding: gzip\r\nContent-Length: " + std::to_string(gz.size()) +
         "\r\n\r\n" + gz);
  std::string out = c.Read("|none|" + std::to_string(body.size()));
  EXPECT_EQ(out.rfind("HTTP/1.1 200", 0), 0u) << out;
  EXPECT_NE(out.find(body + "|none|" + std::to_string(body.size())), std::string::npos) << out;

  c.Send("POST /echo HTTP/1.1\r\nHost: x\r\nContent-Encoding: br\r\nContent-Length: 3\r\n\r\nabc");
  out = c.Read("(accepted: gzip, deflate)");
  EXPECT_EQ(out.rfind("HTTP/1.1 415", 0), 0u) << out;
  EXPECT_NE(out.find("accept-encoding: gzip, deflate"), std::string::npos) << out;

  c.Send("POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\n\r\nok");
  out = c.Read("ok|none|2");
  EXPECT_NE(out.find("ok|none|2"), std::string::npos) << out;

  c.Send("GET /echo HTTP/1.1\r\nHost: x\r\nContent-Encoding: gzip\r\n\r\n");  // nothing to decode
  out = c.Read("|gzip|none");
  EXPECT_NE(out.find("\r\n\r\n|gzip|none"), std::string::npos) << out;

  // The gate sees the sender before anything is inflated: refused, the body is never decoded
  // (it is not even gzip here, which decoding would have answered with 400).
  RawClient denied(port_);
  denied.Send("POST /echo HTTP/1.1\r\nHost: x\r\nx-deny: 1\r\nContent-Encoding: gzip\r\nContent-Length: 3\r\n\r\nabc");
  out = denied.Read("denied");
  EXPECT_EQ(out.rfind("HTTP/1.1 401", 0), 0u) << out;
}

TEST_F(ServerTest, MalformedRequestLineIs400AndServerKeepsServing) {
  StartServer({});
  {
    RawClient c(port_);
    c.Send("GARBAGE\x01\x02 nonsense\r\n\r\n");
    EXPECT_EQ(c.Read().rfind("HTTP/1.1 400", 0), 0u);
  }
  RawClient ok(port_);
  ok.Send("GET /fine HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
  EXPECT_NE(ok.Read().find("GET /fine 0"), std::string::npos);
}

TEST_F(ServerTest, SlowSenderGets408) {
  ServerOptions o;
  o.request_timeout = std::chrono::milliseconds(300);
  StartServer(o);
  RawClient c(port_);
  c.Send("GET / HTTP/1.1\r\nHost: x\r\n");  // never finishes the header block
  EXPECT_EQ(c.Read().rfind("HTTP/1.1 408", 0), 0u);
}

TEST_F(ServerTest, HandlerExceptionBecomes500) {
  StartServer({});
  RawClient c(port_);
  c.Send("GET /throw HTTP/1.1\r\nHost: x\r\n\r\n");
  EXPECT_EQ(c.Read("\r\n\r\n").rfind("HTTP/1.1 500", 0), 0u);
}

TEST_F(ServerTest, HeadGetsHeadersWithoutBody) {
  StartServer({});
  RawClient c(port_);
  c.Send("HEAD /h HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
  std::string out = c.Read();
  EXPECT_EQ(out.rfind("HTTP/1.1 200", 0), 0u);
  EXPECT_NE(out.find("content-length: 9"), std::string::npos) << out;  // "HEAD /h 0"
  EXPECT_EQ(out.substr(out.find("\r\n\r\n") + 4), "");
}

TEST_F(ServerTest, StopClosesIdleConnectionsAndReturnsFromRun) {
  StartServer({});
  RawClient idle(port_);
  idle.Send("GET / HTTP/1.1\r\nHost: x\r\n\r\n");
  idle.Read("GET / 0");
  server_->Stop();
  thread_.join();
  EXPECT_EQ(idle.Read(), "");  // closed by the server
}

// RFC 9112 §6.1: a Transfer-Encoding that is not exactly `chunked` makes the body length
// unknown; reading on would take the body for the next request (request smuggling).
TEST_F(ServerTest, AmbiguousTransferEncodingIs400AndTheBodyIsNeverARequest) {
  StartServer({});
  for (const char* te : {"gzip", "identity", "xchunked", "chunked, gzip", "chunked, chunked"}) {
    RawClient c(port_);
    c.Send(std::string("POST /_causeway/health HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: ") + te +
           "\r\n\r\nGET /smuggled HTTP/1.1\r\nHost: x\r\n\r\n");
    std::string out = c.Read();  // until the server closes
    EXPECT_EQ(out.rfind("HTTP/1.1 400", 0), 0u) << te << ": " << out;
    EXPECT_EQ(out.find("HTTP/1.1", 1), std::string::npos) << te << ": two answers: " << out;
    EXPECT_EQ(out.find("smuggled"), std::string::npos) << te;
  }
  EXPECT_EQ(handler_.handled.load(), 0);
}

TEST_F(ServerTest, UnknownTransferCodingBeforeChunkedIs501) {
  StartServer({});
  RawClient c(port_);
  c.Send("POST /x HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: gzip, chunked\r\n\r\n0\r\n\r\n");
  EXPECT_EQ(c.Read().rfind("HTTP/1.1 501", 0), 0u);
}

TEST_F(ServerTest, ChunkedBodyStillWorks) {
  StartServer({});
  RawClient c(port_);
  c.Send("POST /c HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n3\r\nabc\r\n2\r\nde\r\n0\r\n\r\n");
  EXPECT_NE(c.Read().find("POST /c 5"), std::string::npos);
}

TEST_F(ServerTest, AbsoluteFormTargetIsServedWithItsHost) {
  StartServer({});
  RawClient c(port_);
  c.Send("GET http://example.com:8080/sap/opu/odata/sap/X/?a=1 HTTP/1.1\r\nHost: other\r\n\r\n"
         "GET HTTPS://h2/?q HTTP/1.1\r\nHost: other\r\nConnection: close\r\n\r\n");
  std::string out = c.Read();
  EXPECT_NE(out.find("GET /sap/opu/odata/sap/X/?a=1 0"), std::string::npos) << out;
  EXPECT_NE(out.find("x-host: example.com:8080"), std::string::npos) << out;
  EXPECT_NE(out.find("GET /?q 0"), std::string::npos) << out;
  EXPECT_NE(out.find("x-host: h2"), std::string::npos) << out;
}

// RFC 9112 §3.2: a Host that is not host[:port], or two Host lines, get 400 and no handler.
TEST_F(ServerTest, InvalidOrRepeatedHostIs400AndTheConnectionCloses) {
  StartServer({});
  for (const char* head : {"GET /a HTTP/1.1\r\nHost: a\"<b\r\n\r\n", "GET /a HTTP/1.1\r\nHost: x\r\nHost: x\r\n\r\n",
                           "GET /a HTTP/1.1\r\nHost: user@x\r\n\r\n", "GET http://x:8o/ HTTP/1.1\r\nHost: x\r\n\r\n"}) {
    RawClient c(port_);
    c.Send(head);
    std::string out = c.Read();  // Read() returns once the server closed
    EXPECT_EQ(out.rfind("HTTP/1.1 400", 0), 0u) << head << "\n" << out;
    EXPECT_NE(out.find("invalid Host header"), std::string::npos) << out;
  }
  EXPECT_EQ(handler_.handled.load(), 0);
  RawClient ok(port_);
  ok.Send("GET /fine HTTP/1.1\r\nHost: my_service:8080\r\nConnection: close\r\n\r\n");
  EXPECT_NE(ok.Read().find("GET /fine 0"), std::string::npos);
}

// Nobody's body is buffered before the gate let the sender in.
TEST_F(ServerTest, RefusedHeadIsAnsweredBeforeAnyBodyIsRead) {
  StartServer({});
  RawClient c(port_);
  c.Send("POST /big HTTP/1.1\r\nHost: x\r\nx-deny: 1\r\nContent-Length: 15000000\r\n\r\n");
  std::string out = c.Read();  // answered and closed although no body byte was sent
  EXPECT_EQ(out.rfind("HTTP/1.1 401", 0), 0u) << out;
  EXPECT_NE(out.find("connection: close"), std::string::npos) << out;
  EXPECT_EQ(handler_.handled.load(), 0);
}

TEST_F(ServerTest, BodyArrivedWithTheHeadIsHandledInOneStep) {
  StartServer({});
  RawClient c(port_);
  c.Send("POST /small HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\nConnection: close\r\n\r\nabc");
  EXPECT_NE(c.Read().find("POST /small 3"), std::string::npos);
  EXPECT_EQ(handler_.admitted_heads.load(), 0);  // the gate runs once, inside Handle
}

TEST_F(ServerTest, ExpectContinueIsAnsweredAfterAdmission) {
  StartServer({});
  RawClient c(port_);
  c.Send("POST /e HTTP/1.1\r\nHost: x\r\nExpect: 100-continue\r\nContent-Length: 5\r\nConnection: close\r\n\r\n");
  EXPECT_EQ(c.Read("\r\n\r\n"), "HTTP/1.1 100 Continue\r\n\r\n");
  c.Send("hello");
  EXPECT_NE(c.Read().find("POST /e 5"), std::string::npos);
  EXPECT_EQ(handler_.admitted_heads.load(), 1);
}

TEST_F(ServerTest, BodiesBeyondTheServerWideBudgetAre503) {
  ServerOptions o;
  o.max_buffered_body_bytes = 1000;
  StartServer(o);
  RawClient c(port_);
  c.Send("POST /b HTTP/1.1\r\nHost: x\r\nContent-Length: 2000\r\n\r\n");
  std::string out = c.Read();
  EXPECT_EQ(out.rfind("HTTP/1.1 503", 0), 0u) << out;
  EXPECT_NE(out.find("retry-after: 1"), std::string::npos) << out;
  RawClient small(port_);
  small.Send("POST /b HTTP/1.1\r\nHost: x\r\nContent-Length: 500\r\nConnection: close\r\n\r\n" + std::string(500, 'x'));
  EXPECT_NE(small.Read().find("POST /b 500"), std::string::npos);
}

size_t Collect(char* p, size_t size, size_t n, void* out) {
  static_cast<std::string*>(out)->append(p, size * n);
  return size * n;
}

// TLS records carry at most 16 KB: a body larger than that must still arrive whole.
TEST_F(ServerTest, LargeBodiesArriveWholeOverTls) {
  causeway::testing::TestPki pki;
  ASSERT_TRUE(pki.ok());
  ServerOptions o;
  o.listeners = {ListenerOptions{"127.0.0.1", 0, TlsOptions{pki.server_cert(), pki.server_key()}}};
  StartServer(o);
  for (size_t size : {size_t{100}, size_t{16 * 1024 - 200}, size_t{16 * 1024}, size_t{40 * 1024}, size_t{1 << 20}}) {
    CURL* c = curl_easy_init();
    std::string body;
    std::string url = "https://127.0.0.1:" + std::to_string(port_) + "/big/" + std::to_string(size);
    curl_easy_setopt(c, CURLOPT_URL, url.c_str());
    curl_easy_setopt(c, CURLOPT_CAINFO, pki.ca_cert().c_str());
    curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, Collect);
    curl_easy_setopt(c, CURLOPT_WRITEDATA, &body);
    CURLcode rc = curl_easy_perform(c);
    curl_easy_cleanup(c);
    EXPECT_EQ(rc, CURLE_OK) << size << ": " << curl_easy_strerror(rc);
    EXPECT_EQ(body.size(), size);
  }
}

}  // namespace
}  // namespace causeway::http
