// The outbox end to end: CurlHttpClient against tests/support/receiver.py (a child process on
// 127.0.0.1) that answers 500, resets, hangs or answers slowly on chosen attempts. Real time:
// retry delays are tens of milliseconds and tests wait for states (Outbox::WaitUntil), never
// for a duration; the timeouts below only bound a broken run.
#include <gtest/gtest.h>
#include <unistd.h>

#include <boost/json.hpp>
#include <filesystem>
#include <map>

#include "core/base64.h"
#include "exchange/curl_http_client.h"
#include "exchange/outbox.h"
#include "exchange/outbox_admin.h"
#include "exchange/testing/log_capture.h"
#include "exchange/testing/receiver_process.h"
#include "exchange/testing/sample_kinds.h"
#include "tests/support/test_pki.h"
#include "store/sqlite/sqlite_database.h"

namespace causeway::exchange {
namespace {

using namespace std::chrono_literals;
using testing::ReceivedRequest;
using testing::ReceiverOptions;
using testing::ReceiverProcess;
constexpr auto kWait = std::chrono::seconds(60);

class OutboxE2eTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("cw_outbox_e2e_" + std::to_string(::getpid()) + "_" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
    auto db = store::sqlite::SqliteDatabase::Open({.path = (dir_ / "outbox.sqlite").string()});
    ASSERT_TRUE(db.ok()) << db.error().text;
    db_ = std::move(db).value();
  }
  void TearDown() override {
    outbox_.reset();
    client_.reset();
    db_.reset();
    receiver_.reset();
    std::filesystem::remove_all(dir_);
  }

  void StartReceiver(ReceiverOptions options = {}) {
    receiver_ = std::make_unique<ReceiverProcess>(std::move(options));
    ASSERT_TRUE(receiver_->ok()) << receiver_->error();
  }

  Destination DestinationAt(std::string name, std::string url) const {
    Destination d;
    d.name = std::move(name);
    d.base_url = std::move(url);
    d.max_concurrent = 8;
    d.connect_timeout = 2s;
    d.total_timeout = 2s;
    d.retry.initial = 20ms;
    d.retry.max_delay = 200ms;
    d.retry.multiplier = 2;
    d.retry.jitter = Jitter::kFull;
    d.retry.max_attempts = 10;
    return d;
  }

  void Open(std::vector<Destination> destinations) {
    client_ = std::make_unique<CurlHttpClient>();
    OutboxOptions o;
    o.destinations = std::move(destinations);
    o.kinds = testing::SampleKinds();
    auto outbox = Outbox::Open(*db_, clock_, *client_, std::move(o));
    ASSERT_TRUE(outbox.ok()) << outbox.error().text;
    outbox_ = std::move(outbox).value();
  }

  MessageId Enqueue(Message m) {
    auto id = outbox_->Enqueue(std::move(m));
    EXPECT_TRUE(id.ok()) << (id.ok() ? "" : id.error().text);
    return id.ok() ? *id : 0;
  }
  std::optional<MessageState> StateOf(MessageId id) const {
    auto d = outbox_->Get(id);
    return d.ok() ? std::optional(d->message.state) : std::nullopt;
  }
  bool WaitState(MessageId id, MessageState state) const {
    return outbox_->WaitUntil([&] { return StateOf(id) == state; }, kWait);
  }
  bool WaitAllFinished() const {
    return outbox_->WaitUntil(
        [&] {
          auto depths = outbox_->Depths();
          if (!depths.ok()) return false;
          for (const QueueDepth& q : *depths)
            if (q.pending + q.in_flight + q.failed > 0) return false;
          return true;
        },
        kWait);
  }
  std::vector<ReceivedRequest> Received(std::string_view path = "") const {
    auto r = receiver_->Requests(path);
    EXPECT_TRUE(r.ok());
    return r.ok() ? *r : std::vector<ReceivedRequest>{};
  }

