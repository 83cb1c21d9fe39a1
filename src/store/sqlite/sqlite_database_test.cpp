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
  const uint64_t warm = db_->prepares();
  for (int i = 1; i <= 20; ++i) {
    ASSERT_TRUE(db_->Write(insert(i)).ok());
    Status st = db_->Write(failing);
    ASSERT_FALSE(st.ok());
    EXPECT_EQ(st.error().text, "rejected");
  }
  EXPECT_EQ(db_->prepares(), warm) << "BEGIN, SAVEPOINT, RELEASE, ROLLBACK TO, COMMIT compiled again";
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
