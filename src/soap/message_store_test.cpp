// The asynchronous message store on both back ends: exactly once, in order per queue, errors
// blocking their queue, the operator's restart/cancel/release, leases, purge, two nodes.
#include "soap/message_store.h"

#include <gtest/gtest.h>

#include <latch>
#include <map>
#include <set>
#include <thread>

#include "soap/error_log.h"
#include "soap/message_monitor.h"
#include "store/backend_fixture.h"
#include "store/migration.h"

namespace causeway::soap {
namespace {

using store::testing::BackendTest;

constexpr char kService[] = "ReplicationIn";

a2x::LogItem Error(std::string note) { return a2x::LogItem{"001(T)", a2x::Severity::kError, "", std::move(note)}; }
a2x::LogItem Info(std::string note) { return a2x::LogItem{"002(T)", a2x::Severity::kInfo, "", std::move(note)}; }

class MessageStoreTest : public BackendTest {
 protected:
  void SetUp() override {
    BackendTest::SetUp();
    if (IsSkipped() || HasFatalFailure()) return;
    ASSERT_TRUE(store::Migrate(*db_, SoapMigrations()).ok());
    messages_ = std::make_unique<MessageStore>(*db_, clock_);
  }
  void TearDown() override {
    messages_.reset();
    BackendTest::TearDown();
  }

  InboundMessage Message(std::string queue_key, std::string uuid = {}, std::string id = {}) {
    InboundMessage m;
    m.service = kService;
    m.operation = "Replicate";
    m.message_uuid = std::move(uuid);
    m.message_id = std::move(id);
    m.queue_key = std::move(queue_key);
    m.user = "SENDER";
    m.soap_version = "1.1";
    m.received_at = clock_.Now();
    m.payload = "<n0:R xmlns:n0=\"urn:t\"><X>" + std::to_string(++payloads_) + "</X></n0:R>";
    return m;
  }

  // Stores a message in a unit of its own; the result once committed.
  ReceiveResult Receive(InboundMessage m) {
    store::UnitOfWork unit(*db_);
    auto r = std::make_shared<ReceiveResult>();
    messages_->StageReceive(unit, std::move(m), r);
    EXPECT_TRUE(unit.Commit().ok());
    return *r;
  }

  std::vector<StoredMessage> Claim(const std::string& owner = "n1", int limit = 100) {
    auto c = messages_->Claim(kService, owner, limit, clock_.Now() + std::chrono::seconds(60));
    EXPECT_TRUE(c.ok()) << c.error().text;
    return c.ok() ? *c : std::vector<StoredMessage>();
  }

  core::Status Finish(const StoredMessage& m, std::vector<a2x::LogItem> log, const std::string& owner = "n1") {
    store::UnitOfWork unit(*db_);
    ProcessingOutcome outcome{std::move(log)};
    messages_->StageFinish(unit, m, owner, &outcome);
    return unit.Commit();
  }

  StoredMessage Get(int64_t id) {
    auto m = messages_->Find(id, true);
    EXPECT_TRUE(m.ok() && m->has_value());
    return m.ok() && m->has_value() ? **m : StoredMessage{};
  }
  std::string Status(int64_t id) { return MessageStatusName(Get(id).status); }

  // The invariant of migrations/0310_soap_messages.sql for every queue.
  void CheckInvariant() {
    std::map<std::string, std::pair<int64_t, int64_t>> heads_and_open;  // queue → (heads, in line)
    std::map<std::string, int64_t> open_counts;
    ASSERT_TRUE(db_->Read([&](store::Tx& tx) -> core::Status {
                     CW_RETURN_IF_ERROR(tx.Query(
                         "SELECT queue_key, head, status FROM soap_messages WHERE queue_key <> '' ORDER BY queue_key, seq",
                         {}, [&](const store::Row& r) {
                           auto& [heads, open] = heads_and_open[r.String(0)];
                           std::string status = r.String(2);
                           if (r.Int(1)) ++heads;
                           if (r.Int(1) || status == "received" || status == "waiting") ++open;
                           if (r.Int(1)) {
                             EXPECT_TRUE(status == "received" || status == "error") << status;
                           }
                         }));
                     return tx.Query("SELECT queue_key, open_count FROM soap_message_queues", {},
                                     [&](const store::Row& r) { open_counts[r.String(0)] = r.Int(1); });
                   }).ok());
    for (const auto& [queue, ho] : heads_and_open) {
      EXPECT_LE(ho.first, 1) << queue;
      EXPECT_EQ(ho.second > 0, ho.first == 1) << queue << ": messages in line without a head";
      EXPECT_EQ(open_counts[queue], ho.second) << queue;
    }
  }