  static Message CaseOp(const std::string& record, int n) {
    return Message{.destination = "cx",
                   .kind = "cx.op",
                   .ordering_key = record,
                   .object_key = record,
                   .payload = testing::CaseOperationPayload(record, "op" + std::to_string(n), n)};
  }

  std::filesystem::path dir_;
  std::unique_ptr<store::sqlite::SqliteDatabase> db_;
  core::SystemClock clock_;
  std::unique_ptr<ReceiverProcess> receiver_;
  std::unique_ptr<CurlHttpClient> client_;
  std::unique_ptr<Outbox> outbox_;
};

TEST_F(OutboxE2eTest, OrderPerKeyIsKeptUnderFaults) {
  StartReceiver({.rules = {
                     R"({"path": "/cx/K1/op2", "attempts": [1], "reset": true})",
                     R"({"path": "/cx/K1/op2", "attempts": [2], "status": 503, "headers": {"Retry-After": "0"}})",
                     R"({"path": "/cx/K2/op3", "attempts": [1], "hang": 10})",
                     R"({"path_prefix": "/cx/K3/", "attempts": [2], "delay": 0.02})",
                     R"({"path_prefix": "/cx/", "attempts": [1], "status": 500})",
                 }});
  Destination cx = DestinationAt("cx", receiver_->url());
  cx.total_timeout = 500ms;  // the hang ends as a timeout
  cx.connect_timeout = 500ms;
  Open({cx});
  constexpr int kKeys = 4, kPerKey = 6;
  for (int n = 1; n <= kPerKey; ++n)
    for (int k = 0; k < kKeys; ++k) Enqueue(CaseOp("K" + std::to_string(k), n));
  ASSERT_TRUE(WaitAllFinished());

  std::map<std::string, std::vector<int>> arrivals;  // per key, n of each arrival in order
  for (const ReceivedRequest& r : Received()) {
    std::string key = r.path.substr(4, 2);
    arrivals[key].push_back(std::stoi(r.path.substr(9)));
  }
  ASSERT_EQ(arrivals.size(), size_t{kKeys});
  for (const auto& [key, ns] : arrivals) {
    // Non-decreasing: message n+1 never arrives before the last attempt of message n.
    EXPECT_TRUE(std::is_sorted(ns.begin(), ns.end())) << key;
    std::set<int> distinct(ns.begin(), ns.end());
    EXPECT_EQ(distinct.size(), size_t{kPerKey}) << key;
    // Every message failed once (500, reset, hang) before it succeeded: two attempts each,
    // three for the one that was reset, then answered 503.
    EXPECT_EQ(ns.size(), static_cast<size_t>(2 * kPerKey + (key == "K1" ? 1 : 0))) << key;
  }
  auto page = outbox_->List({.limit = 1000});
  ASSERT_TRUE(page.ok());
  for (const MessageRecord& m : page->messages) EXPECT_EQ(m.state, MessageState::kDelivered) << m.id;
  auto hung = outbox_->List({.ordering_key = "K2"});
  MessageDetail d = *outbox_->Get(hung->messages[2].id);
  EXPECT_EQ(d.attempts[0].error.substr(0, 7), "timeout");
  EXPECT_TRUE(d.message.maybe_received);
}

TEST_F(OutboxE2eTest, ALostCreateAnswerNeverBecomesASecondCreateAndDependentsCarryItsResult) {
  StartReceiver({.rules = {
                     // The receiver takes the create, then the connection dies before the answer.
                     R"({"path": "/api/fb/create/wp/G1", "attempts": [1], "reset": true})",
                     R"({"path": "/api/fb/create/wp/G1", "status": 201, "body": "{\"EXTERNAL_ID\": \"WP-4711\"}"})",
                     R"({"path": "/api/fb/create/wi/I1", "status": 201, "body": "{\"EXTERNAL_ID\": \"WI-0815\"}"})",
                 }});
  Open({DestinationAt("fb", receiver_->url() + "/api")});
  Message create{.destination = "fb",
                 .kind = "fb.wp.create",
                 .ordering_key = "WP-G1",
                 .object_key = "G1",
                 .payload = testing::WorkPackagePayload("G1", "Package"),
                 .idempotency_key = "G1"};
  Message item{.destination = "fb",
               .kind = "fb.wi.create",
               .ordering_key = "WP-G1",
               .object_key = "I1",
               .payload = testing::WorkPackagePayload("I1", "Item"),
               .depends_on = Dependency::OnCreateOf("G1"),
               .idempotency_key = "I1"};
  Message update{.destination = "fb",
                 .kind = "fb.wp.update",
                 .ordering_key = "WP-G1",
                 .object_key = "G1",
                 .payload = testing::WorkPackageUpdatePayload("Renamed"),
                 .depends_on = Dependency::OnCreateOf("G1"),
                 .coalesce_with_pending = true};
  // The package and its first item are created in one business transaction.
  store::UnitOfWork unit(*db_);
  ASSERT_TRUE(outbox_->Enqueue(unit, create).ok());
  ASSERT_TRUE(outbox_->Enqueue(unit, item).ok());
  ASSERT_TRUE(unit.Commit().ok());
  MessageId last = Enqueue(update);
  ASSERT_TRUE(WaitState(last, MessageState::kDelivered));

  std::vector<ReceivedRequest> all = Received();
  std::vector<std::string> seen;
  for (const auto& r : all) seen.push_back(r.method + " " + r.path);
  EXPECT_EQ(seen, (std::vector<std::string>{"POST /api/fb/create/wp/G1", "POST /api/fb/create/wp/G1",
                                            "POST /api/fb/create/wi/I1", "PUT /api/fb/wp/WP-4711"}));
  // Both creates of G1 are the same create: same idempotency key, same body.
  EXPECT_EQ(all[0].headers.Get("Idempotency-Key"), "G1");
  EXPECT_EQ(all[1].headers.Get("Idempotency-Key"), "G1");
  EXPECT_EQ(all[0].body, all[1].body);
  std::set<std::string> create_keys;
  for (const auto& r : all)
    if (r.method == "POST") create_keys.insert(r.headers.Get("Idempotency-Key"));
  EXPECT_EQ(create_keys, (std::set<std::string>{"G1", "I1"}));
  EXPECT_NE(all[2].body.find("\"PARENT_EXTERNAL_ID\":\"WP-4711\""), std::string::npos);
  EXPECT_EQ(all[3].body, "{\"TITLE\":\"Renamed\"}");
}

