// The engine's asynchronous reception: a one-way message is validated, stored and answered 202
// with an empty body only once the store committed; a resend stores nothing; a malformed message
// is a fault and stores nothing; a failed commit is answered with the fault.
#include <gtest/gtest.h>

#include <regex>

#include "soap/engine.h"
#include "soap/testing/failing_writes.h"
#include "soap/testing/queue_service.h"
#include "store/backend_fixture.h"
#include "store/migration.h"

namespace causeway::soap {
namespace {

using store::testing::BackendTest;

using testing::FailingWrites;

class EngineAsyncTest : public BackendTest {
 protected:
  void SetUp() override {
    BackendTest::SetUp();
    if (IsSkipped() || HasFatalFailure()) return;
    ASSERT_TRUE(store::Migrate(*db_, SoapMigrations()).ok());
    messages_ = std::make_unique<MessageStore>(*db_, clock_);
    engine_ = MakeEngine(*db_, messages_.get());
  }
  void TearDown() override {
    engine_.reset();
    messages_.reset();
    BackendTest::TearDown();
  }
  std::unique_ptr<Engine> MakeEngine(store::Database& db, MessageStore* messages) {
    EngineOptions o;
    o.clock = &clock_;
    o.messages = messages;
    o.on_stored = [this] { ++stored_; };
    auto e = Engine::Create(std::make_shared<testing::QueueService>(), db, o);
    EXPECT_TRUE(e.ok()) << e.error().text;
    if (!e.ok()) return nullptr;
    EXPECT_TRUE((*e)->Schemas().ok());  // as after the first call (compiled by it)
    return std::move(e).value();
  }
  // Posts and, like the server, waits for `after` before the answer counts.
  http::Response Post(Engine& engine, const std::string& payload, const std::string& envelope_ns_decl = "") {
    http::Request req;
    req.method = "POST";
    req.target = "/echo";
    req.headers.Add("Content-Type", "text/xml; charset=utf-8");
    req.body = "<s:Envelope xmlns:s=\"http://schemas.xmlsoap.org/soap/envelope/\"" + envelope_ns_decl + "><s:Body>" +
               payload + "</s:Body></s:Envelope>";
    http::Response r = engine.Handle(req, CallContext{"SENDER", "100", "EN", "http://h"});
    if (r.after) {
      core::Status st = r.after->Wait();
      if (!st.ok()) r = r.on_failure(st.error());
      r.after.reset();
    }
    return r;
  }

