// Staged synchronous operations (Operation::staged): the service's work, the idempotency row and
// the stored reply in one transaction on a store thread; the answer once that is durable. On
// both back ends: repeats are serialized by the store (SQLite's single writer, PostgreSQL's
// conflict on the key), not by a thread waiting.
#include <gtest/gtest.h>

#include <atomic>
#include <regex>
#include <thread>

#include "soap/engine.h"
#include "soap/testing/failing_writes.h"
#include "soap/testing/echo_wsdl.h"
#include "store/backend_fixture.h"
#include "store/migration.h"

namespace causeway::soap {
namespace {

using namespace std::chrono_literals;
using store::testing::BackendTest;

// Echo (idempotent) and Other (not): each Item is a row of `echo_items`; the reply counts the
// rows the transaction sees after the write. An Item named "fail" makes the write fail, one
// named "refuse" makes Stage refuse.
class StagedEchoService final : public Service {
 public:
  explicit StagedEchoService(bool all_staged = true) {
    d_.interface_name = "Echo";
    d_.interface_namespace = "urn:test:iface";
    d_.wsdl = testing::kEchoWsdl;
    d_.address_placeholder = "https://causeway.invalid/echo";
    d_.operations = {{"Echo", "urn:test:msg", "EchoRequest", false, true, true},
                     {"Other", "urn:test:msg", "OtherRequest", false, false, all_staged}};
  }
  const ServiceDescription& Description() const override { return d_; }
  core::Result<Reply> Invoke(const Operation&, XmlElement, const CallContext&) const override {
    ++invoked;
    return Reply{"<n1:EchoResponse xmlns:n1=\"urn:test:msg\"><Count>0</Count></n1:EchoResponse>"};
  }
  core::Result<StagedCall> Stage(const Operation&, XmlElement payload, const CallContext& ctx) const override {
    EXPECT_EQ(ctx.user, "TASK_SYNC");
    auto names = std::make_shared<std::vector<std::string>>();
    for (XmlElement c : payload.Children())
      if (c.LocalName() == "Item") names->push_back(c.ChildText("Name").value_or(""));
    for (const auto& n : *names)
      if (n == "refuse") return core::MakeError(core::Code::kBadRequest, "TEST", "002", "refused at staging");
    auto seen = std::make_shared<int64_t>(0);
    StagedCall call;
    call.write = [this, names, seen](store::Tx& tx) -> core::Status {
      ++writes;
      for (const auto& n : *names) {
        if (n == "fail") return core::MakeError(core::Code::kInternal, "TEST", "003", "the write failed");
        CW_RETURN_IF_ERROR(tx.Exec("INSERT INTO echo_items (name) VALUES (?)", {n}));
      }
      return tx.Query("SELECT COUNT(*) FROM echo_items", {}, [&](const store::Row& r) { *seen = r.Int(0); });
    };
    call.reply = [seen] {
      return "<n1:EchoResponse xmlns:n1=\"urn:test:msg\"><Count>" + std::to_string(*seen) + "</Count></n1:EchoResponse>";
    };
    if (reply_if_not_saved)
      call.reply_if_not_saved = [](const core::Error& e) {
        return "<n1:EchoResponse xmlns:n1=\"urn:test:msg\"><Count>-1</Count><!-- " + e.text + " --></n1:EchoResponse>";
      };
    return call;
  }

  mutable std::atomic<int> writes{0};
  mutable std::atomic<int> invoked{0};
  bool reply_if_not_saved = false;