TEST_F(OutboxE2eTest, AFailedMessageBlocksItsKeyUntilRetriedOrSkipped) {
  StartReceiver({.rules = {
                     R"({"path": "/cx/A/op1", "status": 409, "body": "conflict", "times": 1})",
                     R"({"path": "/cx/B/op1", "status": 400, "body": "bad"})",
                 }});
  Open({DestinationAt("cx", receiver_->url())});
  MessageId a1 = Enqueue(CaseOp("A", 1));
  MessageId a2 = Enqueue(CaseOp("A", 2));
  MessageId b1 = Enqueue(CaseOp("B", 1));
  MessageId b2 = Enqueue(CaseOp("B", 2));
  MessageId c1 = Enqueue(CaseOp("C", 1));
  ASSERT_TRUE(WaitState(a1, MessageState::kFailed));
  ASSERT_TRUE(WaitState(b1, MessageState::kFailed));
  ASSERT_TRUE(WaitState(c1, MessageState::kDelivered));
  EXPECT_TRUE(Received("/cx/A/op2").empty());
  EXPECT_TRUE(Received("/cx/B/op2").empty());
  EXPECT_EQ(StateOf(a2), MessageState::kPending);

  ASSERT_TRUE(outbox_->Retry(a1).ok());  // the conflict was resolved on the other side
  ASSERT_TRUE(outbox_->Skip(b1).ok());   // this one is given up
  ASSERT_TRUE(WaitState(a2, MessageState::kDelivered));
  ASSERT_TRUE(WaitState(b2, MessageState::kDelivered));
  EXPECT_EQ(StateOf(a1), MessageState::kDelivered);
  EXPECT_EQ(StateOf(b1), MessageState::kSkipped);
  EXPECT_EQ(Received("/cx/A/op1").size(), 2u);
  EXPECT_EQ(Received("/cx/B/op1").size(), 1u);
  EXPECT_LT(Received("/cx/A/op1").back().seq, Received("/cx/A/op2").front().seq);
}