  core::ManualClock clock_{core::FromUnixMillis(1714550400000)};
  std::unique_ptr<MessageStore> messages_;
  std::unique_ptr<Engine> engine_;
  std::atomic<int> stored_{0};
};

TEST_P(EngineAsyncTest, AOneWayMessageIsStoredBeforeTheEmpty202) {
  http::Request req;
  req.method = "POST";
  req.target = "/echo";
  req.headers.Add("Content-Type", "text/xml; charset=utf-8");
  req.body = std::string("<s:Envelope xmlns:s=\"http://schemas.xmlsoap.org/soap/envelope/\"><s:Body>") +
             testing::QueueRequest("A-1", "0b9e1f2a-4c3d-4e5f-8a7b-6c5d4e3f2a10") + "</s:Body></s:Envelope>";
  http::Response r = engine_->Handle(req, CallContext{"SENDER", "100", "EN", "http://h"});
  EXPECT_EQ(r.status, 202);
  EXPECT_TRUE(r.body.empty());
  EXPECT_FALSE(r.headers.Has("content-type"));
  ASSERT_TRUE(r.after) << "the answer must wait for the commit";
  ASSERT_TRUE(r.after->Wait().ok());
  EXPECT_EQ(stored_.load(), 1);
  EXPECT_EQ(CountRows("soap_messages"), 1);
  auto m = messages_->Find(1, true);
  ASSERT_TRUE(m.ok() && m->has_value());
  const StoredMessage& s = **m;
  EXPECT_EQ((std::tuple(s.service, s.operation, s.queue_key, s.user, s.client, s.soap_version, s.message_uuid)),
            (std::tuple("QueueIn", "Other", "A", "SENDER", "100", "1.1", "0b9e1f2a-4c3d-4e5f-8a7b-6c5d4e3f2a10")));
  EXPECT_EQ(s.payload, testing::QueueRequest("A-1", "0b9e1f2a-4c3d-4e5f-8a7b-6c5d4e3f2a10"));
}

TEST_P(EngineAsyncTest, TheStoredPayloadDeclaresNamespacesItsEnvelopeDeclared) {
  // The message namespace declared on the Envelope, extension content in a foreign namespace.
  std::string payload =
      "<m:OtherRequest><BasicMessageHeader/><Item><Name>A-2</Name><z:Ext xmlns:z=\"urn:ext\">x</z:Ext></Item>"
      "</m:OtherRequest>";
  EXPECT_EQ(Post(*engine_, payload, " xmlns:m=\"urn:test:msg\"").status, 202);
  auto m = messages_->Find(1, true);
  ASSERT_TRUE(m.ok() && m->has_value());
  EXPECT_EQ((*m)->payload, "<m:OtherRequest xmlns:m=\"urn:test:msg\"><BasicMessageHeader/><Item><Name>A-2</Name>"
                           "</Item></m:OtherRequest>");
  auto doc = ParseXml((*m)->payload, ParseLimits{});
  ASSERT_TRUE(doc.ok());
  EXPECT_EQ(doc->Root().Namespace(), "urn:test:msg");
}

TEST_P(EngineAsyncTest, AResendIsAcceptedAndStoresNothing) {
  const std::string uuid = "7d6c5b4a-3f2e-4d1c-8b0a-9e8f7d6c5b4a";
  EXPECT_EQ(Post(*engine_, testing::QueueRequest("A-1", uuid)).status, 202);
  EXPECT_EQ(Post(*engine_, testing::QueueRequest("A-1", uuid)).status, 202);
  EXPECT_EQ(CountRows("soap_messages"), 1);
  EXPECT_EQ((messages_->Counters()[{"QueueIn", "duplicate"}]), 1);
}

TEST_P(EngineAsyncTest, AMalformedMessageIsAFaultAndStoresNothing) {
  // Name longer than the schema allows.
  http::Response r = Post(*engine_, testing::QueueRequest("A-12345678901"));
  EXPECT_EQ(r.status, 500);
  EXPECT_NE(r.body.find("Web service processing error"), std::string::npos);
  EXPECT_EQ(CountRows("soap_messages"), 0);
  EXPECT_EQ(CountRows("soap_error_log"), 1);
  EXPECT_EQ(stored_.load(), 0);
}

TEST_P(EngineAsyncTest, InsideACurrentUnitTheMessageIsStagedForItsCommit) {
  store::UnitOfWork unit(*db_);
  {
    store::UnitOfWork::Scope scope(unit);
    http::Response r = Post(*engine_, testing::QueueRequest("A-1"));
    EXPECT_EQ(r.status, 202);
  }
  EXPECT_EQ(CountRows("soap_messages"), 0);
  ASSERT_TRUE(unit.Commit().ok());
  EXPECT_EQ(CountRows("soap_messages"), 1);
}

TEST_P(EngineAsyncTest, AFailedCommitIsAnsweredWithTheFaultSoThatTheSenderResends) {
  FailingWrites failing(*db_);
  MessageStore broken(failing, clock_);
  auto engine = MakeEngine(failing, &broken);
  ASSERT_NE(engine, nullptr);
  http::Response r = Post(*engine, testing::QueueRequest("A-1"));
  EXPECT_EQ(r.status, 500);
  EXPECT_TRUE(std::regex_search(r.body, std::regex("Web service processing error; more details in the web service "
                                                   "error log on provider side \\(UTC timestamp 20240501080000; "
                                                   "Transaction ID [0-9A-F]{32}\\)")))
      << r.body;
  EXPECT_EQ(CountRows("soap_messages"), 0);
  EXPECT_EQ(stored_.load(), 0);
}

TEST_P(EngineAsyncTest, OnlyLargePostsOrServicesWithoutAStoreMayBlock) {
  auto plain = MakeEngine(*db_, nullptr);  // one-way operations invoked at once
  ASSERT_NE(plain, nullptr);
  const size_t limit = EngineOptions{}.inline_body_limit;
  struct Row {
    const char* method;
    size_t body_size;
    bool stored_may_block;
    bool plain_may_block;
  } rows[] = {
      {"GET", 0, false, false},  {"HEAD", 0, false, false},       {"PUT", 10, false, false},
      {"POST", 0, false, true},  {"POST", limit, false, true},    {"POST", limit + 1, true, true},
  };
  for (const Row& row : rows) {
    http::Request req;
    req.method = row.method;
    req.body.assign(row.body_size, ' ');
    EXPECT_EQ(engine_->MayBlock(req), row.stored_may_block) << row.method << " " << row.body_size;
    EXPECT_EQ(plain->MayBlock(req), row.plain_may_block) << row.method << " " << row.body_size;
  }
}

TEST_P(EngineAsyncTest, AFaultAnsweredWithoutBlockingGoesOutOnceItsErrorLogEntryIsWritten) {
  http::Request req;
  req.method = "POST";
  req.target = "/echo";
  req.headers.Add("Content-Type", "text/xml; charset=utf-8");
  req.body = "<s:Envelope xmlns:s=\"http://schemas.xmlsoap.org/soap/envelope/\"><s:Body>" +
             testing::QueueRequest("A-12345678901") + "</s:Body></s:Envelope>";
  ASSERT_FALSE(engine_->MayBlock(req));
  http::Response r = engine_->Handle(req, CallContext{"SENDER", "100", "EN", "http://h"});
  EXPECT_EQ(r.status, 500);
  ASSERT_TRUE(r.after) << "the fault must wait for its error-log entry";
  ASSERT_TRUE(r.after->Wait().ok());
  EXPECT_EQ(CountRows("soap_error_log"), 1);

  // The gate's refusal of a user without the arrangement: the same.
  http::Response refused = engine_->FaultResponse(
      req, core::MakeError(core::Code::kForbidden, "CAUSEWAY/SECURITY", "001", "no arrangement"));
  EXPECT_EQ(refused.status, 500);
  EXPECT_NE(refused.body.find("Authorization role missing"), std::string::npos) << refused.body;
  ASSERT_TRUE(refused.after);
  ASSERT_TRUE(refused.after->Wait().ok());
  EXPECT_EQ(CountRows("soap_error_log"), 2);
}

TEST_P(EngineAsyncTest, AFaultIsSentEvenIfItsErrorLogEntryCannotBeWritten) {
  FailingWrites failing(*db_);
  MessageStore broken(failing, clock_);
  auto engine = MakeEngine(failing, &broken);
  ASSERT_NE(engine, nullptr);
  http::Response r = Post(*engine, testing::QueueRequest("A-12345678901"));
  EXPECT_EQ(r.status, 500);
  EXPECT_NE(r.body.find("Web service processing error"), std::string::npos) << r.body;
  EXPECT_EQ(CountRows("soap_error_log"), 0);
}

CW_STORE_BACKENDS(EngineAsyncTest);

}  // namespace
}  // namespace causeway::soap