 private:
  ServiceDescription d_;
};

using testing::FailingWrites;

constexpr char kEnv11[] = "<s:Envelope xmlns:s=\"http://schemas.xmlsoap.org/soap/envelope/\"><s:Body>";
constexpr char kEnd11[] = "</s:Body></s:Envelope>";

std::string Echo(const std::string& uuid, const std::string& name = "a", const std::string& root = "EchoRequest") {
  std::string header = uuid.empty() ? "<BasicMessageHeader/>" : "<BasicMessageHeader><UUID>" + uuid + "</UUID></BasicMessageHeader>";
  return kEnv11 + ("<m:" + root + " xmlns:m=\"urn:test:msg\">" + header + "<Item actionCode=\"01\"><Name>" + name +
                   "</Name></Item></m:" + root + ">") + kEnd11;
}

class StagedEngineTest : public BackendTest {
 protected:
  void SetUp() override {
    BackendTest::SetUp();
    if (IsSkipped() || HasFatalFailure()) return;
    ASSERT_TRUE(store::Migrate(*db_, SoapMigrations()).ok());
    ASSERT_TRUE(db_->Write([](store::Tx& tx) { return tx.Exec("CREATE TABLE echo_items (name TEXT NOT NULL)"); }).ok());
    MakeEngine(service_);
  }
  void TearDown() override {
    engine_.reset();
    BackendTest::TearDown();
  }
  void MakeEngine(std::shared_ptr<StagedEchoService> service, size_t inline_body_limit = 16 * 1024,
                  store::Database* db = nullptr) {
    EngineOptions options;
    options.clock = &clock_;
    options.idempotency.response_retention = 1h;
    options.idempotency.id_retention = 2h;
    options.inline_body_limit = inline_body_limit;
    auto e = Engine::Create(std::move(service), db ? *db : *db_, options);
    ASSERT_TRUE(e.ok()) << e.error().text;
    engine_ = std::move(e).value();
    // As after the first call: the schemas are compiled (FirstPostCompilesTheSchemasOnAWorker).
    ASSERT_TRUE(engine_->Schemas().ok());
  }
  http::Request Request(const std::string& body) {
    http::Request req;
    req.method = "POST";
    req.target = "/echo";
    req.headers.Add("Content-Type", "text/xml; charset=utf-8");
    req.body = body;
    return req;
  }
  // Handle() as the server answers: once `after` completed (on_failure if it failed), the
  // shared body as the body.
  static http::Response Answered(http::Response r) {
    if (r.after) {
      core::Status st = r.after->Wait();
      r.after.reset();
      if (!st.ok()) {
        auto on_failure = std::move(r.on_failure);
        r = on_failure(st.error());
      }
    }
    if (r.shared_body) {
      r.body = *r.shared_body;
      r.shared_body.reset();
    }
    return r;
  }
  http::Response Post(const std::string& body) { return Answered(engine_->Handle(Request(body), ctx_)); }
  int64_t Scalar(const std::string& sql) {
    int64_t n = -1;
    EXPECT_TRUE(db_->Read([&](store::Tx& tx) { return tx.Query(sql, {}, [&](const store::Row& r) { n = r.Int(0); }); }).ok());
    return n;
  }
  std::string TransactionId(const http::Response& r) {
    EXPECT_EQ(r.status, 500);
    std::smatch m;
    if (std::regex_search(r.body, m, std::regex("Transaction ID ([0-9A-F]{32})"))) return m[1].str();
    ADD_FAILURE() << "not a fault: " << r.body;
    return "";
  }
  ErrorLogEntry Logged(const std::string& txid) {
    auto e = engine_->error_log().Find(txid);
    EXPECT_TRUE(e.ok() && e->has_value()) << txid;
    return e.ok() ? e->value_or(ErrorLogEntry{}) : ErrorLogEntry{};
  }

