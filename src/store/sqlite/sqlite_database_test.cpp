#include "store/sqlite/sqlite_database.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <thread>

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

}  // namespace
}  // namespace causeway::store::sqlite
