// CurlHttpClient against a real HTTP receiver (tests/support/receiver.py, a child process on
// 127.0.0.1): what goes over the wire, what comes back, and how each failure is reported.
// Nothing here waits on a clock: tests wait for the receiver's counters (a long poll) or for
// completion callbacks; timeouts below only bound a broken run.
#include "exchange/curl_http_client.h"

#include <gtest/gtest.h>
#include <netinet/in.h>
#include <spdlog/spdlog.h>
#include <sys/socket.h>
#include <unistd.h>

#include <condition_variable>
#include <functional>
#include <mutex>
#include <set>
#include <sstream>
#include <thread>

#include "core/base64.h"
#include "core/time_format.h"
#include "exchange/testing/log_capture.h"
#include "exchange/testing/receiver_process.h"
#include "tests/support/test_pki.h"

namespace causeway::exchange {
namespace {

using namespace std::chrono_literals;
using testing::LogCapture;
using testing::ReceiverOptions;
using testing::ReceiverProcess;
using causeway::testing::TestPki;

const core::SystemTime kNow = *core::ParseIso8601("2026-03-01T12:00:00Z");
constexpr auto kBound = std::chrono::seconds(60);  // only a broken run waits this long

std::shared_ptr<Destination> DestinationFor(const std::string& base_url,
                                            const std::function<void(Destination&)>& tweak = {}) {
  auto d = std::make_shared<Destination>();
  d->name = "receiver";
  d->base_url = base_url;
  d->connect_timeout = 5s;
  d->total_timeout = 30s;
  if (tweak) tweak(*d);
  core::Status valid = ValidateDestination(*d);
  EXPECT_TRUE(valid.ok()) << (valid.ok() ? "" : valid.error().text);
  return d;
}

OutboundRequest Request(std::shared_ptr<const Destination> d, std::string method, std::string path,
                        std::string body = "") {
  OutboundRequest r;
  r.destination = std::move(d);
  r.method = std::move(method);
  r.path = std::move(path);
  r.body = std::move(body);
  return r;
}

// Gathers outcomes delivered to callbacks on the client's thread.
class Collector {
 public:
  DoneCallback Callback() {
    return [this](HttpOutcome o) {
      std::lock_guard lock(mu_);
      outcomes_.push_back(std::move(o));
      threads_.push_back(std::this_thread::get_id());
      cv_.notify_all();
    };
  }
  bool WaitFor(size_t n) {
    std::unique_lock lock(mu_);
    return cv_.wait_for(lock, kBound, [&] { return outcomes_.size() >= n; });
  }
  std::vector<HttpOutcome> outcomes() {
    std::lock_guard lock(mu_);
    return outcomes_;
  }
  std::vector<std::thread::id> threads() {
    std::lock_guard lock(mu_);
    return threads_;
  }

 private:
  std::mutex mu_;
  std::condition_variable cv_;
  std::vector<HttpOutcome> outcomes_;
  std::vector<std::thread::id> threads_;
};

class CurlHttpClientTest : public ::testing::Test {
 protected:
  void Start(ReceiverOptions options = {}) {
    receiver_ = std::make_unique<ReceiverProcess>(std::move(options));
    ASSERT_TRUE(receiver_->ok()) << receiver_->error();
  }
  void Rules(std::string_view json) {
    core::Status s = receiver_->AddRules(json);
    ASSERT_TRUE(s.ok()) << s.error().text;
  }
  std::vector<testing::ReceivedRequest> Received(std::string_view path = "") {
    auto r = receiver_->Requests(path);
    EXPECT_TRUE(r.ok()) << r.error().text;
    return r.ok() ? *r : std::vector<testing::ReceivedRequest>{};
  }
  testing::ReceiverStats Stats() {
    auto s = receiver_->Stats();
    EXPECT_TRUE(s.ok()) << s.error().text;
    return s.ok() ? *s : testing::ReceiverStats{};
  }