  core::ManualClock clock_{core::FromUnixMillis(1714550400000)};  // 2024-05-01T08:00:00Z
  std::shared_ptr<StagedEchoService> service_ = std::make_shared<StagedEchoService>();
  std::unique_ptr<Engine> engine_;
  CallContext ctx_{"TASK_SYNC", "100", "EN", "https://host.example:8443"};
};

TEST_P(StagedEngineTest, AnsweredOnceTheTransactionIsDurableWithoutBlocking) {
  const std::string uuid = "0b9e1f2a-4c3d-4e5f-8a7b-6c5d4e3f2a10";
  http::Request req = Request(Echo(uuid));
  EXPECT_FALSE(engine_->MayBlock(req)) << "every operation is staged: small POSTs run inline";
  http::Response r = engine_->Handle(req, ctx_);
  ASSERT_TRUE(r.after) << "the answer waits for the commit";
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.headers.Get("content-type").value_or(""), "text/xml; charset=utf-8");
  ASSERT_TRUE(r.shared_body);
  ASSERT_TRUE(r.after->Wait().ok());
  EXPECT_EQ(*r.shared_body,
            "<soap-env:Envelope xmlns:soap-env=\"http://schemas.xmlsoap.org/soap/envelope/\"><soap-env:Header/>"
            "<soap-env:Body><n1:EchoResponse xmlns:n1=\"urn:test:msg\"><Count>1</Count></n1:EchoResponse>"
            "</soap-env:Body></soap-env:Envelope>");
  EXPECT_EQ(service_->invoked, 0);
  EXPECT_EQ(Scalar("SELECT COUNT(*) FROM echo_items"), 1);
  // The reply is stored with the work, in the same transaction.
  EXPECT_EQ(Scalar("SELECT COUNT(*) FROM soap_idempotency WHERE message_uuid = '" + uuid +
                   "' AND response LIKE '%<Count>1</Count>%'"),
            1);
}

TEST_P(StagedEngineTest, RepeatsGetTheStoredReplyOrTheFault) {
  const std::string uuid = "0B9E1F2A-4C3D-4E5F-8A7B-6C5D4E3F2A11";
  http::Response first = Post(Echo(uuid));
  ASSERT_EQ(first.status, 200);
  http::Response again = Post(Echo(uuid));
  EXPECT_EQ(again.status, 200);
  EXPECT_EQ(again.body, first.body);
  EXPECT_EQ(service_->writes, 1);
  EXPECT_EQ(Scalar("SELECT COUNT(*) FROM echo_items"), 1);

  // Another payload under the same UUID: the fault, its entry durable with the answer.
  std::string txid = TransactionId(Post(Echo(uuid, "b")));
  EXPECT_EQ(Logged(txid).error_code, "CAUSEWAY/SOAP/030");
  EXPECT_EQ(Logged(txid).category, "idempotency");
  EXPECT_EQ(Logged(txid).operation, "Echo");
  EXPECT_EQ(service_->writes, 1);

  clock_.Advance(90min);  // the reply is dropped, the ID still registered
  txid = TransactionId(Post(Echo(uuid)));
  EXPECT_EQ(Logged(txid).error_code, "CAUSEWAY/SOAP/031");
  clock_.Advance(1h);  // past the ID window: a new message
  EXPECT_EQ(Post(Echo(uuid)).status, 200);
  EXPECT_EQ(service_->writes, 2);
}

TEST_P(StagedEngineTest, ConcurrentRepeatsAreProcessedOnce) {
  const std::string uuid = "cccccccc-2222-3333-4444-555555555555";
  constexpr int kRequests = 8;
  std::vector<http::Response> got(kRequests);
  std::vector<std::thread> threads;
  for (int i = 0; i < kRequests; ++i) threads.emplace_back([&, i] { got[i] = Post(Echo(uuid)); });
  for (auto& t : threads) t.join();
  for (const auto& r : got) {
    EXPECT_EQ(r.status, 200);
    EXPECT_EQ(r.body, got[0].body);
  }
  EXPECT_EQ(service_->writes, 1);
  EXPECT_EQ(Scalar("SELECT COUNT(*) FROM echo_items"), 1);
}

TEST_P(StagedEngineTest, AFailedWriteStoresNothingSoARetryIsProcessed) {
  const std::string uuid = "dddddddd-2222-3333-4444-555555555555";
  std::string txid = TransactionId(Post(Echo(uuid, "fail")));
  EXPECT_EQ(Logged(txid).category, "application");
  EXPECT_EQ(Logged(txid).error_code, "TEST/003");
  EXPECT_EQ(Scalar("SELECT COUNT(*) FROM soap_idempotency"), 0) << "the claim rolled back with the work";
  TransactionId(Post(Echo(uuid, "fail")));
  EXPECT_EQ(service_->writes, 2);

  // A service that reports an unsaved transaction in a reply answers with it.
  service_->reply_if_not_saved = true;
  http::Response r = Post(Echo(uuid, "fail"));
  EXPECT_EQ(r.status, 200);
  EXPECT_NE(r.body.find("<Count>-1</Count><!-- the write failed -->"), std::string::npos) << r.body;
  EXPECT_EQ(Scalar("SELECT COUNT(*) FROM soap_idempotency"), 0);
}

TEST_P(StagedEngineTest, AFailedCommitIsAnsweredWithTheFaultOrTheServicesReply) {
  FailingWrites failing(*db_);
  MakeEngine(service_, 16 * 1024, &failing);
  const std::string uuid = "abababab-2222-3333-4444-555555555555";
  http::Response fault = Post(Echo(uuid));
  EXPECT_EQ(fault.status, 500);
  EXPECT_NE(fault.body.find("Web service processing error"), std::string::npos) << fault.body;
  service_->reply_if_not_saved = true;
  http::Response r = Post(Echo(uuid));
  EXPECT_EQ(r.status, 200);
  EXPECT_NE(r.body.find("<Count>-1</Count><!-- commit failed -->"), std::string::npos) << r.body;
  engine_.reset();
}

TEST_P(StagedEngineTest, AStagingErrorIsAFault) {
  std::string txid = TransactionId(Post(Echo("", "refuse", "OtherRequest")));
  EXPECT_EQ(Logged(txid).category, "application");
  EXPECT_EQ(Logged(txid).error_code, "TEST/002");
  EXPECT_EQ(service_->writes, 0);
}

TEST_P(StagedEngineTest, WithoutIdempotencyEveryRequestIsProcessed) {
  const std::string uuid = "eeeeeeee-2222-3333-4444-555555555555";
  EXPECT_EQ(Post(Echo(uuid, "a", "OtherRequest")).status, 200);
  http::Response second = Post(Echo(uuid, "a", "OtherRequest"));
  EXPECT_NE(second.body.find("<Count>2</Count>"), std::string::npos) << second.body;
  EXPECT_EQ(Scalar("SELECT COUNT(*) FROM soap_idempotency"), 0);
}

// Bodies above the inline limit run on the worker pool: the engine waits for the transaction
// itself and returns the complete answer.
TEST_P(StagedEngineTest, LargeBodiesAreAnsweredCompleteOnAWorker) {
  MakeEngine(service_, /*inline_body_limit=*/64);
  http::Request req = Request(Echo("ffffffff-2222-3333-4444-555555555555"));
  EXPECT_TRUE(engine_->MayBlock(req));
  http::Response r = engine_->Handle(req, ctx_);
  EXPECT_FALSE(r.after);
  EXPECT_FALSE(r.shared_body);
  EXPECT_EQ(r.status, 200);
  EXPECT_NE(r.body.find("<Count>1</Count>"), std::string::npos) << r.body;
  std::string txid = TransactionId(engine_->Handle(Request(Echo("ffffffff-2222-3333-4444-555555555555", "x")), ctx_));
  EXPECT_EQ(Logged(txid).error_code, "CAUSEWAY/SOAP/030");
}

// The schemas are compiled by the first POST, not at start (a service nobody calls holds
// none): until then a POST may block, so it goes to the worker pool rather than the I/O thread.
TEST_P(StagedEngineTest, FirstPostCompilesTheSchemasOnAWorker) {
  EngineOptions options;
  options.clock = &clock_;
  auto fresh = Engine::Create(service_, *db_, options);
  ASSERT_TRUE(fresh.ok()) << fresh.error().text;
  Engine& engine = **fresh;
  http::Request req = Request(Echo("a1b2c3d4-0000-4000-8000-000000000001"));
  EXPECT_TRUE(engine.MayBlock(req)) << "this POST compiles the schemas";
  http::Request get;
  get.method = "GET";
  get.target = "/echo?wsdl";
  EXPECT_FALSE(engine.MayBlock(get)) << "the WSDL needs no compiled schema";
  http::Response r = engine.Handle(req, ctx_);
  EXPECT_EQ(r.status, 200) << r.body;
  EXPECT_FALSE(engine.MayBlock(req)) << "compiled: small POSTs run inline from now on";
  auto schemas = engine.Schemas();
  ASSERT_TRUE(schemas.ok());
  EXPECT_EQ(*schemas, *engine.Schemas()) << "compiled once";
}

TEST_P(StagedEngineTest, OneOperationThatIsNotStagedMakesPostsBlocking) {
  MakeEngine(std::make_shared<StagedEchoService>(/*all_staged=*/false));
  EXPECT_TRUE(engine_->MayBlock(Request(Echo(""))));
  http::Request get;
  get.method = "GET";
  get.target = "/echo?wsdl";
  EXPECT_FALSE(engine_->MayBlock(get));
}

CW_STORE_BACKENDS(StagedEngineTest);

}  // namespace
}  // namespace causeway::soap