  core::ManualClock clock_{core::FromUnixMillis(1714550400000)};
  std::unique_ptr<MessageStore> messages_;
  int payloads_ = 0;
};

// A claim reads the index of claimable heads, not every processed message, however many
// there are: no other index can give its order (store/claim.h, "Plans").
TEST_P(MessageStoreTest, AClaimReadsTheIndexOfClaimableHeads) {
  for (int i = 0; i < 300; ++i) {
    ASSERT_GT(Receive(Message("")).id, 0);
    for (const StoredMessage& c : Claim()) ASSERT_TRUE(Finish(c, {Info("done")}).ok());
  }
  for (int i = 0; i < 3; ++i) ASSERT_GT(Receive(Message("")).id, 0);
  ASSERT_TRUE(db_->Write([](store::Tx& tx) { return tx.Exec("ANALYZE"); }).ok());
  const std::string sql = store::ClaimSql(db_->dialect(), MessageClaimSpec(), 8);
  const std::vector<store::Value> params{store::Value("n1"), store::Value(int64_t{2}), store::Value(kService),
                                         store::Value(int64_t{1})};
  for (bool generic : {false, true}) {
    if (generic && !postgres()) continue;
    const std::string plan = Plan(sql, params, generic);
    EXPECT_NE(plan.find("soap_messages_ready"), std::string::npos) << plan;
    EXPECT_EQ(plan.find("Seq Scan"), std::string::npos) << plan;
    EXPECT_EQ(plan.find("SCAN soap_messages\n"), std::string::npos) << plan;
  }
  const std::string plan = Plan(sql, params, false, "soap_messages_ready");
  EXPECT_NE(plan.find(postgres() ? "Sort Key: ((soap_messages_1.id + 0))" : "USE TEMP B-TREE FOR ORDER BY"),
            std::string::npos)
      << plan;
  EXPECT_EQ(plan.find("Presorted Key"), std::string::npos) << plan;
  EXPECT_EQ(Claim().size(), 3u);
}

TEST_P(MessageStoreTest, AResendOfAStoredMessageKeyStoresNothing) {
  ReceiveResult first = Receive(Message("A1", "0B9E1F2A-4C3D-4E5F-8A7B-6C5D4E3F2A10"));
  EXPECT_FALSE(first.duplicate);
  EXPECT_GT(first.id, 0);
  // Same UUID in another case, even for another object: the same message.
  EXPECT_TRUE(Receive(Message("A2", "0b9e1f2a-4c3d-4e5f-8a7b-6c5d4e3f2a10")).duplicate);
  // Without a UUID the header ID is the key.
  EXPECT_FALSE(Receive(Message("A1", "", "MSG-7")).duplicate);
  EXPECT_TRUE(Receive(Message("A1", "", "MSG-7")).duplicate);
  // Without either, every message is new.
  EXPECT_FALSE(Receive(Message("A1")).duplicate);
  EXPECT_FALSE(Receive(Message("A1")).duplicate);
  EXPECT_EQ(CountRows("soap_messages"), 4);
  auto counters = messages_->Counters();
  EXPECT_EQ((counters[{kService, "received"}]), 4);
  EXPECT_EQ((counters[{kService, "duplicate"}]), 2);
  StoredMessage m = Get(first.id);
  EXPECT_EQ(m.payload, "<n0:R xmlns:n0=\"urn:t\"><X>1</X></n0:R>");
  EXPECT_EQ((std::tuple(m.user, m.operation, m.queue_key, m.seq, m.head)), (std::tuple("SENDER", "Replicate", "A1", 1, true)));
  CheckInvariant();
}

TEST_P(MessageStoreTest, OneQueueIsProcessedOneMessageAtATimeInOrder) {
  int64_t a1 = Receive(Message("A")).id, b1 = Receive(Message("B")).id, a2 = Receive(Message("A")).id,
          a3 = Receive(Message("A")).id, solo = Receive(Message("")).id;
  std::vector<StoredMessage> claimed = Claim();
  std::vector<int64_t> ids;
  for (const auto& m : claimed) ids.push_back(m.id);
  EXPECT_EQ(ids, (std::vector<int64_t>{a1, b1, solo}));  // heads only, oldest first
  ASSERT_EQ(claimed.size(), 3u);
  // Each with its own payload (Message() numbers them in reception order).
  EXPECT_EQ(claimed[0].payload, "<n0:R xmlns:n0=\"urn:t\"><X>1</X></n0:R>");
  EXPECT_EQ(claimed[1].payload, "<n0:R xmlns:n0=\"urn:t\"><X>2</X></n0:R>");
  EXPECT_EQ(claimed[2].payload, "<n0:R xmlns:n0=\"urn:t\"><X>5</X></n0:R>");
  EXPECT_TRUE(Claim().empty());                          // leased
  for (const auto& m : claimed) ASSERT_TRUE(Finish(m, {Info("done")}).ok());
  claimed = Claim();
  ASSERT_EQ(claimed.size(), 1u);
  EXPECT_EQ(claimed[0].id, a2);
  ASSERT_TRUE(Finish(claimed[0], {}).ok());
  claimed = Claim();
  ASSERT_EQ(claimed.size(), 1u);
  EXPECT_EQ(claimed[0].id, a3);
  ASSERT_TRUE(Finish(claimed[0], {}).ok());
  EXPECT_TRUE(Claim().empty());
  for (int64_t id : {a1, a2, a3, b1, solo}) EXPECT_EQ(Status(id), "processed");
  StoredMessage done = Get(a1);
  EXPECT_EQ(done.attempts, 1);
  EXPECT_TRUE(done.lease_owner.empty());
  auto log = messages_->Log(a1);
  ASSERT_TRUE(log.ok());
  ASSERT_EQ(log->size(), 1u);
  EXPECT_EQ(((*log)[0].attempt), 1);
  EXPECT_EQ((*log)[0].item.note, "done");
  CheckInvariant();
}

TEST_P(MessageStoreTest, AnErrorBlocksItsQueueUntilRestarted) {
  int64_t a1 = Receive(Message("A")).id, a2 = Receive(Message("A")).id;
  ASSERT_TRUE(Finish(Claim()[0], {Error("partner missing")}).ok());
  EXPECT_EQ(Status(a1), "error");
  EXPECT_EQ(Status(a2), "waiting");
  int64_t a3 = Receive(Message("A")).id;  // arrives while the queue is blocked
  EXPECT_EQ(Status(a3), "waiting");
  EXPECT_TRUE(Claim().empty());
  CheckInvariant();

  auto restarted = messages_->Restart(a1, "ADMIN");
  ASSERT_TRUE(restarted.ok()) << restarted.error().text;
  EXPECT_EQ(restarted->status, MessageStatus::kReceived);
  EXPECT_EQ(Status(a2), "received");
  CheckInvariant();
  auto again = Claim();
  ASSERT_EQ(again.size(), 1u);
  EXPECT_EQ(again[0].id, a1);
  EXPECT_EQ(again[0].attempts, 1);
  ASSERT_TRUE(Finish(again[0], {Info("now it worked")}).ok());
  for (int i = 0; i < 2; ++i) ASSERT_TRUE(Finish(Claim().at(0), {}).ok());
  for (int64_t id : {a1, a2, a3}) EXPECT_EQ(Status(id), "processed");
  auto log = messages_->Log(a1);
  ASSERT_TRUE(log.ok());
  ASSERT_EQ(log->size(), 3u);  // attempt 1's error, the restart, attempt 2's info
  EXPECT_EQ(((*log)[0].attempt), 1);
  EXPECT_EQ((*log)[1].item.note, "Restarted by ADMIN");
  EXPECT_EQ(((*log)[2].attempt), 2);
  EXPECT_EQ(Get(a1).attempts, 2);
  CheckInvariant();
}

TEST_P(MessageStoreTest, CancellingTheErrorHeadLetsTheQueueGoOn) {
  int64_t a1 = Receive(Message("A")).id, a2 = Receive(Message("A")).id;
  ASSERT_TRUE(Finish(Claim()[0], {Error("bad")}).ok());
  auto c = messages_->Cancel(a1, "ADMIN");
  ASSERT_TRUE(c.ok()) << c.error().text;
  EXPECT_EQ(c->status, MessageStatus::kCancelled);
  EXPECT_EQ(Status(a2), "received");
  auto next = Claim();
  ASSERT_EQ(next.size(), 1u);
  EXPECT_EQ(next[0].id, a2);
  // A cancelled message is final.
  auto restart = messages_->Restart(a1, "ADMIN");
  ASSERT_FALSE(restart.ok());
  EXPECT_EQ(restart.error().GatewayCode(), "CAUSEWAY/SOAP/041");
  // A message being processed cannot be cancelled; an unknown one does not exist.
  auto busy = messages_->Cancel(a2, "ADMIN");
  ASSERT_FALSE(busy.ok());
  EXPECT_EQ(busy.error().code, core::Code::kConflict);
  EXPECT_EQ(messages_->Cancel(999, "ADMIN").error().code, core::Code::kNotFound);
  CheckInvariant();
}

TEST_P(MessageStoreTest, ReleaseLetsTheWaitingGoOnWithoutTheFailedOne) {
  int64_t a1 = Receive(Message("A")).id, a2 = Receive(Message("A")).id, a3 = Receive(Message("A")).id;
  ASSERT_TRUE(Finish(Claim()[0], {Error("bad")}).ok());
  // Released through a message waiting in the queue: the head in error is what leaves the line.
  auto r = messages_->Release(a3, "ADMIN");
  ASSERT_TRUE(r.ok()) << r.error().text;
  EXPECT_EQ(r->id, a1);
  EXPECT_EQ(r->status, MessageStatus::kError);
  EXPECT_FALSE(r->head);
  CheckInvariant();
  ASSERT_TRUE(Finish(Claim().at(0), {}).ok());
  EXPECT_EQ(Status(a2), "processed");
  // Restarted later, the released message joins the end of its queue (behind a3).
  auto again = messages_->Restart(a1, "ADMIN");
  ASSERT_TRUE(again.ok()) << again.error().text;
  EXPECT_GT(again->seq, Get(a3).seq);
  EXPECT_FALSE(again->head);
  CheckInvariant();
  auto next = Claim();
  ASSERT_EQ(next.size(), 1u);
  EXPECT_EQ(next[0].id, a3);
  ASSERT_TRUE(Finish(next[0], {}).ok());
  next = Claim();
  ASSERT_EQ(next.size(), 1u);
  EXPECT_EQ(next[0].id, a1);
  ASSERT_TRUE(Finish(next[0], {}).ok());
  EXPECT_EQ(Status(a1), "processed");
  // Only an error head (or a message waiting behind one) can be released.
  EXPECT_EQ(messages_->Release(a2, "ADMIN").error().GatewayCode(), "CAUSEWAY/SOAP/041");
  CheckInvariant();
}

TEST_P(MessageStoreTest, AFinishUnderALostLeaseWritesNothing) {
  int64_t a1 = Receive(Message("A")).id;
  StoredMessage mine = Claim("n1").at(0);
  clock_.Advance(std::chrono::seconds(61));  // n1's lease expired: n2 takes the message over
  StoredMessage theirs = Claim("n2").at(0);
  EXPECT_EQ(theirs.id, a1);
  ASSERT_TRUE(db_->Write([](store::Tx& tx) { return tx.Exec("CREATE TABLE marks (n BIGINT)"); }).ok());
  store::UnitOfWork unit(*db_);
  unit.Add([](store::Tx& tx) { return tx.Exec("INSERT INTO marks (n) VALUES (1)"); });  // "the business change"
  ProcessingOutcome outcome;
  messages_->StageFinish(unit, mine, "n1", &outcome);
  core::Status st = unit.Commit();
  ASSERT_FALSE(st.ok());
  EXPECT_EQ(st.error().GatewayCode(), "CAUSEWAY/SOAP/042");
  EXPECT_EQ(CountRows("marks"), 0);
  // RecordFailure under a lost lease changes nothing either.
  ASSERT_TRUE(messages_->RecordFailure(mine, "n1", core::MakeError(core::Code::kInternal, "T", "1", "x")).ok());
  EXPECT_EQ(Status(a1), "received");
  ASSERT_TRUE(Finish(theirs, {}, "n2").ok());
  EXPECT_EQ(Status(a1), "processed");
}

TEST_P(MessageStoreTest, ATechnicalFailureEndsInErrorAndBlocks) {
  int64_t a1 = Receive(Message("A")).id, a2 = Receive(Message("A")).id;
  StoredMessage m = Claim().at(0);
  ASSERT_TRUE(messages_->RecordFailure(m, "n1", core::MakeError(core::Code::kInternal, "CAUSEWAY/STORE", "006", "disk full")).ok());
  EXPECT_EQ(Status(a1), "error");
  EXPECT_EQ(Status(a2), "waiting");
  auto log = messages_->Log(a1);
  ASSERT_TRUE(log.ok());
  ASSERT_EQ(log->size(), 1u);
  EXPECT_EQ((*log)[0].item.type_id, "046(CAUSEWAY/SOAP)");
  EXPECT_NE((*log)[0].item.note.find("CAUSEWAY/STORE/006 disk full"), std::string::npos);
  CheckInvariant();
}

TEST_P(MessageStoreTest, ANodesOwnLeasesAreDroppedAtItsNextStart) {
  Receive(Message("A"));
  Receive(Message("B"));
  ASSERT_EQ(Claim("n1").size(), 2u);
  EXPECT_TRUE(Claim("n2").empty());
  auto released = messages_->ReleaseLeases("n1");
  ASSERT_TRUE(released.ok());
  EXPECT_EQ(*released, 2);
  EXPECT_EQ(Claim("n1").size(), 2u);
}

TEST_P(MessageStoreTest, PurgeDeletesOnlyFinishedMessagesPastRetention) {
  int64_t done = Receive(Message("A")).id;
  ASSERT_TRUE(Finish(Claim().at(0), {Info("x")}).ok());
  int64_t failed = Receive(Message("B")).id;
  ASSERT_TRUE(Finish(Claim().at(0), {Error("y")}).ok());
  int64_t open = Receive(Message("C")).id;
  clock_.Advance(std::chrono::hours(1));
  auto purged = messages_->Purge(clock_.Now(), 100);
  ASSERT_TRUE(purged.ok());
  EXPECT_EQ(*purged, 1);
  EXPECT_FALSE(messages_->Find(done, false)->has_value());
  EXPECT_TRUE(messages_->Find(failed, false)->has_value());
  EXPECT_TRUE(messages_->Find(open, false)->has_value());
  EXPECT_EQ(CountRows("soap_message_log"), 1);
  EXPECT_EQ(CountRows("soap_message_payloads"), 2);
  EXPECT_EQ(messages_->Find(open, true).value()->payload, "<n0:R xmlns:n0=\"urn:t\"><X>3</X></n0:R>");
}

TEST_P(MessageStoreTest, TwoNodesNeverClaimOneMessageTwiceNorTwoOfOneQueue) {
  constexpr int kQueues = 20, kPerQueue = 10;
  for (int i = 0; i < kPerQueue; ++i)
    for (int q = 0; q < kQueues; ++q) Receive(Message("Q" + std::to_string(q)));
  auto second = OpenNode();
  ASSERT_NE(second, nullptr);
  MessageStore other(*second, clock_);
  std::mutex mu;
  std::map<int64_t, int> processed;            // message → times
  std::map<std::string, std::vector<int64_t>> order;  // queue → seqs in processing order
  std::set<std::string> busy;                  // queues with a message in hand
  auto node = [&](MessageStore& store, const std::string& owner, store::Database& db) {
    for (int idle = 0; idle < 50;) {
      auto claimed = store.Claim(kService, owner, 8, clock_.Now() + std::chrono::seconds(60));
      ASSERT_TRUE(claimed.ok()) << claimed.error().text;
      if (claimed->empty()) {
        ++idle;
        std::this_thread::yield();
        continue;
      }
      idle = 0;
      for (const StoredMessage& m : *claimed) {
        {
          std::lock_guard<std::mutex> lock(mu);
          EXPECT_TRUE(busy.insert(m.queue_key).second) << "two messages of " << m.queue_key << " at once";
          ++processed[m.id];
          order[m.queue_key].push_back(m.seq);
        }
        store::UnitOfWork unit(db);
        ProcessingOutcome outcome;
        store.StageFinish(unit, m, owner, &outcome);
        {
          std::lock_guard<std::mutex> lock(mu);
          busy.erase(m.queue_key);  // before the commit: the next claim can only follow it
        }
        ASSERT_TRUE(unit.Commit().ok());
      }
    }
  };
  std::thread t1([&] { node(*messages_, "n1", *db_); });
  std::thread t2([&] { node(other, "n2", *second); });
  t1.join();
  t2.join();
  EXPECT_EQ(processed.size(), static_cast<size_t>(kQueues * kPerQueue));
  for (const auto& [id, times] : processed) EXPECT_EQ(times, 1) << id;
  for (const auto& [queue, seqs] : order) EXPECT_TRUE(std::is_sorted(seqs.begin(), seqs.end())) << queue;
  CheckInvariant();
}

// A client that sends nothing but faulty requests must not fill the disk: about once a minute a
// write also drops its service's entries older than the retention and beyond max_entries (the
// newest stay); other services' entries are theirs to purge.
TEST_P(MessageStoreTest, TheErrorLogKeepsEachServicesEntriesWithinItsBounds) {
  ErrorLog sync(*db_, {.retention = std::chrono::hours(1), .max_entries = 3}, "SyncIn");
  ErrorLog other(*db_, {}, "OtherIn");
  auto entry = [&](char id, const char* service) {
    return ErrorLogEntry{std::string(31, 'A') + id, clock_.Now(), service, "Maintain", "U", "1.1", "schema",
                         "CAUSEWAY/SOAP/010",       "bad order"};
  };
  auto ids = [&](const char* service) {
    std::vector<std::string> out;
    EXPECT_TRUE(db_->Read([&](store::Tx& tx) {
                     out.clear();
                     return tx.Query(
                         "SELECT transaction_id FROM soap_error_log WHERE service = ? ORDER BY transaction_id",
                         {std::string(service)}, [&](const store::Row& r) { out.push_back(r.String(0).substr(31)); });
                   })
                    .ok());
    return out;
  };
  ASSERT_TRUE(other.Record(entry('0', "OtherIn")).ok());
  ASSERT_TRUE(sync.Record(entry('1', "SyncIn")).ok());  // the first write purges: nothing is old yet
  clock_.Advance(std::chrono::hours(2));
  ASSERT_TRUE(sync.Record(entry('2', "SyncIn")).ok());  // a minute later: '1' is past the retention
  EXPECT_EQ(ids("SyncIn"), (std::vector<std::string>{"2"}));
  for (char id : {'3', '4', '5', '6'}) {
    clock_.Advance(std::chrono::milliseconds(1));
    ASSERT_TRUE(sync.Record(entry(id, "SyncIn")).ok());  // within the minute: no purge
  }
  EXPECT_EQ(ids("SyncIn"), (std::vector<std::string>{"2", "3", "4", "5", "6"}));
  clock_.Advance(std::chrono::seconds(61));
  ASSERT_TRUE(sync.Record(entry('7', "SyncIn")).ok());
  EXPECT_EQ(ids("SyncIn"), (std::vector<std::string>{"5", "6", "7"}));  // the newest three
  EXPECT_EQ(ids("OtherIn"), (std::vector<std::string>{"0"}));
  // The transaction's own entry is kept whatever the bounds: it was just answered.
  auto found = sync.Find(std::string(31, 'A') + '7');
  ASSERT_TRUE(found.ok() && found->has_value());
}

TEST_P(MessageStoreTest, TheMonitorListsMessagesAndFaultsNewestFirstWithPaging) {
  ErrorLog errors(*db_);
  int64_t a1 = Receive(Message("A", "", "M1")).id;
  clock_.Advance(std::chrono::milliseconds(5));
  ASSERT_TRUE(errors.Record({std::string(32, 'A'), clock_.Now(), "SyncIn", "Maintain", "U", "1.1", "schema",
                             "CAUSEWAY/SOAP/010", "bad order"}).ok());
  int64_t b1 = Receive(Message("B")).id;  // same millisecond as the fault: listed before it
  clock_.Advance(std::chrono::milliseconds(5));
  int64_t a2 = Receive(Message("A")).id;
  ASSERT_TRUE(Finish(Claim().at(0), {Error("bad")}).ok());  // a1 in error, a2 waiting
  MessageMonitor monitor(*messages_, clock_);

  MonitorFilter f;
  f.limit = 2;
  auto page = monitor.List(f);
  ASSERT_TRUE(page.ok()) << page.error().text;
  ASSERT_EQ(page->entries.size(), 2u);
  EXPECT_EQ(page->entries[0].id, std::to_string(a2));
  EXPECT_EQ(page->entries[0].status, "waiting");
  EXPECT_EQ(page->entries[1].id, std::to_string(b1));
  f.cursor = page->next_cursor;
  auto rest = monitor.List(f);
  ASSERT_TRUE(rest.ok());
  ASSERT_EQ(rest->entries.size(), 2u);
  EXPECT_TRUE(rest->entries[0].synchronous);
  EXPECT_EQ(rest->entries[0].detail, "bad order");
  EXPECT_EQ(rest->entries[1].id, std::to_string(a1));
  EXPECT_EQ(rest->entries[1].status, "error");
  EXPECT_EQ(rest->next_cursor, "");

  MonitorFilter only;
  only.status = "waiting";
  EXPECT_EQ(monitor.List(only)->entries.size(), 1u);
  only = {};
  only.kind = "sync";
  EXPECT_EQ(monitor.List(only)->entries.size(), 1u);
  only = {};
  only.message_id = "M1";
  ASSERT_EQ(monitor.List(only)->entries.size(), 1u);
  only = {};
  only.object_key = "A";
  EXPECT_EQ(monitor.List(only)->entries.size(), 2u);
  only = {};
  only.status = "lost";
  EXPECT_EQ(monitor.List(only).error().GatewayCode(), "CAUSEWAY/SOAP/048");
  only = {};
  only.cursor = "garbage";
  EXPECT_EQ(monitor.List(only).error().GatewayCode(), "CAUSEWAY/SOAP/048");

  auto waiting = monitor.Find(std::to_string(a2));
  ASSERT_TRUE(waiting.ok() && waiting->has_value());
  EXPECT_EQ((*waiting)->waiting_for, std::to_string(a1));
  auto fault = monitor.Find(std::string(32, 'A'));
  ASSERT_TRUE(fault.ok() && fault->has_value());
  EXPECT_EQ((*fault)->category, "schema");
  EXPECT_FALSE(monitor.Find("12345")->has_value());

  std::string metrics = monitor.MetricsText();
  EXPECT_NE(metrics.find("causeway_soap_messages{service=\"ReplicationIn\",kind=\"async\",status=\"error\"} 1"),
            std::string::npos) << metrics;
  EXPECT_NE(metrics.find("causeway_soap_messages{service=\"SyncIn\",kind=\"sync\",status=\"error\"} 1"),
            std::string::npos);
  EXPECT_NE(metrics.find("causeway_soap_messages_total{service=\"ReplicationIn\",status=\"received\"} 3"),
            std::string::npos);
}

CW_STORE_BACKENDS(MessageStoreTest);

// 0311 moves the payloads of messages stored before it into soap_message_payloads.
class PayloadMigrationTest : public BackendTest {};

TEST_P(PayloadMigrationTest, PayloadsStoredBeforeTheirOwnTableAreKept) {
  std::vector<store::Migration> before;
  for (const store::Migration& m : SoapMigrations())
    if (m.version < 311) before.push_back(m);
  ASSERT_TRUE(store::Migrate(*db_, before).ok());
  ASSERT_TRUE(db_->Write([](store::Tx& tx) {
                   return tx.Exec(
                       "INSERT INTO soap_messages (service, operation, message_key, message_id, message_uuid, "
                       "queue_key, seq, head, status, user_name, client, language, soap_version, received_ms, "
                       "attempts, payload) VALUES ('S', 'Op', '', '', '', '', 0, 1, 'received', 'U', '100', 'EN', "
                       "'1.1', 0, 0, '<n0:R xmlns:n0=\"urn:t\"/>')",
                       {});
                 }).ok());
  ASSERT_TRUE(store::Migrate(*db_, SoapMigrations()).ok());
  core::ManualClock clock{core::FromUnixMillis(0)};
  MessageStore messages(*db_, clock);
  auto m = messages.Find(1, true);
  ASSERT_TRUE(m.ok() && m->has_value());
  EXPECT_EQ((*m)->payload, "<n0:R xmlns:n0=\"urn:t\"/>");
  EXPECT_EQ((*m)->user, "U");
}

CW_STORE_BACKENDS(PayloadMigrationTest);

}  // namespace
}  // namespace causeway::soap