  std::unique_ptr<ReceiverProcess> receiver_;
  CurlHttpClient client_;
};

TEST_F(CurlHttpClientTest, PostsBodyHeadersAndCredentialsAndReadsTheAnswer) {
  Start();
  Rules(R"({"path": "/api/items", "status": 201, "body": "{\"id\":7}",
            "headers": {"X-Answer": "yes", "Content-Type": "application/json"}})");
  auto d = DestinationFor(receiver_->url() + "/api/", [](Destination& x) {
    x.user = "COMM_USER";
    x.password = Secret("pw");
    x.headers.Add("X-Tenant", "42");
    x.headers.Add("X-Replaced", "destination");
  });
  OutboundRequest r = Request(d, "POST", "/items", R"({"title":"Work package"})");
  r.headers.Add("Content-Type", "application/json");
  r.headers.Add("x-replaced", "request");
  r.idempotency_key = "wp-1:create:3";
  HttpOutcome o = client_.SendAndWait(r);

  ASSERT_TRUE(o.answered()) << o.error_text;
  EXPECT_EQ(o.status, 201);
  EXPECT_EQ(o.body, R"({"id":7})");
  EXPECT_EQ(o.headers.Get("x-answer"), "yes");
  EXPECT_EQ(o.headers.Get("CONTENT-TYPE"), "application/json");
  EXPECT_GT(o.latency.count(), 0);
  EXPECT_EQ(Classify(o, kNow).verdict, Verdict::kSuccess);

  auto got = Received();
  ASSERT_EQ(got.size(), 1u);  // Basic is preemptive: no 401 round first
  EXPECT_EQ(got[0].method, "POST");
  EXPECT_EQ(got[0].path, "/api/items");
  EXPECT_EQ(got[0].body, R"({"title":"Work package"})");
  EXPECT_EQ(got[0].headers.Get("Content-Type"), "application/json");
  EXPECT_EQ(got[0].headers.Get("Idempotency-Key"), "wp-1:create:3");
  EXPECT_EQ(got[0].headers.Get("X-Tenant"), "42");
  EXPECT_EQ(got[0].headers.FindAll("X-Replaced"), std::vector<std::string_view>{"request"});
  EXPECT_EQ(got[0].headers.Get("Authorization"), "Basic " + core::Base64Encode("COMM_USER:pw"));
  EXPECT_EQ(got[0].headers.Get("User-Agent"), "causeway/0.1");
  EXPECT_FALSE(got[0].headers.Contains("Expect"));
}

TEST_F(CurlHttpClientTest, EveryMethodWithAndWithoutBody) {
  Start();
  auto d = DestinationFor(receiver_->url());
  struct Case {
    std::string method, body;
  } cases[] = {{"GET", ""}, {"HEAD", ""}, {"PUT", "put-body"}, {"PATCH", "patch-body"},
               {"DELETE", ""}, {"POST", ""}, {"OPTIONS", ""}};
  for (const Case& c : cases) {
    HttpOutcome o = client_.SendAndWait(Request(d, c.method, "/m/" + c.method, c.body));
    EXPECT_EQ(o.status, 200) << c.method << " " << o.error_text;
  }
  auto got = Received();
  ASSERT_EQ(got.size(), std::size(cases));
  for (size_t i = 0; i < got.size(); ++i) {
    EXPECT_EQ(got[i].method, cases[i].method);
    EXPECT_EQ(got[i].body, cases[i].body);
    // A body-less POST says so; no form content type is made up.
    if (cases[i].method == "POST") {
      EXPECT_EQ(got[i].headers.Get("Content-Length"), "0");
    }
    EXPECT_FALSE(got[i].headers.Contains("Content-Type")) << cases[i].method;
  }
}

TEST_F(CurlHttpClientTest, SequentialRequestsReuseOneConnection) {
  Start();
  auto d = DestinationFor(receiver_->url());
  for (int i = 0; i < 10; ++i) {
    EXPECT_EQ(client_.SendAndWait(Request(d, "POST", "/seq", std::to_string(i))).status, 200);
  }
  auto got = Received();
  ASSERT_EQ(got.size(), 10u);
  for (const auto& r : got) EXPECT_EQ(r.connection, got[0].connection);
  EXPECT_EQ(Stats().connections, 1);
}

TEST_F(CurlHttpClientTest, HonoursTheDestinationsConcurrencyLimit) {
  Start();
  Rules(R"({"path": "/held", "gate": "g"})");
  auto d = DestinationFor(receiver_->url(), [](Destination& x) { x.max_concurrent = 4; });
  Collector done;
  for (int i = 0; i < 20; ++i) client_.Send(Request(d, "POST", "/held", std::to_string(i)), done.Callback());

  auto reached = receiver_->WaitFor(4, 4, kBound);
  ASSERT_TRUE(reached.ok()) << reached.error().text;
  DestinationLoad load = client_.Load("receiver");
  EXPECT_EQ(load.in_flight, 4);
  EXPECT_EQ(load.queued, 16);
  EXPECT_EQ(Stats().in_flight, 4);

  ASSERT_TRUE(receiver_->OpenGate("g").ok());
  ASSERT_TRUE(done.WaitFor(20));
  for (const HttpOutcome& o : done.outcomes()) EXPECT_EQ(o.status, 200) << o.error_text;
  EXPECT_EQ(Stats().max_in_flight, 4);
  EXPECT_EQ(Stats().requests, 20);
  // Started in the order given: the four held at the gate were the first four sent.
  auto got = Received();
  ASSERT_EQ(got.size(), 20u);
  std::set<std::string> first_four;
  for (size_t i = 0; i < 4; ++i) first_four.insert(got[i].body);
  EXPECT_EQ(first_four, (std::set<std::string>{"0", "1", "2", "3"}));
  load = client_.Load("receiver");
  EXPECT_EQ(load.in_flight + load.queued, 0);
}

TEST_F(CurlHttpClientTest, OneAtATimeKeepsTheOrderOfSend) {
  Start();
  auto d = DestinationFor(receiver_->url(), [](Destination& x) { x.max_concurrent = 1; });
  Collector done;
  for (int i = 0; i < 10; ++i) client_.Send(Request(d, "POST", "/ordered", std::to_string(i)), done.Callback());
  ASSERT_TRUE(done.WaitFor(10));
  auto got = Received();
  ASSERT_EQ(got.size(), 10u);
  for (size_t i = 0; i < got.size(); ++i) EXPECT_EQ(got[i].body, std::to_string(i));
  EXPECT_EQ(Stats().max_in_flight, 1);
}

TEST_F(CurlHttpClientTest, OneThreadKeepsHundredsOfRequestsInFlight) {
  Start();
  Rules(R"({"path": "/many", "gate": "many"})");
  constexpr int kRequests = 500;
  auto d = DestinationFor(receiver_->url(), [](Destination& x) { x.max_concurrent = kRequests; });
  CurlHttpClient one_thread(CurlClientOptions{.threads = 1});
  Collector done;
  for (int i = 0; i < kRequests; ++i) one_thread.Send(Request(d, "POST", "/many"), done.Callback());

  // All 500 are held by the receiver at the same moment: they overlap, none waited for another.
  auto reached = receiver_->WaitFor(kRequests, kRequests, kBound);
  ASSERT_TRUE(reached.ok()) << reached.error().text;
  ASSERT_TRUE(receiver_->OpenGate("many").ok());
  ASSERT_TRUE(done.WaitFor(kRequests));
  for (const HttpOutcome& o : done.outcomes()) ASSERT_EQ(o.status, 200) << o.error_text;
  EXPECT_EQ(Stats().max_in_flight, kRequests);
  // …and every callback ran on the client's one loop thread, not on the sender's.
  auto threads = done.threads();
  for (auto id : threads) EXPECT_EQ(id, threads[0]);
  EXPECT_NE(threads[0], std::this_thread::get_id());
}

TEST_F(CurlHttpClientTest, ServerAnswersAreClassified) {
  Start();
  Rules(R"([{"path": "/e500", "status": 500, "body": "internal"},
            {"path": "/e503", "status": 503, "headers": {"Retry-After": "Sun, 01 Mar 2026 12:10:00 GMT"}},
            {"path": "/e429", "status": 429, "headers": {"Retry-After": "7"}},
            {"path": "/e408", "status": 408},
            {"path": "/e404", "status": 404, "body": "no such work package"},
            {"path": "/e409", "status": 409, "body": "duplicate"}])");
  auto d = DestinationFor(receiver_->url());
  struct Case {
    std::string path;
    Verdict verdict;
    std::optional<core::SystemTime> not_before;
    std::string body;
  } cases[] = {
      {"/e500", Verdict::kRetryable, std::nullopt, "internal"},
      {"/e503", Verdict::kRetryable, kNow + 10min, ""},
      {"/e429", Verdict::kRetryable, kNow + 7s, ""},
      {"/e408", Verdict::kRetryable, std::nullopt, ""},
      {"/e404", Verdict::kPermanent, std::nullopt, "no such work package"},
      {"/e409", Verdict::kPermanent, std::nullopt, "duplicate"},
      {"/fine", Verdict::kSuccess, std::nullopt, ""},
  };
  for (const Case& c : cases) {
    HttpOutcome o = client_.SendAndWait(Request(d, "POST", c.path));
    ASSERT_TRUE(o.answered()) << c.path << ": " << o.error_text;
    Classification k = Classify(o, kNow);
    EXPECT_EQ(k.verdict, c.verdict) << c.path;
    EXPECT_EQ(k.not_before, c.not_before) << c.path;
    EXPECT_EQ(o.body, c.body) << c.path;  // kept for the operator
  }
}

TEST_F(CurlHttpClientTest, ReceiverFailsOnChosenAttemptsOnly) {
  Start({.rules = {R"({"path": "/flaky", "attempts": [1, 2], "status": 503})"}});
  auto d = DestinationFor(receiver_->url());
  std::vector<Verdict> verdicts;
  for (int i = 0; i < 3; ++i) verdicts.push_back(Classify(client_.SendAndWait(Request(d, "POST", "/flaky")), kNow).verdict);
  EXPECT_EQ(verdicts, (std::vector<Verdict>{Verdict::kRetryable, Verdict::kRetryable, Verdict::kSuccess}));
  auto got = Received("/flaky");
  ASSERT_EQ(got.size(), 3u);
  EXPECT_EQ(got[2].attempt, 3);
}

TEST_F(CurlHttpClientTest, HangingServerEndsInTheTotalTimeout) {
  Start();
  Rules(R"({"path": "/hang", "hang": 60})");
  auto d = DestinationFor(receiver_->url(), [](Destination& x) {
    x.connect_timeout = 300ms;
    x.total_timeout = 300ms;
  });
  HttpOutcome o = client_.SendAndWait(Request(d, "POST", "/hang"));
  EXPECT_EQ(o.error, TransportError::kTimeout) << o.error_text;
  EXPECT_EQ(o.status, 0);
  EXPECT_EQ(Classify(o, kNow).verdict, Verdict::kRetryable);
  // A request's own timeout replaces the destination's.
  OutboundRequest r = Request(DestinationFor(receiver_->url()), "POST", "/hang");
  r.total_timeout = 200ms;
  EXPECT_EQ(client_.SendAndWait(r).error, TransportError::kTimeout);
}

TEST_F(CurlHttpClientTest, ConnectionResetIsATransportError) {
  Start();
  Rules(R"({"path": "/reset", "reset": true})");
  auto d = DestinationFor(receiver_->url());
  HttpOutcome o = client_.SendAndWait(Request(d, "POST", "/reset", "x"));
  EXPECT_EQ(o.error, TransportError::kConnectionLost) << TransportErrorName(o.error) << ": " << o.error_text;
  EXPECT_EQ(Classify(o, kNow).verdict, Verdict::kRetryable);
  EXPECT_GE(Stats().requests, 1);
  // The destination is usable again at once.
  EXPECT_EQ(client_.SendAndWait(Request(d, "POST", "/after")).status, 200);
}

// libcurl re-sends a request once when the reused connection it went out on dies before any
// answer byte; a request on a fresh connection is sent once, whatever happens to it.
TEST_F(CurlHttpClientTest, AFreshConnectionRequestIsNeverSentTwice) {
  Start();
  Rules(R"({"path": "/reset", "reset": true})");
  auto d = DestinationFor(receiver_->url());
  auto sent = [&](const char* path) {
    auto got = receiver_->Requests(path);
    return got.ok() ? got->size() : size_t{0};
  };
  ASSERT_EQ(client_.SendAndWait(Request(d, "GET", "/warm")).status, 200);  // a connection to reuse
  EXPECT_EQ(client_.SendAndWait(Request(d, "POST", "/reset", "x")).error, TransportError::kConnectionLost);
  EXPECT_EQ(sent("/reset"), 2u);  // libcurl's retry on a new connection
  ASSERT_EQ(client_.SendAndWait(Request(d, "GET", "/warm")).status, 200);
  OutboundRequest once = Request(d, "POST", "/reset", "y");
  once.fresh_connection = true;
  EXPECT_EQ(client_.SendAndWait(once).error, TransportError::kConnectionLost);
  EXPECT_EQ(sent("/reset"), 3u);
  // The connection it opened serves the next request as usual.
  EXPECT_EQ(client_.SendAndWait(Request(d, "GET", "/warm")).status, 200);
}

TEST_F(CurlHttpClientTest, RefusedConnectionIsAConnectError) {
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  ASSERT_GE(fd, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ASSERT_EQ(bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr), 0);
  socklen_t len = sizeof addr;
  ASSERT_EQ(getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len), 0);
  // Bound but not listening: a connect is refused.
  auto d = DestinationFor("http://127.0.0.1:" + std::to_string(ntohs(addr.sin_port)));
  HttpOutcome o = client_.SendAndWait(Request(d, "POST", "/x"));
  close(fd);
  EXPECT_EQ(o.error, TransportError::kConnect) << o.error_text;
  EXPECT_EQ(Classify(o, kNow).verdict, Verdict::kRetryable);
}

