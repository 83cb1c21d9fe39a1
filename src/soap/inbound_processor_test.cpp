// The processor of stored messages on both back ends: the business change and the message's
// status commit together, in order per queue; business errors, technical errors and failed
// commits end in error and block; the thread wakes on Notify and on virtual time.
#include "soap/inbound_processor.h"
#include "soap/error_log.h"

#include <gtest/gtest.h>

#include <condition_variable>
#include <mutex>

#include "soap/testing/queue_service.h"
#include "store/backend_fixture.h"
#include "store/migration.h"

namespace causeway::soap {
namespace {

using store::testing::BackendTest;

// The database as the processor sees it, noting for every write the order it ran in: "C" a
// claim, "U" anything else (a message's unit).
class WriteOrder final : public store::Database {
 public:
  explicit WriteOrder(store::Database& inner) : inner_(inner) {}
  void WriteAsync(store::TxFn fn, store::WriteDone done) override {
    inner_.WriteAsync(
        [this, fn = std::move(fn)](store::Tx& tx) {
          Noting noting(tx, *this);
          return fn(noting);
        },
        std::move(done));
  }
  store::Status Read(store::TxFn fn) override { return inner_.Read(std::move(fn)); }
  std::string Health() override { return inner_.Health(); }
  std::string Kind() const override { return inner_.Kind(); }
  store::Dialect dialect() const override { return inner_.dialect(); }
  std::string order() {
    std::lock_guard<std::mutex> lock(mu_);
    return order_;
  }

 private:
  class Noting final : public store::Tx {
   public:
    Noting(store::Tx& tx, WriteOrder& owner) : tx_(tx), owner_(owner) {}
    store::Status Exec(std::string_view sql, std::span<const store::Value> params, int64_t* changed) override {
      Note(sql);
      return tx_.Exec(sql, params, changed);
    }
    store::Status Query(std::string_view sql, std::span<const store::Value> params,
                        const std::function<void(const store::Row&)>& on_row) override {
      Note(sql);
      return tx_.Query(sql, params, on_row);
    }

   private:
    void Note(std::string_view sql) {
      if (noted_) return;
      noted_ = true;
      std::lock_guard<std::mutex> lock(owner_.mu_);
      owner_.order_ += sql.starts_with("UPDATE soap_messages SET lease_owner") ? 'C' : 'U';
    }
    store::Tx& tx_;
    WriteOrder& owner_;
    bool noted_ = false;
  };
  store::Database& inner_;
  std::mutex mu_;
  std::string order_;  // GUARDED_BY(mu_)
};

class InboundProcessorTest : public BackendTest {
 protected:
  void SetUp() override {
    BackendTest::SetUp();
    if (IsSkipped() || HasFatalFailure()) return;
    ASSERT_TRUE(store::Migrate(*db_, SoapMigrations()).ok());
    ASSERT_TRUE(db_->Write([](store::Tx& tx) { return tx.Exec(testing::kQueueTable); }).ok());
    messages_ = std::make_unique<MessageStore>(*db_, clock_);
  }
  void TearDown() override {
    processor_.reset();
    messages_.reset();
    BackendTest::TearDown();
  }

  int64_t Receive(const std::string& name, const std::string& uuid = {}) {
    InboundMessage m;
    m.service = "QueueIn";
    m.operation = "Other";
    m.message_uuid = uuid;
    m.queue_key = name.substr(0, name.find('-'));
    m.user = "SENDER";
    m.received_at = clock_.Now();
    m.payload = testing::QueueRequest(name, uuid);
    store::UnitOfWork unit(*db_);
    auto r = std::make_shared<ReceiveResult>();
    messages_->StageReceive(unit, std::move(m), r);
    EXPECT_TRUE(unit.Commit().ok());
    if (processor_) processor_->Notify();
    return r->id;
  }

  void StartProcessor(bool thread, std::string node = "local") {
    ProcessorOptions o;
    o.node_id = std::move(node);
    o.start_thread = thread;
    o.claim_batch = 4;
    o.lease = std::chrono::seconds(30);
    o.poll = std::chrono::seconds(5);
    o.on_finished = [this](const StoredMessage&, MessageStatus) {
      std::lock_guard<std::mutex> lock(mu_);
      ++finished_;
      cv_.notify_all();
    };
    auto p = InboundProcessor::Start(service_, *messages_, clock_, o);
    ASSERT_TRUE(p.ok()) << p.error().text;
    processor_ = std::move(p).value();
  }

