// What only the PostgreSQL back end does: retries, connection loss, session settings, the
// throw-away cluster of tests/support. The shared contract is in database_conformance_test.cpp.
#include "store/postgres/postgres_database.h"

#include <gtest/gtest.h>
#include <spdlog/sinks/ostream_sink.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <atomic>
#include <mutex>
#include <latch>
#include <sstream>
#include <thread>

#include "core/blocking.h"
#include "store/claim.h"
#include "tests/support/pg_cluster.h"

namespace causeway::store::postgres {
namespace {

using causeway::testing::PgCluster;

// Captures spdlog's output for the duration of a test.
class LogCapture {
 public:
  LogCapture() : previous_(spdlog::default_logger()) {
    auto logger = std::make_shared<spdlog::logger>("capture", std::make_shared<spdlog::sinks::ostream_sink_mt>(out_));
    logger->set_level(spdlog::level::info);
    spdlog::set_default_logger(logger);
  }
  ~LogCapture() { spdlog::set_default_logger(previous_); }
  std::string text() const { return out_.str(); }
  int Count(std::string_view needle) const {
    std::string s = out_.str();
    int n = 0;
    for (size_t p = s.find(needle); p != std::string::npos; p = s.find(needle, p + 1)) ++n;
    return n;
  }

 private:
  std::ostringstream out_;
  std::shared_ptr<spdlog::logger> previous_;
};

// Parameterized by Options::pipeline: both ways of talking to the server keep the contract.
class PostgresDatabaseTest : public ::testing::TestWithParam<bool> {
 protected:
  void SetUp() override {
    if (!PgCluster::Installed()) GTEST_SKIP() << "PostgreSQL 15 server not installed";
    std::string why;
    cluster_ = PgCluster::Shared(&why);
    ASSERT_NE(cluster_, nullptr) << why;
    dbname_ = std::string("pgtest_") + ::testing::UnitTest::GetInstance()->current_test_info()->name();
    auto conninfo = cluster_->CreateDatabase(dbname_);
    ASSERT_TRUE(conninfo.ok()) << conninfo.error().text;
    conninfo_ = *conninfo;
    dbname_ = conninfo_.substr(conninfo_.find("dbname=") + 7);
    dbname_ = dbname_.substr(0, dbname_.find(' '));
  }

  bool pipelined() const { return GetParam(); }
  std::unique_ptr<PostgresDatabase> Open(Options o = {}) {
    if (o.conninfo.empty()) o.conninfo = conninfo_;
    o.pipeline = pipelined();
    auto db = PostgresDatabase::Open(o);
    EXPECT_TRUE(db.ok()) << db.error().text;
    return db.ok() ? std::move(db).value() : nullptr;
  }

  static Status Exec(Database& db, std::string sql) {
    return db.Write([sql = std::move(sql)](Tx& tx) { return tx.Exec(sql); });
  }
  static std::string One(Database& db, const std::string& sql) {
    std::string v;
    Status st = db.Read([&](Tx& tx) { return tx.Query(sql, {}, [&](const Row& r) { v = r.String(0); }); });
    EXPECT_TRUE(st.ok()) << st.error().text;
    return v;
  }