TEST_F(CurlHttpClientTest, SlowAnswerWithinTheTimeoutSucceeds) {
  Start();
  Rules(R"([{"path": "/drip", "body_size": 1000, "drip": {"chunk": 50, "interval": 0.01}},
            {"path": "/drip-chunked", "body_size": 1000, "chunked": true, "drip": {"chunk": 50, "interval": 0.01}}])");
  auto d = DestinationFor(receiver_->url());
  for (std::string path : {"/drip", "/drip-chunked"}) {
    HttpOutcome o = client_.SendAndWait(Request(d, "GET", path));
    ASSERT_TRUE(o.answered()) << path << ": " << o.error_text;
    EXPECT_EQ(o.status, 200);
    EXPECT_EQ(o.body, std::string(1000, 'x')) << path;
  }
}

TEST_F(CurlHttpClientTest, OversizedAnswerIsRefusedAndItsConnectionClosed) {
  Start();
  Rules(R"([{"path": "/big", "body_size": 100000},
            {"path": "/big-chunked", "body_size": 100000, "chunked": true},
            {"path": "/exact", "body_size": 10000}])");
  auto d = DestinationFor(receiver_->url(), [](Destination& x) { x.max_answer_bytes = 10000; });
  for (std::string path : {"/big", "/big-chunked"}) {
    HttpOutcome o = client_.SendAndWait(Request(d, "GET", path));
    EXPECT_EQ(o.error, TransportError::kAnswerTooLarge) << path << ": " << o.error_text;
    EXPECT_EQ(o.status, 200) << path;
    EXPECT_LE(o.body.size(), 10000u) << path;
    EXPECT_NE(o.error_text.find("max_answer_bytes"), std::string::npos);
    EXPECT_EQ(Classify(o, kNow).verdict, Verdict::kPermanent);
  }
  HttpOutcome exact = client_.SendAndWait(Request(d, "GET", "/exact"));
  EXPECT_EQ(exact.status, 200) << exact.error_text;
  EXPECT_EQ(exact.body.size(), 10000u);
  // Each refused answer cost its connection; /exact needed a new one.
  EXPECT_EQ(Stats().connections, 3);
}