  // Waits (real time, generously bounded) until `n` messages finished in the processor thread.
  bool AwaitFinished(int n, std::chrono::milliseconds bound = std::chrono::seconds(60)) {
    std::unique_lock<std::mutex> lock(mu_);
    return cv_.wait_for(lock, bound, [&] { return finished_ >= n; });
  }

  std::vector<std::string> Changes() {
    std::vector<std::string> out;
    EXPECT_TRUE(db_->Read([&](store::Tx& tx) {
                     return tx.Query("SELECT name FROM changes ORDER BY id", {},
                                     [&](const store::Row& r) { out.push_back(r.String(0)); });
                   }).ok());
    return out;
  }
  std::string Status(int64_t id) { return MessageStatusName(messages_->Find(id, false)->value().status); }

  core::ManualClock clock_{core::FromUnixMillis(1714550400000)};
  std::shared_ptr<testing::QueueService> service_ = std::make_shared<testing::QueueService>();
  std::unique_ptr<MessageStore> messages_;
  std::unique_ptr<InboundProcessor> processor_;
  std::mutex mu_;
  std::condition_variable cv_;
  int finished_ = 0;
};

TEST_P(InboundProcessorTest, ChangesCommitWithTheirStatusInOrderPerQueue) {
  int64_t a1 = Receive("A-1"), b1 = Receive("B-1"), a2 = Receive("A-2"), a3 = Receive("A-3");
  StartProcessor(false);
  auto n = processor_->Drain();
  ASSERT_TRUE(n.ok()) << n.error().text;
  EXPECT_EQ(*n, 4);
  std::vector<std::string> changes = Changes();
  std::vector<std::string> a;
  for (const auto& c : changes)
    if (c[0] == 'A') a.push_back(c);
  EXPECT_EQ(a, (std::vector<std::string>{"A-1", "A-2", "A-3"}));
  EXPECT_EQ(changes.size(), 4u);
  for (int64_t id : {a1, b1, a2, a3}) EXPECT_EQ(Status(id), "processed");
  auto log = messages_->Log(a2);
  ASSERT_TRUE(log.ok());
  ASSERT_EQ(log->size(), 1u);
  EXPECT_EQ((*log)[0].item.note, "A-2 saved for SENDER");
  // Nothing left: a second drain processes nothing, nothing twice.
  EXPECT_EQ(*processor_->Drain(), 0);
  EXPECT_EQ(Changes().size(), 4u);
}

TEST_P(InboundProcessorTest, ABusinessErrorWritesNothingAndBlocksItsQueueUntilRestarted) {
  int64_t bad = Receive("A-bad"), a2 = Receive("A-2"), b1 = Receive("B-1");
  StartProcessor(false);
  EXPECT_EQ(*processor_->Drain(), 2);
  EXPECT_EQ(Status(bad), "error");
  EXPECT_EQ(Status(a2), "waiting");
  EXPECT_EQ(Status(b1), "processed");
  EXPECT_EQ(Changes(), std::vector<std::string>{"B-1"});
  auto log = messages_->Log(bad);
  ASSERT_TRUE(log.ok());
  ASSERT_EQ(log->size(), 1u);
  EXPECT_EQ((*log)[0].item, (a2x::LogItem{"010(TEST)", a2x::Severity::kError, "S1", "A-bad is bad"}));
  // Cancel the bad one: the queue goes on.
  ASSERT_TRUE(messages_->Cancel(bad, "ADMIN").ok());
  EXPECT_EQ(*processor_->Drain(), 1);
  EXPECT_EQ(Status(a2), "processed");
  EXPECT_EQ(Changes(), (std::vector<std::string>{"B-1", "A-2"}));
}

TEST_P(InboundProcessorTest, TechnicalErrorsAndFailedCommitsEndInErrorWithTheirText) {
  int64_t boom = Receive("A-boom"), crash = Receive("C-crash"), c2 = Receive("C-2");
  StartProcessor(false);
  EXPECT_EQ(*processor_->Drain(), 2);
  EXPECT_EQ(Status(boom), "error");
  EXPECT_EQ(Status(crash), "error");
  EXPECT_EQ(Status(c2), "waiting");
  EXPECT_TRUE(Changes().empty());
  auto log = messages_->Log(crash);
  ASSERT_TRUE(log.ok());
  ASSERT_EQ(log->size(), 1u);
  EXPECT_EQ((*log)[0].item.type_id, "046(CAUSEWAY/SOAP)");
  EXPECT_NE((*log)[0].item.note.find("no_such_table"), std::string::npos) << (*log)[0].item.note;
  EXPECT_NE(messages_->Log(boom)->at(0).item.note.find("TEST/002 boom"), std::string::npos);
}

TEST_P(InboundProcessorTest, TheThreadWakesWhenAMessageIsStored) {
  StartProcessor(true);
  Receive("A-1");
  Receive("A-2");
  Receive("B-1");
  ASSERT_TRUE(AwaitFinished(3));
  std::vector<std::string> changes = Changes();
  EXPECT_EQ(changes.size(), 3u);
  EXPECT_LT(std::find(changes.begin(), changes.end(), "A-1"), std::find(changes.begin(), changes.end(), "A-2"));
}

TEST_P(InboundProcessorTest, ADeadNodesClaimIsTakenOverWhenItsLeaseExpiresOnVirtualTime) {
  int64_t orphan = Receive("B-1");
  ASSERT_EQ(messages_->Claim("QueueIn", "dead-node", 10, clock_.Now() + std::chrono::seconds(30))->size(), 1u);
  StartProcessor(true);
  // The thread polls every 5 s of virtual time; the lease ends after 30 s. The clock moves on
  // until the thread took the message over (its wait may start after any one of the moves).
  bool done = false;
  for (int i = 0; i < 600 && !done; ++i) {
    clock_.Advance(std::chrono::seconds(5));
    done = AwaitFinished(1, std::chrono::milliseconds(50));
  }
  ASSERT_TRUE(done);
  EXPECT_EQ(Status(orphan), "processed");
  EXPECT_EQ(Changes(), std::vector<std::string>{"B-1"});
}

TEST_P(InboundProcessorTest, ItsOwnClaimsFromBeforeACrashAreProcessedAtOnceAfterStart) {
  int64_t a1 = Receive("A-1");
  ASSERT_EQ(messages_->Claim("QueueIn", "node-7", 10, clock_.Now() + std::chrono::hours(1))->size(), 1u);
  StartProcessor(false, "node-7");  // the same node started again: its leases are dropped
  EXPECT_EQ(*processor_->Drain(), 1);
  EXPECT_EQ(Status(a1), "processed");
  EXPECT_EQ(Changes(), std::vector<std::string>{"A-1"});
}

TEST_P(InboundProcessorTest, TheNextClaimIsQueuedAheadOfTheUnitsOfTheBatchTheLastOneBrought) {
  // With SQLite's single writer the order writes run in is the order they were queued in.
  if (postgres()) GTEST_SKIP() << "PostgreSQL runs writes side by side";
  for (const char* name : {"A-1", "B-1", "C-1", "D-1", "E-1", "F-1"}) Receive(name);
  WriteOrder db(*db_);
  MessageStore messages(db, clock_);
  ProcessorOptions o;
  o.start_thread = false;
  o.claim_batch = 4;
  auto p = InboundProcessor::Start(service_, messages, clock_, o);
  ASSERT_TRUE(p.ok()) << p.error().text;
  const std::string before = db.order();  // Start dropped this node's old leases
  EXPECT_EQ(*(*p)->Drain(), 6);
  // Claim 1 (4 messages); claim 2 before their 4 units; claim 3 before the 2 units of claim 2.
  EXPECT_EQ(db.order().substr(before.size(), 9), "CCUUUUCUU") << db.order();
  for (int64_t id = 1; id <= 6; ++id) EXPECT_EQ(Status(id), "processed");
}

CW_STORE_BACKENDS(InboundProcessorTest);

}  // namespace
}  // namespace causeway::soap