TEST_F(OutboxE2eTest, TlsWithTheTestCaWorksAndAnUnknownCaIsRefused) {
  causeway::testing::TestPki pki, other;
  ASSERT_TRUE(pki.ok() && other.ok());
  StartReceiver({.tls_cert = pki.server_cert(), .tls_key = pki.server_key()});
  Destination trusted = DestinationAt("cx", receiver_->url());
  trusted.ca_file = pki.ca_cert();
  Destination unknown = DestinationAt("fb", receiver_->url());
  unknown.ca_file = other.ca_cert();
  unknown.retry.max_attempts = 2;
  Open({trusted, unknown});
  ASSERT_EQ(receiver_->url().substr(0, 8), "https://");
  MessageId ok = Enqueue(CaseOp("T", 1));
  Message refused = CaseOp("T", 2);
  refused.destination = "fb";
  MessageId bad = Enqueue(refused);
  ASSERT_TRUE(WaitState(ok, MessageState::kDelivered));
  ASSERT_TRUE(WaitState(bad, MessageState::kFailed));
  MessageDetail d = *outbox_->Get(bad);
  ASSERT_EQ(d.attempts.size(), 2u);
  EXPECT_EQ(d.attempts[0].error.substr(0, 4), "tls:");
  EXPECT_EQ(d.message.last_error.substr(0, 30), "gave up after 2 attempts: tls:");
  EXPECT_EQ(Received().size(), 1u);
}

TEST_F(OutboxE2eTest, CredentialsNeverAppearInLogsOrAnswers) {
  const std::string user = "CAUSEWAY_OUT", password = "Pa55-Outbox-Secret";
  const std::string basic = core::Base64Encode(user + ":" + password);
  StartReceiver({.require_basic = user + ":" + password});
  testing::LogCapture log;
  Destination good = DestinationAt("cx", receiver_->url());
  good.user = user;
  good.password = Secret(password);
  Destination wrong = DestinationAt("fb", receiver_->url());
  wrong.user = user;
  wrong.password = Secret(password + "-wrong");
  Open({good, wrong});
  MessageId delivered = Enqueue(CaseOp("S", 1));
  Message rejected = CaseOp("S", 2);
  rejected.destination = "fb";
  MessageId failed = Enqueue(rejected);
  ASSERT_TRUE(WaitState(delivered, MessageState::kDelivered));
  ASSERT_TRUE(WaitState(failed, MessageState::kFailed));  // 401 is permanent
  EXPECT_TRUE(Received("/cx/S/op1").at(0).authorized);

  std::string answers;
  auto append = [&](const core::Result<boost::json::value>& v) {
    ASSERT_TRUE(v.ok());
    answers += boost::json::serialize(*v);
  };
  append(admin::ListMessages(*outbox_, {}));
  append(admin::ShowMessage(*outbox_, delivered));
  append(admin::ShowMessage(*outbox_, failed));
  append(admin::ListDestinations(*outbox_));
  auto metrics = admin::MetricsText(*outbox_);
  ASSERT_TRUE(metrics.ok());
  answers += *metrics;
  outbox_.reset();
  const std::string logs = log.text();
  EXPECT_NE(answers.find("HTTP 401"), std::string::npos);
  EXPECT_NE(logs.find("HTTP 401"), std::string::npos);
  for (const std::string& secret : {password, basic, password + "-wrong", core::Base64Encode(user + ":" + password + "-wrong")}) {
    EXPECT_EQ(logs.find(secret), std::string::npos) << secret;
    EXPECT_EQ(answers.find(secret), std::string::npos) << secret;
  }
}

}  // namespace
}  // namespace causeway::exchange