TEST_F(CurlHttpClientTest, RedirectsAreReportedUnlessFollowingIsConfigured) {
  Start();
  Rules(R"([{"path": "/old", "status": 302, "headers": {"Location": "/new"}},
            {"path": "/new", "status": 200, "body": "moved here"}])");
  HttpOutcome o = client_.SendAndWait(Request(DestinationFor(receiver_->url()), "GET", "/old"));
  EXPECT_EQ(o.status, 302);
  EXPECT_EQ(o.headers.Get("Location"), "/new");
  EXPECT_EQ(Classify(o, kNow).verdict, Verdict::kPermanent);
  EXPECT_TRUE(Received("/new").empty());

  auto follow = DestinationFor(receiver_->url(), [](Destination& x) { x.follow_redirects = true; });
  HttpOutcome followed = client_.SendAndWait(Request(follow, "GET", "/old"));
  EXPECT_EQ(followed.status, 200);
  EXPECT_EQ(followed.body, "moved here");
  EXPECT_EQ(Received("/new").size(), 1u);
}

TEST_F(CurlHttpClientTest, TlsTrustsTheConfiguredCaOnly) {
  TestPki pki, other;
  ASSERT_TRUE(pki.ok() && other.ok()) << "openssl CLI needed";
  Start({.tls_cert = pki.server_cert(), .tls_key = pki.server_key()});
  LogCapture log;

  auto trusted = DestinationFor(receiver_->url(), [&](Destination& x) { x.ca_file = pki.ca_cert(); });
  HttpOutcome ok = client_.SendAndWait(Request(trusted, "POST", "/tls"));
  EXPECT_EQ(ok.status, 200) << ok.error_text;

  auto unknown = DestinationFor(receiver_->url(), [&](Destination& x) {
    x.name = "unknown_ca";
    x.ca_file = other.ca_cert();
  });
  HttpOutcome refused = client_.SendAndWait(Request(unknown, "POST", "/tls"));
  EXPECT_EQ(refused.error, TransportError::kTls) << TransportErrorName(refused.error) << ": " << refused.error_text;

  auto system_store = DestinationFor(receiver_->url(), [&](Destination& x) { x.name = "system_store"; });
  EXPECT_EQ(client_.SendAndWait(Request(system_store, "POST", "/tls")).error, TransportError::kTls);

  auto insecure = DestinationFor(receiver_->url(), [&](Destination& x) {
    x.name = "sandbox";
    x.insecure = true;
  });
  for (int i = 0; i < 3; ++i) EXPECT_EQ(client_.SendAndWait(Request(insecure, "POST", "/tls")).status, 200);
  EXPECT_EQ(Received("/tls").size(), 4u);  // the refused handshakes sent nothing

  // The insecure destination is named in one warning, not one per request.
  const std::string text = log.text();
  const std::string warning = "destination sandbox does not verify TLS certificates";
  ASSERT_NE(text.find(warning), std::string::npos) << text;
  EXPECT_EQ(text.find(warning), text.rfind(warning));
}

