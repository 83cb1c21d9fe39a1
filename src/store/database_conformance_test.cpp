// The Database contract (database.h), run on every back end.
#include <gtest/gtest.h>

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <limits>
#include <mutex>
#include <thread>

#include "store/backend_fixture.h"
#include "store/shared_setting.h"

namespace causeway::store::testing {
namespace {

class DatabaseConformanceTest : public BackendTest {
 protected:
  void SetUp() override {
    BackendTest::SetUp();
    if (IsSkipped() || HasFatalFailure()) return;
    ASSERT_TRUE(db_->Write([](Tx& tx) { return tx.Exec("CREATE TABLE t (k TEXT PRIMARY KEY, v BIGINT NOT NULL)"); })
                    .ok());
  }
};
CW_STORE_BACKENDS(DatabaseConformanceTest);

TEST_P(DatabaseConformanceTest, WritesAreVisibleToReadsAndSurviveReopen) {
  ASSERT_TRUE(db_->Write([](Tx& tx) { return tx.Exec("INSERT INTO t VALUES (?, ?)", {Value("a"), Value(int64_t{1})}); })
                  .ok());
  EXPECT_EQ(CountRows("t"), 1);
  db_.reset();
  db_ = OpenNode();
  ASSERT_NE(db_, nullptr);
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

TEST_P(DatabaseConformanceTest, FailedCallbackRollsBackOnlyItsOwnChanges) {
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
  EXPECT_EQ(CountRows("t"), 30);
}

TEST_P(DatabaseConformanceTest, CallbackThatThrowsIsRolledBack) {
  Status st = db_->Write([](Tx& tx) -> Status {
    CW_RETURN_IF_ERROR(tx.Exec("INSERT INTO t VALUES ('x', 1)"));
    throw std::runtime_error("boom");
  });
  ASSERT_FALSE(st.ok());
  EXPECT_EQ(st.error().message_number, "004");
  EXPECT_NE(st.error().text.find("boom"), std::string::npos);
  EXPECT_EQ(CountRows("t"), 0);
}

TEST_P(DatabaseConformanceTest, ConstraintViolationsAreConflicts) {
  ASSERT_TRUE(db_->Write([](Tx& tx) { return tx.Exec("INSERT INTO t VALUES ('dup', 1)"); }).ok());
  struct Case {
    const char* name;
    const char* sql;
  };
  for (const Case& c : {Case{"unique", "INSERT INTO t VALUES ('dup', 2)"},
                        Case{"not null", "INSERT INTO t VALUES ('n', NULL)"}}) {
    Status st = db_->Write([&](Tx& tx) { return tx.Exec(c.sql); });
    ASSERT_FALSE(st.ok()) << c.name;
    EXPECT_EQ(st.error().code, core::Code::kConflict) << c.name << ": " << st.error().text;
    EXPECT_EQ(st.error().GatewayCode(), "CAUSEWAY/STORE/001") << c.name;
  }
  EXPECT_EQ(CountRows("t"), 1);
}

TEST_P(DatabaseConformanceTest, ValuesRoundTrip) {
  ASSERT_TRUE(db_->Write([](Tx& tx) {
                   return tx.Exec("CREATE TABLE u (id INTEGER PRIMARY KEY, i BIGINT, d DOUBLE PRECISION, s TEXT)");
                 }).ok());
  const int64_t kMax = std::numeric_limits<int64_t>::max(), kMin = std::numeric_limits<int64_t>::min();
  const std::string kText = "it's \"quoted\", ümlaut ✓ ? $1 -- not a comment";
  ASSERT_TRUE(db_->Write([&](Tx& tx) -> Status {
                   CW_RETURN_IF_ERROR(tx.Exec("INSERT INTO u VALUES (1, ?, ?, ?)", {Value(kMax), Value(0.1), Value(kText)}));
                   CW_RETURN_IF_ERROR(tx.Exec("INSERT INTO u VALUES (2, ?, ?, ?)", {Value(kMin), Value(-2.5e300), Value("")}));
                   return tx.Exec("INSERT INTO u VALUES (3, ?, ?, ?)", {Value(), Value(), Value()});
                 }).ok());
  std::vector<std::tuple<bool, int64_t, double, std::string, bool>> rows;
  ASSERT_TRUE(db_->Read([&](Tx& tx) {
                   return tx.Query("SELECT i, d, s FROM u ORDER BY id", {}, [&](const Row& r) {
                     EXPECT_EQ(r.ColumnCount(), 3);
                     rows.emplace_back(r.IsNull(0), r.Int(0), r.Real(1), r.String(2), r.IsNull(2));
                   });
                 }).ok());
  ASSERT_EQ(rows.size(), 3u);
  EXPECT_EQ(std::get<1>(rows[0]), kMax);
  EXPECT_EQ(std::get<2>(rows[0]), 0.1);  // exact: shortest round-trip text both ways
  EXPECT_EQ(std::get<3>(rows[0]), kText);
  EXPECT_EQ(std::get<1>(rows[1]), kMin);
  EXPECT_EQ(std::get<2>(rows[1]), -2.5e300);
  EXPECT_EQ(std::get<3>(rows[1]), "");
  EXPECT_FALSE(std::get<4>(rows[1]));  // empty text is not NULL
  EXPECT_TRUE(std::get<0>(rows[2]));
  EXPECT_EQ(std::get<1>(rows[2]), 0);  // NULL reads as 0, as in SQLite
  EXPECT_TRUE(std::get<4>(rows[2]));
}

TEST_P(DatabaseConformanceTest, NulAndIllFormedUtf8AreStoredAndLookedUpAsReplacements) {
  // What clients send in keys and texts may hold both; PostgreSQL refuses them, so every back
  // end binds core::StorableText: the same row on both, and a lookup with the raw bytes finds it.
  ASSERT_TRUE(db_->Write([](Tx& tx) { return tx.Exec("CREATE TABLE n (k TEXT PRIMARY KEY, s TEXT)"); }).ok());
  const std::string raw_key = "\xC3(", raw_text = std::string("a\0b\xFF", 4);
  ASSERT_TRUE(db_->Write([&](Tx& tx) { return tx.Exec("INSERT INTO n VALUES (?, ?)", {Value(raw_key), Value(raw_text)}); })
                  .ok());
  std::string key, text;
  ASSERT_TRUE(db_->Read([&](Tx& tx) {
                   return tx.Query("SELECT k, s FROM n WHERE k = ?", {Value(raw_key)}, [&](const Row& r) {
                     key = r.String(0);
                     text = r.String(1);
                   });
                 }).ok());
  EXPECT_EQ(key, "\xEF\xBF\xBD(");
  EXPECT_EQ(text, "a\xEF\xBF\xBD" "b\xEF\xBF\xBD");
}

TEST_P(DatabaseConformanceTest, ChangedCountsAffectedRows) {
  int64_t changed = -1;
  ASSERT_TRUE(db_->Write([&](Tx& tx) -> Status {
                   for (int i = 0; i < 5; ++i)
                     CW_RETURN_IF_ERROR(tx.Exec("INSERT INTO t VALUES (?, ?)", {Value("r" + std::to_string(i)), Value(int64_t{i})}));
                   return tx.Exec("UPDATE t SET v = v + 10 WHERE v >= ?", {Value(int64_t{2})}, &changed);
                 }).ok());
  EXPECT_EQ(changed, 3);
}

TEST_P(DatabaseConformanceTest, BadSqlIsAnErrorNotACrash) {
  Status st = db_->Write([](Tx& tx) { return tx.Exec("INSERT INTO nope VALUES (1)"); });
  ASSERT_FALSE(st.ok());
  EXPECT_NE(st.error().text.find("prepare"), std::string::npos) << st.error().text;
  Status wrong_params = db_->Write([](Tx& tx) { return tx.Exec("INSERT INTO t VALUES (?, ?)", {Value("a")}); });
  ASSERT_FALSE(wrong_params.ok());
  EXPECT_EQ(wrong_params.error().message_number, "002");
  // The store is still usable afterwards.
  EXPECT_TRUE(db_->Write([](Tx& tx) { return tx.Exec("INSERT INTO t VALUES ('ok', 1)"); }).ok());
  EXPECT_EQ(CountRows("t"), 1);
  EXPECT_EQ(db_->Health(), "ok");
}

TEST_P(DatabaseConformanceTest, ConcurrentWritersLoseNoUpdate) {
  ASSERT_TRUE(db_->Write([](Tx& tx) { return tx.Exec("INSERT INTO t VALUES ('counter', 0)"); }).ok());
  constexpr int kThreads = 16, kEach = 25;
  std::vector<std::thread> threads;
  std::atomic<int> failed{0};
  for (int i = 0; i < kThreads; ++i) {
    threads.emplace_back([&, i] {
      for (int j = 0; j < kEach; ++j) {
        Status st = db_->Write([&](Tx& tx) -> Status {
          CW_RETURN_IF_ERROR(tx.Exec("UPDATE t SET v = v + 1 WHERE k = 'counter'"));
          return tx.Exec("INSERT INTO t VALUES (?, ?)", {Value("w" + std::to_string(i) + "_" + std::to_string(j)), Value(int64_t{j})});
        });
        if (!st.ok()) ++failed;
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(failed.load(), 0);
  int64_t counter = -1;
  ASSERT_TRUE(db_->Read([&](Tx& tx) {
                   return tx.Query("SELECT v FROM t WHERE k = 'counter'", {}, [&](const Row& r) { counter = r.Int(0); });
                 }).ok());
  EXPECT_EQ(counter, kThreads * kEach);
  EXPECT_EQ(CountRows("t"), kThreads * kEach + 1);
}

TEST_P(DatabaseConformanceTest, ReadSeesOneSnapshotThroughout) {
  ASSERT_TRUE(db_->Write([](Tx& tx) { return tx.Exec("INSERT INTO t VALUES ('a', 1)"); }).ok());
  int64_t first = -1, second = -1;
  Status written;
  ASSERT_TRUE(db_->Read([&](Tx& tx) -> Status {
                   CW_RETURN_IF_ERROR(tx.Query("SELECT COUNT(*) FROM t", {}, [&](const Row& r) { first = r.Int(0); }));
                   // Another writer commits between the two statements of this read.
                   std::thread writer([&] { written = db_->Write([](Tx& w) { return w.Exec("INSERT INTO t VALUES ('b', 2)"); }); });
                   writer.join();
                   return tx.Query("SELECT COUNT(*) FROM t", {}, [&](const Row& r) { second = r.Int(0); });
                 }).ok());
  ASSERT_TRUE(written.ok());
  EXPECT_EQ(first, 1);
  EXPECT_EQ(second, 1);
  EXPECT_EQ(CountRows("t"), 2);
}

TEST_P(DatabaseConformanceTest, TwoNodesSeeEachOthersCommits) {
  auto other = OpenNode();
  ASSERT_NE(other, nullptr);
  ASSERT_TRUE(other->Write([](Tx& tx) { return tx.Exec("INSERT INTO t VALUES ('from-b', 1)"); }).ok());
  EXPECT_EQ(CountRows("t"), 1);  // read through the first node
}

TEST_P(DatabaseConformanceTest, NodesAskingForASharedSettingAtOnceAllGetTheFirstStored) {
  ASSERT_TRUE(
      db_->Write([](Tx& tx) { return tx.Exec("CREATE TABLE settings (name TEXT PRIMARY KEY, value TEXT NOT NULL)"); })
          .ok());
  std::vector<std::unique_ptr<Database>> nodes;
  for (int i = 0; i < 4; ++i) {
    nodes.push_back(OpenNode());
    ASSERT_NE(nodes.back(), nullptr);
  }
  std::vector<std::string> got(nodes.size() * 2);
  std::atomic<int> generated{0};
  std::vector<std::thread> threads;
  for (size_t i = 0; i < got.size(); ++i) {
    threads.emplace_back([&, i] {
      auto v = SharedSetting(*nodes[i % nodes.size()], "settings", "secret",
                             [&] { return "value-" + std::to_string(generated.fetch_add(1)); });
      got[i] = v.ok() ? *v : "error: " + v.error().text;
    });
  }
  for (auto& t : threads) t.join();
  ASSERT_GE(generated.load(), 1);
  for (const std::string& v : got) EXPECT_EQ(v, got[0]);
  EXPECT_EQ(got[0].rfind("value-", 0), 0u) << got[0];
  EXPECT_EQ(CountRows("settings"), 1);
  // Once stored, asking again neither generates nor changes it.
  auto again = SharedSetting(*db_, "settings", "secret", [] { return std::string("later"); });
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(*again, got[0]);
  // Another name is another value.
  auto other = SharedSetting(*db_, "settings", "other", [] { return std::string("second"); });
  ASSERT_TRUE(other.ok());
  EXPECT_EQ(*other, "second");
}

TEST_P(DatabaseConformanceTest, KindAndDialectNameTheBackEnd) {
  EXPECT_EQ(db_->Kind(), GetParam());
  EXPECT_EQ(db_->dialect(), postgres() ? Dialect::kPostgres : Dialect::kSqlite);
}

}  // namespace
}  // namespace causeway::store::testing