  PgCluster* cluster_ = nullptr;
  std::string conninfo_, dbname_;
};
std::string ModeName(const ::testing::TestParamInfo<bool>& mode) { return mode.param ? "pipelined" : "one_by_one"; }
INSTANTIATE_TEST_SUITE_P(Modes, PostgresDatabaseTest, ::testing::Bool(), ModeName);

TEST_P(PostgresDatabaseTest, DeadlockIsRetriedTransparently) {
  auto db = Open();
  ASSERT_TRUE(Exec(*db, "CREATE TABLE acc (id BIGINT PRIMARY KEY, v BIGINT NOT NULL)").ok());
  ASSERT_TRUE(Exec(*db, "INSERT INTO acc VALUES (1, 0), (2, 0)").ok());
  // Each writer locks one row, waits until the other holds its row too, then wants the other's
  // row: a deadlock on the first run. The server aborts one; the store runs it again.
  std::latch both_locked(2);
  std::atomic<int> runs{0};
  auto writer = [&](int64_t first, int64_t second) {
    bool first_run = true;
    return db->Write([&, first, second, first_run](Tx& tx) mutable -> Status {
      ++runs;
      int64_t changed = 0;  // asking for the count makes a pipelined session wait: the lock is held
      CW_RETURN_IF_ERROR(tx.Exec("UPDATE acc SET v = v + 1 WHERE id = ?", {Value(first)}, &changed));
      if (first_run) both_locked.arrive_and_wait();
      first_run = false;
      return tx.Exec("UPDATE acc SET v = v + 1 WHERE id = ?", {Value(second)});
    });
  };
  Status a, b;
  std::thread ta([&] { a = writer(1, 2); }), tb([&] { b = writer(2, 1); });
  ta.join();
  tb.join();
  EXPECT_TRUE(a.ok()) << a.error().text;
  EXPECT_TRUE(b.ok()) << b.error().text;
  // Two first runs and at least one re-run of a deadlock victim (on a busy machine the re-run
  // may meet the other writer again), each re-run counted.
  EXPECT_GE(db->retries(), 1u);
  EXPECT_EQ(runs.load(), 2 + static_cast<int>(db->retries()));
  EXPECT_EQ(One(*db, "SELECT SUM(v) FROM acc"), "4");
}

TEST_P(PostgresDatabaseTest, SerializationFailureIsRetriedTransparently) {
  auto db = Open({.isolation = Isolation::kSerializable});
  ASSERT_TRUE(Exec(*db, "CREATE TABLE duty (doctor TEXT PRIMARY KEY, on_call BIGINT NOT NULL)").ok());
  ASSERT_TRUE(Exec(*db, "INSERT INTO duty VALUES ('a', 1), ('b', 1)").ok());
  // Write skew: both read "two on call", both take one off. SERIALIZABLE must refuse one.
  std::latch both_read(2);
  std::atomic<int> runs{0};
  auto off_call = [&](const std::string& who) {
    bool first_run = true;
    return db->Write([&, who, first_run](Tx& tx) mutable -> Status {
      ++runs;
      int64_t on = 0;
      CW_RETURN_IF_ERROR(tx.Query("SELECT COUNT(*) FROM duty WHERE on_call = 1", {}, [&](const Row& r) { on = r.Int(0); }));
      if (first_run) both_read.arrive_and_wait();
      first_run = false;
      if (on < 2) return Status::Ok();  // someone must stay on call
      return tx.Exec("UPDATE duty SET on_call = 0 WHERE doctor = ?", {Value(who)});
    });
  };
  Status a, b;
  std::thread ta([&] { a = off_call("a"); }), tb([&] { b = off_call("b"); });
  ta.join();
  tb.join();
  EXPECT_TRUE(a.ok()) << a.error().text;
  EXPECT_TRUE(b.ok()) << b.error().text;
  EXPECT_GE(db->retries(), 1u);
  EXPECT_EQ(runs.load(), 2 + static_cast<int>(db->retries()));
  EXPECT_EQ(One(*db, "SELECT COUNT(*) FROM duty WHERE on_call = 1"), "1");
}

TEST_P(PostgresDatabaseTest, RetriesStopAtMaxAttempts) {
  auto db = Open({.max_attempts = 3});
  std::atomic<int> runs{0};
  Status st = db->Write([&](Tx& tx) {
    ++runs;
    // What the server says on a serialization failure, raised on purpose.
    return tx.Exec("DO $$BEGIN RAISE EXCEPTION USING ERRCODE = '40001', MESSAGE = 'forced'; END$$");
  });
  ASSERT_FALSE(st.ok());
  EXPECT_EQ(runs.load(), 3);
  EXPECT_EQ(st.error().code, core::Code::kUnavailable);
  EXPECT_EQ(st.error().message_number, "007");
  EXPECT_NE(st.error().text.find("forced"), std::string::npos) << st.error().text;
}

TEST_P(PostgresDatabaseTest, ClaimsSkipRowsAnotherTransactionHolds) {
  auto db = Open();
  ASSERT_TRUE(Exec(*db, "CREATE TABLE q (id BIGINT PRIMARY KEY, lease_owner TEXT, lease_expires BIGINT)").ok());
  ASSERT_TRUE(Exec(*db, "INSERT INTO q (id) SELECT g FROM generate_series(1, 10) g").ok());
  ClaimSpec spec{.table = "q", .key_columns = {"id"}, .order_by = "id", .returning = {"id"}};
  auto claim = [&](Tx& tx, const std::string& owner, std::vector<int64_t>& ids) {
    ids.clear();
    return Claim(tx, Dialect::kPostgres, spec, {.owner = owner, .lease_until_ms = 100, .now_ms = 0, .limit = 4},
                 [&](const Row& r) { ids.push_back(r.Int(0)); });
  };
  // A claims and keeps its transaction open until B has claimed: B must neither wait for A's
  // rows nor get them.
  std::latch a_claimed(1), b_done(1);
  std::vector<int64_t> a_ids, b_ids;
  Status a;
  std::thread ta([&] {
    a = db->Write([&](Tx& tx) -> Status {
      CW_RETURN_IF_ERROR(claim(tx, "a", a_ids));
      a_claimed.count_down();
      b_done.wait();
      return Status::Ok();
    });
  });
  a_claimed.wait();
  auto other = Open({.statement_timeout_ms = 10000});  // a wait on A's locks would fail, not hang
  Status b = other->Write([&](Tx& tx) { return claim(tx, "b", b_ids); });
  b_done.count_down();
  ta.join();
  ASSERT_TRUE(a.ok()) << a.error().text;
  ASSERT_TRUE(b.ok()) << b.error().text;
  EXPECT_EQ(a_ids, (std::vector<int64_t>{1, 2, 3, 4}));
  EXPECT_EQ(b_ids, (std::vector<int64_t>{5, 6, 7, 8}));
}

TEST_P(PostgresDatabaseTest, TerminatedBackendsAreReplacedWithOneLogLinePair) {
  LogCapture log;
  // Over TCP with the password in the URI: it must appear in no log line and no error.
  std::string uri = cluster_->TcpUri(dbname_);
  auto db = Open({.conninfo = uri, .pool_size = 4});
  ASSERT_TRUE(Exec(*db, "CREATE TABLE t (k BIGINT PRIMARY KEY)").ok());
  // Open all four pooled connections by holding four transactions at once.
  std::latch all_in(4);
  std::vector<std::thread> warm;
  for (int i = 0; i < 4; ++i)
    warm.emplace_back([&, i] {
      EXPECT_TRUE(db->Write([&, i, first_run = true](Tx& tx) mutable -> Status {
                      if (first_run) all_in.arrive_and_wait();
                      first_run = false;
                      return tx.Exec("INSERT INTO t VALUES (?)", {Value(int64_t{i})});
                    }).ok());
    });
  for (auto& t : warm) t.join();

  auto killed = cluster_->TerminateBackends(dbname_);
  ASSERT_TRUE(killed.ok()) << killed.error().text;
  EXPECT_EQ(*killed, 4);

  // Every call after the kill succeeds: the dead connections are found and replaced.
  for (int i = 10; i < 20; ++i) {
    Status st = db->Write([i](Tx& tx) { return tx.Exec("INSERT INTO t VALUES (?)", {Value(int64_t{i})}); });
    EXPECT_TRUE(st.ok()) << st.error().text;
  }
  EXPECT_EQ(One(*db, "SELECT COUNT(*) FROM t"), "14");
  EXPECT_EQ(db->Health(), "ok");
  EXPECT_EQ(db->reconnects(), 1u);
  EXPECT_EQ(log.Count("lost the connection"), 1) << log.text();
  EXPECT_EQ(log.Count("re-established"), 1) << log.text();
  EXPECT_EQ(log.text().find(cluster_->password()), std::string::npos);
  EXPECT_NE(log.text().find("user=causeway"), std::string::npos) << log.text();
}

TEST_P(PostgresDatabaseTest, ConnectionLostBeforeCommitIsRetriedOnANewOne) {
  auto db = Open();
  ASSERT_TRUE(Exec(*db, "CREATE TABLE t (k BIGINT PRIMARY KEY)").ok());
  std::atomic<int> runs{0};
  Status st = db->Write([&](Tx& tx) -> Status {
    CW_RETURN_IF_ERROR(tx.Exec("INSERT INTO t VALUES (1)"));
    if (++runs == 1) {
      // The first run's backend dies under it, before COMMIT is sent.
      CW_RETURN_IF_ERROR(tx.Query("SELECT pg_terminate_backend(pg_backend_pid())", {}, [](const Row&) {}));
    }
    return tx.Exec("INSERT INTO t VALUES (2)");
  });
  EXPECT_TRUE(st.ok()) << st.error().text;
  EXPECT_EQ(runs.load(), 2);
  EXPECT_EQ(db->retries(), 1u);
  EXPECT_EQ(One(*db, "SELECT COUNT(*) FROM t"), "2");
}

TEST_P(PostgresDatabaseTest, ServerOutageDegradesHealthUntilItIsBack) {
  LogCapture log;
  auto db = Open({.conninfo = cluster_->TcpUri(dbname_), .reconnect_wait_ms = 300});
  ASSERT_TRUE(Exec(*db, "CREATE TABLE t (k BIGINT PRIMARY KEY)").ok());
  ASSERT_TRUE(cluster_->StopServer().ok());
  Status down = db->Write([](Tx& tx) { return tx.Exec("INSERT INTO t VALUES (1)"); });
  Status read_down = db->Read([](Tx& tx) { return tx.Exec("SELECT 1"); });
  std::string health_down = db->Health();
  ASSERT_TRUE(cluster_->StartServer().ok());

  ASSERT_FALSE(down.ok());
  EXPECT_EQ(down.error().code, core::Code::kUnavailable);
  EXPECT_EQ(down.error().message_number, "005");
  EXPECT_FALSE(read_down.ok());
  EXPECT_TRUE(health_down.starts_with("unavailable: ")) << health_down;
  EXPECT_EQ(down.error().text.find(cluster_->password()), std::string::npos);
  EXPECT_EQ(health_down.find(cluster_->password()), std::string::npos);

  Status up = db->Write([](Tx& tx) { return tx.Exec("INSERT INTO t VALUES (2)"); });
  EXPECT_TRUE(up.ok()) << up.error().text;
  EXPECT_EQ(db->Health(), "ok");
  EXPECT_EQ(One(*db, "SELECT COUNT(*) FROM t"), "1");
  EXPECT_EQ(log.Count("re-established"), 1) << log.text();
  EXPECT_EQ(log.text().find(cluster_->password()), std::string::npos);
}

TEST_P(PostgresDatabaseTest, WrongCredentialsFailAtOpenWithoutShowingThePassword) {
  std::string uri = cluster_->TcpUri(dbname_);
  std::string wrong = uri;
  wrong.replace(wrong.find(cluster_->password()), cluster_->password().size(), "Wr0ngSecret");
  auto db = PostgresDatabase::Open({.conninfo = wrong});
  ASSERT_FALSE(db.ok());
  EXPECT_EQ(db.error().code, core::Code::kUnavailable);
  EXPECT_EQ(db.error().text.find("Wr0ngSecret"), std::string::npos) << db.error().text;
  EXPECT_NE(db.error().text.find("password authentication failed"), std::string::npos) << db.error().text;

  // The password given apart from the connection string (as read from a file) is used, and
  // wins over a wrong one in the string; a wrong one is not shown either.
  auto with_option = PostgresDatabase::Open({.conninfo = wrong, .password = cluster_->password()});
  EXPECT_TRUE(with_option.ok()) << with_option.error().text;
  auto wrong_option = PostgresDatabase::Open({.conninfo = uri, .password = "Wr0ngOption"});
  ASSERT_FALSE(wrong_option.ok());
  EXPECT_EQ(wrong_option.error().text.find("Wr0ngOption"), std::string::npos) << wrong_option.error().text;

  auto malformed = PostgresDatabase::Open({.conninfo = "host=x password=Wr0ngSecret port"});
  ASSERT_FALSE(malformed.ok());
  EXPECT_EQ(malformed.error().text.find("Wr0ngSecret"), std::string::npos) << malformed.error().text;
}

TEST_P(PostgresDatabaseTest, SessionKeepsSynchronousCommitOnAndTheStatementTimeout) {
  ASSERT_TRUE(cluster_->AdminQuery("ALTER DATABASE " + dbname_ + " SET synchronous_commit = off").ok());
  auto db = Open({.statement_timeout_ms = 100});
  EXPECT_EQ(One(*db, "SELECT current_setting('synchronous_commit')"), "on");
  EXPECT_EQ(One(*db, "SELECT current_setting('statement_timeout')"), "100ms");
  Status slow = db->Read([](Tx& tx) { return tx.Exec("SELECT pg_sleep(30)"); });
  ASSERT_FALSE(slow.ok());
  EXPECT_EQ(slow.error().code, core::Code::kUnavailable);
  EXPECT_EQ(slow.error().message_number, "010");
}

TEST_P(PostgresDatabaseTest, ACallbackCannotCommitPastAFailedStatement) {
  auto db = Open();
  ASSERT_TRUE(Exec(*db, "CREATE TABLE t (k BIGINT PRIMARY KEY)").ok());
  Status next;
  Status st = db->Write([&](Tx& tx) -> Status {
    (void)tx.Exec("INSERT INTO t VALUES (1)");
    (void)tx.Exec("INSERT INTO t VALUES (1)");  // fails; the callback wrongly carries on
    next = tx.Exec("INSERT INTO t VALUES (2)");
    return Status::Ok();
  });
  ASSERT_FALSE(st.ok());
  if (pipelined()) {
    // The failure surfaced only at COMMIT: the Write reports it as it is.
    EXPECT_EQ(st.error().code, core::Code::kConflict) << st.error().text;
    EXPECT_TRUE(next.ok());
  } else {
    EXPECT_EQ(st.error().message_number, "011");
    ASSERT_FALSE(next.ok());
    EXPECT_EQ(next.error().message_number, "011");
  }
  EXPECT_EQ(One(*db, "SELECT COUNT(*) FROM t"), "0");
}

TEST_P(PostgresDatabaseTest, AQueryAfterAFailedStatementReportsThatFailure) {
  auto db = Open();
  ASSERT_TRUE(Exec(*db, "CREATE TABLE t (k BIGINT PRIMARY KEY)").ok());
  Status query;
  Status st = db->Write([&](Tx& tx) -> Status {
    CW_RETURN_IF_ERROR(tx.Exec("INSERT INTO t VALUES (1)"));
    CW_RETURN_IF_ERROR(tx.Exec("INSERT INTO t VALUES (1)"));  // pipelined: "ok" until the next wait
    query = tx.Query("SELECT COUNT(*) FROM t", {}, [](const Row&) {});
    return query;
  });
  ASSERT_FALSE(st.ok());
  EXPECT_EQ(st.error().code, core::Code::kConflict) << st.error().text;
  EXPECT_NE(st.error().text.find("23505"), std::string::npos) << st.error().text;
  EXPECT_EQ(One(*db, "SELECT COUNT(*) FROM t"), "0");
}

TEST_P(PostgresDatabaseTest, ManyStatementsInOneWriteAllLand) {
  // More statements than a pipeline keeps in flight: the session waits in between.
  auto db = Open();
  ASSERT_TRUE(Exec(*db, "CREATE TABLE t (k BIGINT PRIMARY KEY, v TEXT NOT NULL)").ok());
  ASSERT_TRUE(db->Write([](Tx& tx) -> Status {
                   for (int64_t k = 0; k < 500; ++k)
                     CW_RETURN_IF_ERROR(tx.Exec("INSERT INTO t VALUES (?, ?)", {Value(k), Value(std::string(200, 'x'))}));
                   return Status::Ok();
                 }).ok());
  EXPECT_EQ(One(*db, "SELECT COUNT(*) FROM t"), "500");
  // A bad statement deep in the batch fails the whole Write, and names the statement's error.
  Status st = db->Write([](Tx& tx) -> Status {
    for (int64_t k = 1000; k < 1100; ++k)
      CW_RETURN_IF_ERROR(tx.Exec("INSERT INTO t VALUES (?, ?)", {Value(k == 1070 ? int64_t{3} : k), Value("y")}));
    return Status::Ok();
  });
  ASSERT_FALSE(st.ok());
  EXPECT_EQ(st.error().code, core::Code::kConflict);
  EXPECT_EQ(One(*db, "SELECT COUNT(*) FROM t"), "500");
}

TEST_P(PostgresDatabaseTest, ReadsAreReadOnly) {
  auto db = Open();
  ASSERT_TRUE(Exec(*db, "CREATE TABLE t (k BIGINT)").ok());
  Status st = db->Read([](Tx& tx) { return tx.Exec("INSERT INTO t VALUES (1)"); });
  ASSERT_FALSE(st.ok());
  EXPECT_NE(st.error().text.find("25006"), std::string::npos) << st.error().text;
}

TEST_P(PostgresDatabaseTest, PoolNeverOpensMoreThanItsSize) {
  auto db = Open({.pool_size = 3, .application_name = "cw_pool_test"});
  std::latch started(8);
  std::vector<std::thread> threads;
  for (int i = 0; i < 8; ++i)
    threads.emplace_back([&] {
      started.arrive_and_wait();
      for (int j = 0; j < 10; ++j) EXPECT_TRUE(db->Read([](Tx& tx) { return tx.Exec("SELECT 1"); }).ok());
    });
  for (auto& t : threads) t.join();
  auto n = cluster_->AdminQuery("SELECT COUNT(*) FROM pg_stat_activity WHERE application_name = 'cw_pool_test'");
  ASSERT_TRUE(n.ok());
  EXPECT_LE(std::stoi(*n), 3);
  EXPECT_GE(std::stoi(*n), 1);
}

// What a node's change feed heard: notices by payload, and the nulls ("forget everything").
struct Heard {
  std::mutex mu;
  std::vector<std::string> payloads;
  int resets = 0;
  ChangeFeed::OnNotice Listener() {
    return [this](const Notice* n) {
      std::lock_guard lock(mu);
      if (n == nullptr) ++resets;
      else payloads.emplace_back(std::string(n->channel) + ":" + std::string(n->payload));
    };
  }
  bool Has(const std::string& p) {
    std::lock_guard lock(mu);
    return std::find(payloads.begin(), payloads.end(), p) != payloads.end();
  }
  int Resets() {
    std::lock_guard lock(mu);
    return resets;
  }
};

// Sync() answers false until the feed's session listens; the first true one is the start.
bool SyncWithin(ChangeFeed& feed, std::chrono::seconds limit) {
  const auto deadline = std::chrono::steady_clock::now() + limit;
  while (std::chrono::steady_clock::now() < deadline)
    if (feed.Sync(std::chrono::milliseconds(200))) return true;
  return false;
}

// A write that changes a row and queues a notice of it (Tx::Notify).
Status Notify(Database& db, const std::string& channel, const std::string& payload, bool fail = false) {
  return db.Write([=](Tx& tx) -> Status {
    CW_RETURN_IF_ERROR(tx.Exec("CREATE TABLE IF NOT EXISTS changes (k TEXT PRIMARY KEY)"));
    CW_RETURN_IF_ERROR(tx.Exec("INSERT INTO changes VALUES (?) ON CONFLICT DO NOTHING", {Value(payload)}));
    tx.Notify(channel, payload);
    tx.Notify(channel, payload);  // sent once
    if (fail) return core::MakeError(core::Code::kConflict, "TEST", "001", "rolled back on purpose");
    return Status::Ok();
  });
}

TEST_P(PostgresDatabaseTest, ChangeFeedSyncSeesEveryNoticeCommittedBeforeIt) {
  auto writer = Open();   // another node
  auto reader = Open();
  Heard heard;
  auto feed = reader->Listen({"cw_jobs", "cw_templates"}, heard.Listener());
  ASSERT_NE(feed, nullptr);
  ASSERT_TRUE(SyncWithin(*feed, std::chrono::seconds(10)));
  EXPECT_EQ(heard.Resets(), 1);  // the start: nothing cached may be trusted
  // The barrier: a notice committed before Sync() was called has been handed over when it
  // returns, every time, without waiting for anything else.
  for (int i = 0; i < 200; ++i) {
    const std::string key = "k" + std::to_string(i);
    ASSERT_TRUE(Notify(*writer, i % 2 ? "cw_jobs" : "cw_templates", key).ok());
    ASSERT_TRUE(feed->Sync(std::chrono::seconds(5)));
    ASSERT_TRUE(heard.Has((i % 2 ? "cw_jobs:" : "cw_templates:") + key)) << i;
  }
  // The same barrier without a waiting thread (a request parked on an I/O thread), also many
  // at once: each completion vouches for the notices committed before its call.
  for (int i = 0; i < 50; ++i) {
    const std::string key = "a" + std::to_string(i);
    ASSERT_TRUE(Notify(*writer, "cw_jobs", key).ok());
    std::vector<std::shared_ptr<core::Completion>> barriers;
    for (int k = 0; k < 4; ++k) barriers.push_back(feed->SyncAsync(std::chrono::seconds(5)));
    ASSERT_TRUE(barriers[0]->Wait().ok());
    ASSERT_TRUE(heard.Has("cw_jobs:" + key)) << i;
    for (auto& b : barriers) EXPECT_TRUE(b->Wait().ok());
  }
  // Rolled back: never heard. Another channel: never heard. This process's own: heard.
  ASSERT_FALSE(Notify(*writer, "cw_jobs", "rolled-back", /*fail=*/true).ok());
  ASSERT_TRUE(Notify(*writer, "cw_other", "elsewhere").ok());
  ASSERT_TRUE(Notify(*reader, "cw_jobs", "own").ok());
  ASSERT_TRUE(feed->Sync(std::chrono::seconds(5)));
  EXPECT_TRUE(heard.Has("cw_jobs:own"));
  {
    std::lock_guard lock(heard.mu);
    EXPECT_EQ(std::count(heard.payloads.begin(), heard.payloads.end(), "cw_jobs:own"), 1);
  }
  // A payload that needs quoting arrives as written; a read's notices are never sent.
  ASSERT_TRUE(Notify(*writer, "cw_jobs", "it's a 'key'/00000001").ok());
  ASSERT_TRUE(reader->Read([](Tx& tx) {
                      tx.Notify("cw_jobs", "from-a-read");
                      return tx.Exec("SELECT 1");
                    }).ok());
  ASSERT_TRUE(feed->Sync(std::chrono::seconds(5)));
  EXPECT_TRUE(heard.Has("cw_jobs:it's a 'key'/00000001"));
  EXPECT_FALSE(heard.Has("cw_jobs:from-a-read"));
  EXPECT_FALSE(heard.Has("cw_jobs:rolled-back"));
  EXPECT_FALSE(heard.Has("cw_other:elsewhere"));
}

TEST_P(PostgresDatabaseTest, ChangeFeedReportsALostSessionAndListensAgain) {
  LogCapture log;
  auto writer = Open();
  auto reader = Open({.conninfo = cluster_->TcpUri(dbname_), .application_name = "cw_feed_test"});
  Heard heard;
  auto feed = reader->Listen({"cw_jobs"}, heard.Listener());
  ASSERT_NE(feed, nullptr);
  ASSERT_TRUE(SyncWithin(*feed, std::chrono::seconds(10)));
  auto killed = cluster_->AdminQuery(
      "SELECT COUNT(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE application_name = 'cw_feed_test (feed)'");
  ASSERT_TRUE(killed.ok()) << killed.error().text;
  ASSERT_EQ(*killed, "1");
  // A barrier asked for as the session breaks fails (read the store) rather than hanging.
  auto during_loss = feed->SyncAsync(std::chrono::seconds(5));
  // Listening again: the loss and the new start were both reported as "forget everything",
  // and notices flow again.
  ASSERT_TRUE(Notify(*writer, "cw_jobs", "during").ok());
  ASSERT_TRUE(SyncWithin(*feed, std::chrono::seconds(10)));
  EXPECT_GE(heard.Resets(), 3);
  EXPECT_TRUE(during_loss->done());
  ASSERT_TRUE(Notify(*writer, "cw_jobs", "after").ok());
  ASSERT_TRUE(feed->SyncAsync(std::chrono::seconds(5))->Wait().ok());
  EXPECT_TRUE(heard.Has("cw_jobs:after"));
  ASSERT_TRUE(feed->Sync(std::chrono::seconds(5)));
  EXPECT_TRUE(heard.Has("cw_jobs:after"));
  EXPECT_EQ(log.Count("change feed lost its connection"), 1) << log.text();
  EXPECT_EQ(log.text().find(cluster_->password()), std::string::npos);
}

// An I/O thread never waits on the network (core/blocking.h): its handler hands over instead.
TEST_P(PostgresDatabaseTest, WhereWaitingIsForbiddenReadsAndWritesAnswerWouldBlock) {
  auto db = Open();
  bool ran = false;
  {
    core::NonBlockingScope io_thread;
    Status read = db->Read([&](Tx& tx) {
      ran = true;
      return tx.Exec("SELECT 1");
    });
    ASSERT_FALSE(read.ok());
    EXPECT_TRUE(core::IsWouldBlock(read.error()));
    Status write = db->Write([&](Tx& tx) {
      ran = true;
      return tx.Exec("SELECT 1");
    });
    ASSERT_FALSE(write.ok());
    EXPECT_TRUE(core::IsWouldBlock(write.error()));
  }
  EXPECT_FALSE(ran);
  EXPECT_TRUE(db->Read([](Tx& tx) { return tx.Exec("SELECT 1"); }).ok());
}

TEST_P(PostgresDatabaseTest, ChangeFeedRefusesChannelNamesItCannotQuote) {
  auto db = Open();
  for (const std::string& bad : std::vector<std::string>{"", "Jobs", "jobs;DROP", "1jobs", std::string(64, 'a'), "job-s"})
    EXPECT_EQ(db->Listen({bad}, [](const Notice*) {}), nullptr) << bad;
}

}  // namespace
}  // namespace causeway::store::postgres