TEST_F(CurlHttpClientTest, CredentialsNeverAppearInLogsOrOutcomes) {
  const std::string user = "COMM_USER", password = "S3cret-pw-4711", wrong = "Wr0ng-pw-0815";
  Start({.require_basic = user + ":" + password});
  Rules(R"({"path": "/reset", "reset": true})");
  LogCapture log;
  auto good = DestinationFor(receiver_->url(), [&](Destination& x) {
    x.user = user;
    x.password = Secret(password);
  });
  auto bad = DestinationFor(receiver_->url(), [&](Destination& x) {
    x.name = "bad_password";
    x.user = user;
    x.password = Secret(wrong);
  });
  std::vector<HttpOutcome> outcomes = {
      client_.SendAndWait(Request(good, "POST", "/in", "body")),
      client_.SendAndWait(Request(bad, "POST", "/in", "body")),
      client_.SendAndWait(Request(good, "POST", "/reset")),
  };
  EXPECT_EQ(outcomes[0].status, 200);
  EXPECT_EQ(outcomes[1].status, 401);
  EXPECT_EQ(Classify(outcomes[1], kNow).verdict, Verdict::kPermanent);
  EXPECT_EQ(outcomes[2].error, TransportError::kConnectionLost);

  const std::string text = log.text();
  EXPECT_NE(text.find("exchange: receiver POST"), std::string::npos) << "nothing was logged: " << text;
  for (const std::string& secret : {password, wrong, core::Base64Encode(user + ":" + password),
                                    core::Base64Encode(user + ":" + wrong)}) {
    EXPECT_EQ(text.find(secret), std::string::npos) << "logged: " << secret;
    for (const HttpOutcome& o : outcomes) {
      EXPECT_EQ(o.error_text.find(secret), std::string::npos);
      EXPECT_EQ(o.body.find(secret), std::string::npos);
      for (const auto& [name, value] : o.headers) EXPECT_EQ(value.find(secret), std::string::npos) << name;
    }
    EXPECT_EQ(fmt::format("{}", good->password).find(secret), std::string::npos);
  }
}

