#include "store/sqlite/sqlite_database.h"

#include <gtest/gtest.h>

#include <future>

#include <atomic>
#include <filesystem>
#include <latch>
#include <optional>
#include <set>
#include <thread>

#include "store/unit_of_work.h"

namespace causeway::store::sqlite {
namespace {

class SqliteDatabaseTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("cw_sqlite_" + std::to_string(::getpid()) + "_" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
    Reopen();
    ASSERT_TRUE(db_->Write([](Tx& tx) { return tx.Exec("CREATE TABLE t (k TEXT PRIMARY KEY, v INTEGER)"); }).ok());
  }
  void TearDown() override {
    db_.reset();
    std::filesystem::remove_all(dir_);
  }
  void Reopen() {
    db_.reset();
    auto r = SqliteDatabase::Open({.path = (dir_ / "db.sqlite").string()});
    ASSERT_TRUE(r.ok()) << r.error().text;
    db_ = std::move(r).value();
  }
  int64_t Count() {
    int64_t n = -1;
    EXPECT_TRUE(db_->Read([&](Tx& tx) {
                     return tx.Query("SELECT COUNT(*) FROM t", {}, [&](const Row& r) { n = r.Int(0); });
                   }).ok());
    return n;
  }

  std::filesystem::path dir_;
  std::unique_ptr<SqliteDatabase> db_;
};

TEST_F(SqliteDatabaseTest, WritesAreVisibleToReadsAndSurviveReopen) {
  ASSERT_TRUE(db_->Write([](Tx& tx) { return tx.Exec("INSERT INTO t VALUES (?, ?)", {Value("a"), Value(int64_t{1})}); })
                  .ok());
  EXPECT_EQ(Count(), 1);
  Reopen();
  std::string k;
  int64_t v = 0;
  ASSERT_TRUE(db_->Read([&](Tx& tx) {
                   return tx.Query("SELECT k, v FROM t", {}, [&](const Row& r) {
                     k = r.String(0);
                     v = r.Int(1);
                   });
                 }).ok());
  EXPECT_EQ(k, "a");
  EXPECT_EQ(v, 1);
}

TEST_F(SqliteDatabaseTest, FailedCallbackRollsBackOnlyItsOwnChanges) {
  // Fill the queue from several threads so that the writes share commits.
  std::vector<std::thread> threads;
  std::atomic<int> failures{0};
  for (int i = 0; i < 40; ++i) {
    threads.emplace_back([&, i] {
      Status st = db_->Write([i](Tx& tx) -> Status {
        CW_RETURN_IF_ERROR(tx.Exec("INSERT INTO t VALUES (?, ?)", {Value("k" + std::to_string(i)), Value(int64_t{i})}));
        if (i % 4 == 0) return core::MakeError(core::Code::kBadRequest, "T", "001", "rejected");
        return Status::Ok();
      });
      if (!st.ok()) {
        EXPECT_EQ(st.error().text, "rejected");
        ++failures;
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(failures.load(), 10);
  EXPECT_EQ(Count(), 30);
  EXPECT_EQ(db_->committed_writes(), 30u + 1u);  // + the CREATE TABLE
  EXPECT_LE(db_->commits(), 41u);
}

TEST_F(SqliteDatabaseTest, TransactionControlIsCompiledOncePerConnection) {
  auto insert = [](int i) {
    return [i](Tx& tx) { return tx.Exec("INSERT INTO t VALUES (?, ?)", {Value("p" + std::to_string(i)), Value(int64_t{i})}); };
  };
  auto failing = [](Tx& tx) -> Status {
    CW_RETURN_IF_ERROR(tx.Exec("INSERT INTO t VALUES ('never', 0)"));
    return core::MakeError(core::Code::kBadRequest, "T", "001", "rejected");
  };
  // Warm up every path once: a read, a write, a failing write (ROLLBACK TO).
  ASSERT_TRUE(db_->Write(insert(0)).ok());
  ASSERT_FALSE(db_->Write(failing).ok());
  EXPECT_EQ(Count(), 1);
  const uint64_t warm = db_->writer_statements_prepared();
  for (int i = 1; i <= 20; ++i) {
    ASSERT_TRUE(db_->Write(insert(i)).ok());
    Status st = db_->Write(failing);
    ASSERT_FALSE(st.ok());
    EXPECT_EQ(st.error().text, "rejected");
  }
  EXPECT_EQ(db_->writer_statements_prepared(), warm) << "BEGIN, SAVEPOINT, RELEASE, ROLLBACK TO, COMMIT compiled again";
  // The cached statements still work: the reads see every good write and no failed one.
  EXPECT_EQ(Count(), 21);
  int64_t never = -1;
  ASSERT_TRUE(db_->Read([&](Tx& tx) {
                   return tx.Query("SELECT COUNT(*) FROM t WHERE k = 'never'", {}, [&](const Row& r) { never = r.Int(0); });
                 }).ok());
  EXPECT_EQ(never, 0);
}

TEST_F(SqliteDatabaseTest, ConstraintViolationIsAConflict) {
  auto insert = [](Tx& tx) { return tx.Exec("INSERT INTO t VALUES ('dup', 1)"); };
  ASSERT_TRUE(db_->Write(insert).ok());
  Status st = db_->Write(insert);
  ASSERT_FALSE(st.ok());
  EXPECT_EQ(st.error().code, core::Code::kConflict);
  EXPECT_EQ(Count(), 1);
}

TEST_F(SqliteDatabaseTest, NullsAndRealsRoundTrip) {
  ASSERT_TRUE(db_->Write([](Tx& tx) {
                   return tx.Exec("CREATE TABLE u (a, b, c)", {});
                 }).ok());
  ASSERT_TRUE(db_->Write([](Tx& tx) {
                   return tx.Exec("INSERT INTO u VALUES (?, ?, ?)", {Value(), Value(2.5), Value("x")});
                 }).ok());
  bool null_a = false;
  double b = 0;
  ASSERT_TRUE(db_->Read([&](Tx& tx) {
                   return tx.Query("SELECT a, b, c FROM u", {}, [&](const Row& r) {
                     null_a = r.IsNull(0);
                     b = r.Real(1);
                     EXPECT_FALSE(r.OptInt(2) == std::nullopt);
                   });
                 }).ok());
  EXPECT_TRUE(null_a);
  EXPECT_DOUBLE_EQ(b, 2.5);
}

TEST_F(SqliteDatabaseTest, BadSqlIsAnErrorNotACrash) {
  Status st = db_->Write([](Tx& tx) { return tx.Exec("INSERT INTO nope VALUES (1)"); });
  ASSERT_FALSE(st.ok());
  EXPECT_NE(st.error().text.find("prepare"), std::string::npos);
  Status wrong_params = db_->Write([](Tx& tx) { return tx.Exec("INSERT INTO t VALUES (?, ?)", {Value("a")}); });
  EXPECT_FALSE(wrong_params.ok());
  EXPECT_EQ(db_->Health(), "ok");
}

// Commits do not wait for the disk; the syncer's fdatasync completes every write committed
// before it began, so many writes share one sync and the writer never waits for it.
TEST_F(SqliteDatabaseTest, AsyncWritesCompleteOnlyAfterASyncAndShareSyncs) {
  const uint64_t syncs_before = db_->syncs();
  constexpr int kWrites = 200;
  std::atomic<int> ok{0};
  std::latch all_done(kWrites);
  for (int i = 0; i < kWrites; ++i) {
    db_->WriteAsync([i](Tx& tx) { return tx.Exec("INSERT INTO t VALUES (?, ?)", {Value("k" + std::to_string(i)), Value(int64_t{i})}); },
                    [&](Status s) {
                      if (s.ok()) ++ok;
                      all_done.count_down();
                    });
  }
  all_done.wait();
  EXPECT_EQ(ok.load(), kWrites);
  EXPECT_EQ(Count(), kWrites);
  const uint64_t syncs = db_->syncs() - syncs_before;
  EXPECT_GE(syncs, 1u);
  EXPECT_LE(syncs, db_->commits());
  EXPECT_LT(syncs, static_cast<uint64_t>(kWrites)) << "writes should share syncs";
}

// BEGIN, SAVEPOINT, RELEASE, ROLLBACK TO and COMMIT are compiled once like every other
// statement: after the first writes (successful and failed) nothing is compiled again.
TEST_F(SqliteDatabaseTest, TransactionControlIsCompiledOnce) {
  auto write = [&](int i, bool fail) {
    return db_->Write([i, fail](Tx& tx) -> Status {
      CW_RETURN_IF_ERROR(tx.Exec("INSERT INTO t VALUES (?, ?)", {Value("c" + std::to_string(i)), Value(int64_t{i})}));
      if (fail) return core::MakeError(core::Code::kBadRequest, "TEST", "001", "undo this one");
      return Status::Ok();
    });
  };
  ASSERT_TRUE(write(0, false).ok());
  ASSERT_FALSE(write(1, true).ok());
  const uint64_t compiled = db_->writer_statements_prepared();
  for (int i = 2; i < 50; ++i) ASSERT_EQ(write(i, i % 3 == 0).ok(), i % 3 != 0);
  EXPECT_EQ(db_->writer_statements_prepared(), compiled);
  EXPECT_EQ(Count(), 1 + 48 - 16);  // c0, and c2..c49 without the multiples of 3
}

// Savepoint journals are kept in memory whatever their size: a callback that changes far more
// than SQLite's default spill size (64 KiB) inside nested savepoints still rolls back exactly
// what it must, and its neighbours in the group keep theirs.
TEST_F(SqliteDatabaseTest, LargeSavepointRollbacksStayExact) {
  const std::string big(2000, 'x');
  ASSERT_TRUE(db_->Write([&](Tx& tx) -> Status {
                   for (int i = 0; i < 500; ++i)
                     CW_RETURN_IF_ERROR(tx.Exec("INSERT INTO t VALUES (?, ?)", {Value(big + std::to_string(i)), Value(int64_t{i})}));
                   return Status::Ok();
                 }).ok());
  std::latch done(3);
  std::vector<Status> results(3);
  auto finish = [&](int i) { return [&, i](Status s) { results[i] = std::move(s); done.count_down(); }; };
  // 1: changes every row (about 1 MB of pages), rolls an inner savepoint back, keeps the rest.
  db_->WriteAsync(
      [](Tx& tx) -> Status {
        CW_RETURN_IF_ERROR(tx.Exec("UPDATE t SET v = v + 1000"));
        CW_RETURN_IF_ERROR(tx.Exec("SAVEPOINT inner_sp"));
        CW_RETURN_IF_ERROR(tx.Exec("UPDATE t SET v = -1"));
        CW_RETURN_IF_ERROR(tx.Exec("DELETE FROM t WHERE v = -1 AND length(k) > 2000"));
        CW_RETURN_IF_ERROR(tx.Exec("ROLLBACK TO inner_sp"));
        return tx.Exec("RELEASE inner_sp");
      },
      finish(0));
  // 2: changes every row again and fails: all of it undone.
  db_->WriteAsync(
      [](Tx& tx) -> Status {
        CW_RETURN_IF_ERROR(tx.Exec("UPDATE t SET v = 0"));
        return core::MakeError(core::Code::kBadRequest, "TEST", "001", "undo");
      },
      finish(1));
  db_->WriteAsync([](Tx& tx) { return tx.Exec("INSERT INTO t VALUES ('after', 7)"); }, finish(2));
  done.wait();
  EXPECT_TRUE(results[0].ok());
  EXPECT_FALSE(results[1].ok());
  EXPECT_TRUE(results[2].ok());
  int64_t sum = -1;
  ASSERT_TRUE(db_->Read([&](Tx& tx) {
                   return tx.Query("SELECT SUM(v) FROM t", {}, [&](const Row& r) { sum = r.Int(0); });
                 }).ok());
  EXPECT_EQ(sum, 499 * 500 / 2 + 500 * 1000 + 7);
  EXPECT_EQ(Count(), 501);
}

// Checkpoints run off the writer thread; under sustained writes the writer's catch-up at the cap
// lets the WAL be rewound, so it stays bounded; nothing is lost.
TEST_F(SqliteDatabaseTest, CheckpointsKeepTheWalBoundedUnderSustainedWrites) {
  db_.reset();
  auto r = SqliteDatabase::Open({.path = (dir_ / "db.sqlite").string(), .checkpoint_frames = 50, .checkpoint_cap_frames = 300});
  ASSERT_TRUE(r.ok()) << r.error().text;
  db_ = std::move(r).value();
  constexpr int kWrites = 3000;  // a page of its own each: about 3,000 frames in all
  const std::string value(3000, 'v');
  std::atomic<int> ok{0};
  std::latch done(kWrites);
  for (int i = 0; i < kWrites; ++i)
    db_->WriteAsync([&, i](Tx& tx) { return tx.Exec("INSERT INTO t VALUES (?, ?)", {Value(value + std::to_string(i)), Value(int64_t{i})}); },
                    [&](Status s) {
                      if (s.ok()) ++ok;
                      done.count_down();
                    });
  done.wait();
  EXPECT_EQ(ok.load(), kWrites);
  EXPECT_GT(db_->background_checkpoints() + db_->writer_checkpoints(), 0u);
  const auto wal_bytes = std::filesystem::file_size(dir_ / "db.sqlite-wal");
  EXPECT_LT(wal_bytes, 1500u * 4096u) << "the WAL was never rewound";
  Reopen();
  EXPECT_EQ(Count(), kWrites);
}

TEST_F(SqliteDatabaseTest, FailedAsyncWriteReportsItsOwnError) {
  std::promise<Status> result;
  db_->WriteAsync([](Tx& tx) { return tx.Exec("INSERT INTO nope VALUES (1)"); }, [&](Status s) { result.set_value(s); });
  Status s = result.get_future().get();
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(Count(), 0);
}

TEST_F(SqliteDatabaseTest, WritesCompletedBeforeCloseSurviveReopen) {
  std::latch done(50);
  for (int i = 0; i < 50; ++i)
    db_->WriteAsync([i](Tx& tx) { return tx.Exec("INSERT INTO t VALUES (?, ?)", {Value("r" + std::to_string(i)), Value(int64_t{i})}); },
                    [&](Status s) {
                      EXPECT_TRUE(s.ok());
                      done.count_down();
                    });
  done.wait();
  Reopen();
  EXPECT_EQ(Count(), 50);
}

// --- UnitOfWork on this back end ---

Status Insert(UnitOfWork& uow, std::string k, int64_t v) {
  uow.Add([k = std::move(k), v](Tx& tx) { return tx.Exec("INSERT INTO t VALUES (?, ?)", {Value(k), Value(v)}); });
  return Status::Ok();
}

TEST_F(SqliteDatabaseTest, UnitOfWorkCommitsAllOrNothing) {
  {
    UnitOfWork uow(*db_);
    std::vector<std::string> events;
    ASSERT_TRUE(Insert(uow, "a", 1).ok());
    ASSERT_TRUE(Insert(uow, "b", 2).ok());
    uow.OnCommit([&] { events.push_back("commit"); });
    uow.OnRollback([&] { events.push_back("rollback"); });
    ASSERT_TRUE(uow.Commit().ok());
    EXPECT_EQ(events, std::vector<std::string>{"commit"});
  }
  EXPECT_EQ(Count(), 2);
  {
    UnitOfWork uow(*db_);
    bool rolled_back = false, committed = false;
    ASSERT_TRUE(Insert(uow, "c", 3).ok());
    ASSERT_TRUE(Insert(uow, "a", 9).ok());  // duplicate key: the whole unit fails
    uow.OnCommit([&] { committed = true; });
    uow.OnRollback([&] { rolled_back = true; });
    Status s = uow.Commit();
    ASSERT_FALSE(s.ok());
    EXPECT_EQ(s.error().code, core::Code::kConflict);
    EXPECT_TRUE(rolled_back);
    EXPECT_FALSE(committed);
  }
  EXPECT_EQ(Count(), 2) << "'c' must not remain";
}

TEST_F(SqliteDatabaseTest, UnitOfWorkIdsAreNeverReusedEvenAtTheSameAddress) {
  // Units built one after the other in the same place (a worker's stack, here one optional),
  // the first one's commit possibly still in flight: each is another unit.
  std::optional<UnitOfWork> slot;
  std::set<uint64_t> ids;
  std::vector<std::shared_ptr<core::Completion>> commits;
  for (int i = 0; i < 5; ++i) {
    slot.emplace(*db_);
    ASSERT_TRUE(Insert(*slot, "u" + std::to_string(i), i).ok());
    ids.insert(slot->id());
    commits.push_back(slot->CommitAsync());
    EXPECT_EQ(ids.count(slot->id()), 1u);
    slot.reset();
  }
  EXPECT_EQ(ids.size(), 5u);
  EXPECT_EQ(ids.count(0), 0u);
  for (auto& c : commits) EXPECT_TRUE(c->Wait().ok());
  EXPECT_EQ(Count(), 5);
}

TEST_F(SqliteDatabaseTest, UnitOfWorkNotCommittedWritesNothingAndRunsOnRollback) {
  bool rolled_back = false, committed = false;
  {
    UnitOfWork uow(*db_);
    ASSERT_TRUE(Insert(uow, "x", 1).ok());
    uow.OnCommit([&] { committed = true; });
    uow.OnRollback([&] { rolled_back = true; });
  }
  EXPECT_TRUE(rolled_back);
  EXPECT_FALSE(committed);
  EXPECT_EQ(Count(), 0);
}

TEST_F(SqliteDatabaseTest, TransactStagesIntoTheCurrentUnitOrCommitsItsOwn) {
  auto op = [&](std::string k) { return Transact(*db_, [&](UnitOfWork& u) { return Insert(u, k, 1); }); };
  ASSERT_TRUE(op("own").ok());
  EXPECT_EQ(Count(), 1);  // committed before returning
  {
    UnitOfWork request(*db_);
    UnitOfWork::Scope scope(request);
    ASSERT_TRUE(op("staged1").ok());
    ASSERT_TRUE(op("staged2").ok());
    EXPECT_EQ(Count(), 1);  // staged, not written
    {
      UnitOfWork change_set(*db_);
      UnitOfWork::Scope inner(change_set);
      EXPECT_EQ(UnitOfWork::Current(), &change_set);
      ASSERT_TRUE(op("inner").ok());
      // not committed: dropped with the change set
    }
    EXPECT_EQ(UnitOfWork::Current(), &request);
    auto done = request.CommitAsync();
    ASSERT_TRUE(done->Wait().ok());
  }
  EXPECT_EQ(UnitOfWork::Current(), nullptr);
  EXPECT_EQ(Count(), 3);
}

}  // namespace
}  // namespace causeway::store::sqlite