TEST_F(CurlHttpClientTest, InvalidRequestsCompleteWithoutSending) {
  Start();
  auto d = DestinationFor(receiver_->url());
  OutboundRequest absolute = Request(d, "POST", "https://elsewhere.example.com/steal");
  OutboundRequest method = Request(d, "BAD METHOD", "/x");
  OutboundRequest header = Request(d, "POST", "/x");
  header.headers.Add("X-Split", "a\r\nX-Injected: 1");
  OutboundRequest key = Request(d, "POST", "/x");
  key.idempotency_key = "k\n1";
  OutboundRequest timeout = Request(d, "POST", "/x");
  timeout.total_timeout = 0ms;
  OutboundRequest nowhere;
  for (OutboundRequest* r : {&absolute, &method, &header, &key, &timeout, &nowhere}) {
    HttpOutcome o = client_.SendAndWait(*r);
    EXPECT_EQ(o.error, TransportError::kInvalidRequest) << r->method << " " << r->path;
    EXPECT_EQ(Classify(o, kNow).verdict, Verdict::kPermanent);
  }
  EXPECT_EQ(Stats().requests, 0);
}

TEST_F(CurlHttpClientTest, SendAndWaitInsideACallbackIsRefused) {
  Start();
  auto d = DestinationFor(receiver_->url());
  Collector nested;
  client_.Send(Request(d, "POST", "/outer"), [&](HttpOutcome) {
    nested.Callback()(client_.SendAndWait(Request(d, "POST", "/inner")));
  });
  ASSERT_TRUE(nested.WaitFor(1));
  EXPECT_EQ(nested.outcomes()[0].error, TransportError::kInvalidRequest);
  // A callback may Send, though.
  Collector chained;
  client_.Send(Request(d, "POST", "/first"), [&](HttpOutcome) {
    client_.Send(Request(d, "POST", "/second"), chained.Callback());
  });
  ASSERT_TRUE(chained.WaitFor(1));
  EXPECT_EQ(chained.outcomes()[0].status, 200);
}

TEST_F(CurlHttpClientTest, DestroyingTheClientCancelsWhatIsPending) {
  Start();
  Rules(R"({"path": "/hang", "hang": 60})");
  auto d = DestinationFor(receiver_->url(), [](Destination& x) { x.max_concurrent = 1; });
  Collector done;
  {
    CurlHttpClient client;
    client.Send(Request(d, "POST", "/hang"), done.Callback());
    client.Send(Request(d, "POST", "/queued"), done.Callback());
    ASSERT_TRUE(receiver_->WaitFor(1, 1, kBound).ok());
  }
  ASSERT_EQ(done.outcomes().size(), 2u);  // both callbacks ran before the destructor returned
  for (const HttpOutcome& o : done.outcomes()) EXPECT_EQ(o.error, TransportError::kCancelled);
}

TEST_F(CurlHttpClientTest, SeveralLoopThreadsServeManyDestinations) {
  Start();
  CurlHttpClient client(CurlClientOptions{.threads = 4});
  Collector done;
  for (int i = 0; i < 8; ++i) {
    auto d = DestinationFor(receiver_->url(), [i](Destination& x) { x.name = "d" + std::to_string(i); });
    for (int j = 0; j < 5; ++j) client.Send(Request(d, "POST", "/d" + std::to_string(i)), done.Callback());
  }
  ASSERT_TRUE(done.WaitFor(40));
  for (const HttpOutcome& o : done.outcomes()) EXPECT_EQ(o.status, 200) << o.error_text;
  auto threads = done.threads();
  EXPECT_LE(std::set<std::thread::id>(threads.begin(), threads.end()).size(), 4u);
  EXPECT_EQ(Stats().requests, 40);
}

TEST_F(CurlHttpClientTest, CallbacksOfCancelledRequestsMaySendWhileTheClientStops) {
  Start();
  Rules(R"({"path": "/hang", "hang": 60})");
  Collector resent;
  std::vector<std::shared_ptr<Destination>> others;
  for (int i = 0; i < 8; ++i) {
    others.push_back(DestinationFor(receiver_->url(), [i](Destination& x) { x.name = "other" + std::to_string(i); }));
  }
  {
    CurlHttpClient client(CurlClientOptions{.threads = 4});
    for (int i = 0; i < 8; ++i) {
      client.Send(Request(others[static_cast<size_t>(i)], "POST", "/hang"), [&, i](HttpOutcome) {
        // Sends to a destination that may live on a loop that is stopping or already stopped.
        client.Send(Request(others[static_cast<size_t>((i + 1) % 8)], "POST", "/again"), resent.Callback());
      });
    }
    ASSERT_TRUE(receiver_->WaitFor(8, 8, kBound).ok());
  }
  ASSERT_EQ(resent.outcomes().size(), 8u);
  for (const HttpOutcome& o : resent.outcomes()) EXPECT_EQ(o.error, TransportError::kCancelled);
}

TEST_F(CurlHttpClientTest, CookiesAreKeptOnlyWhenAskedAndOnlyPerDestination) {
  Start();
  Rules(R"({"path": "/login", "headers": {"Set-Cookie": "SAP_SESSIONID_CWY_100=abc; path=/"}})");
  auto jar = DestinationFor(receiver_->url(), [](Destination& x) {
    x.name = "with_cookies";
    x.keep_cookies = true;
  });
  auto plain = DestinationFor(receiver_->url(), [](Destination& x) { x.name = "without_cookies"; });
  EXPECT_EQ(client_.SendAndWait(Request(jar, "GET", "/login")).status, 200);
  EXPECT_EQ(client_.SendAndWait(Request(jar, "POST", "/work")).status, 200);
  EXPECT_EQ(client_.SendAndWait(Request(plain, "GET", "/login")).status, 200);
  EXPECT_EQ(client_.SendAndWait(Request(plain, "POST", "/work")).status, 200);
  auto got = Received("/work");
  ASSERT_EQ(got.size(), 2u);
  EXPECT_EQ(got[0].headers.Get("Cookie"), "SAP_SESSIONID_CWY_100=abc");
  EXPECT_FALSE(got[1].headers.Contains("Cookie"));
}

}  // namespace
}  // namespace causeway::exchange
