// store::Claim on every back end: no row is handed out twice, expired leases come back.
#include "store/claim.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <latch>
#include <set>
#include <thread>

#include "store/backend_fixture.h"

namespace causeway::store::testing {
namespace {

ClaimSpec QueueSpec() {
  return ClaimSpec{.table = "q",
                   .key_columns = {"id"},
                   .ready = "kind = ? AND due <= ?",
                   .order_by = "due, id",
                   .returning = {"id", "lease_owner"}};
}

class ClaimTest : public BackendTest {
 protected:
  void SetUp() override {
    BackendTest::SetUp();
    if (IsSkipped() || HasFatalFailure()) return;
    ASSERT_TRUE(db_->Write([](Tx& tx) -> Status {
                     CW_RETURN_IF_ERROR(tx.Exec(
                         "CREATE TABLE q (id BIGINT PRIMARY KEY, kind TEXT NOT NULL, due BIGINT NOT NULL, "
                         "lease_owner TEXT, lease_expires BIGINT)"));
                     // 200 ready rows of kind 'a', 20 of kind 'b', 10 'a' rows due in the future.
                     for (int64_t id = 1; id <= 230; ++id) {
                       std::string kind = id > 200 && id <= 220 ? "b" : "a";
                       int64_t due = id > 220 ? 1'000'000 : id;
                       CW_RETURN_IF_ERROR(tx.Exec("INSERT INTO q (id, kind, due) VALUES (?, ?, ?)",
                                                  {Value(id), Value(kind), Value(due)}));
                     }
                     return Status::Ok();
                   }).ok());
  }

  // One claim in its own Write; returns the claimed ids. `lock_then_stamp`: LockReady, then the
  // lease written by an UPDATE of each row, as a caller that rewrites its rows anyway does.
  std::vector<int64_t> ClaimOnce(Database& db, const std::string& owner, int64_t now, int64_t lease_until,
                                 int64_t limit, bool lock_then_stamp = false) {
    std::vector<int64_t> ids;
    Status st = db.Write([&](Tx& tx) -> Status {
      ids.clear();  // the callback may run again
      ClaimRequest req{.owner = owner, .lease_until_ms = lease_until, .now_ms = now, .limit = limit,
                       .ready_params = {Value("a"), Value(now)}};
      if (!lock_then_stamp)
        return Claim(tx, db.dialect(), QueueSpec(), req, [&](const Row& r) {
          EXPECT_EQ(r.String(1), owner);
          ids.push_back(r.Int(0));
        });
      CW_RETURN_IF_ERROR(LockReady(tx, db.dialect(), QueueSpec(), req, [&](const Row& r) { ids.push_back(r.Int(0)); }));
      for (int64_t id : ids)
        CW_RETURN_IF_ERROR(tx.Exec("UPDATE q SET lease_owner = ?, lease_expires = ? WHERE id = ?",
                                   {Value(owner), Value(lease_until), Value(id)}));
      return Status::Ok();
    });
    EXPECT_TRUE(st.ok()) << st.error().text;
    std::sort(ids.begin(), ids.end());
    return ids;
  }
};
CW_STORE_BACKENDS(ClaimTest);

TEST_P(ClaimTest, TwoClaimersNeverGetTheSameRow) {
  for (bool lock_then_stamp : {false, true}) {
    SCOPED_TRACE(lock_then_stamp ? "LockReady" : "Claim");
    if (lock_then_stamp) {
      ASSERT_TRUE(db_->Write([](Tx& tx) { return tx.Exec("UPDATE q SET lease_owner = NULL, lease_expires = NULL"); }).ok());
    }
    auto other = OpenNode();
    ASSERT_NE(other, nullptr);
    std::vector<int64_t> got[2];
    auto claimer = [&](Database& db, int who) {
      const std::string owner = who == 0 ? "node-a" : "node-b";
      for (;;) {
        std::vector<int64_t> ids =
            ClaimOnce(db, owner, /*now=*/500, /*lease_until=*/10'000, /*limit=*/7, lock_then_stamp);
        if (ids.empty()) return;
        got[who].insert(got[who].end(), ids.begin(), ids.end());
      }
    };
    std::thread a(claimer, std::ref(*db_), 0), b(claimer, std::ref(*other), 1);
    a.join();
    b.join();
    std::set<int64_t> all(got[0].begin(), got[0].end());
    all.insert(got[1].begin(), got[1].end());
    EXPECT_EQ(got[0].size() + got[1].size(), all.size()) << "a row was claimed twice";
    ASSERT_EQ(all.size(), 200u);  // every ready 'a' row, no 'b' row, none due later
    EXPECT_EQ(*all.begin(), 1);
    EXPECT_EQ(*all.rbegin(), 200);
  }
}

TEST_P(ClaimTest, LockReadyTakesWhatAClaimWouldInItsOrder) {
  auto locked = ClaimOnce(*db_, "node-a", /*now=*/5, /*lease_until=*/1000, /*limit=*/10, true);
  EXPECT_EQ(locked, (std::vector<int64_t>{1, 2, 3, 4, 5}));
  EXPECT_EQ(ClaimOnce(*db_, "node-b", /*now=*/8, 2000, 2, true), (std::vector<int64_t>{6, 7}));
  EXPECT_EQ(ClaimOnce(*db_, "node-c", /*now=*/1000, 3000, 3, true), (std::vector<int64_t>{1, 2, 3}));
}

TEST_P(ClaimTest, ExpiredLeasesAreClaimedAgainAndLiveOnesAreNot) {
  auto first = ClaimOnce(*db_, "node-a", /*now=*/0, /*lease_until=*/1000, /*limit=*/5);
  EXPECT_EQ(first, (std::vector<int64_t>{}));  // nothing is due at 0 (due starts at 1)
  first = ClaimOnce(*db_, "node-a", /*now=*/5, /*lease_until=*/1000, /*limit=*/10);
  EXPECT_EQ(first, (std::vector<int64_t>{1, 2, 3, 4, 5}));  // in `due` order, only those due
  auto second = ClaimOnce(*db_, "node-b", /*now=*/8, /*lease_until=*/2000, /*limit=*/10);
  EXPECT_EQ(second, (std::vector<int64_t>{6, 7, 8}));
  EXPECT_EQ(ClaimOnce(*db_, "node-c", /*now=*/8, 3000, 10), (std::vector<int64_t>{}));  // all leased
  // At 1000 node-a's leases have expired (expiry <= now); node-b's run until 2000.
  auto again = ClaimOnce(*db_, "node-c", /*now=*/1000, 3000, 8);
  EXPECT_EQ(again, (std::vector<int64_t>{1, 2, 3, 4, 5, 9, 10, 11}));
  int64_t owned_by_c = -1;
  ASSERT_TRUE(db_->Read([&](Tx& tx) {
                   return tx.Query("SELECT COUNT(*) FROM q WHERE lease_owner = 'node-c' AND lease_expires = 3000", {},
                                   [&](const Row& r) { owned_by_c = r.Int(0); });
                 }).ok());
  EXPECT_EQ(owned_by_c, 8);
}

TEST(ClaimSqlTest, LockReadySelectsTheSameRows) {
  ClaimSpec spec{.table = "jobs", .key_columns = {"job_name", "run_count"}, .ready = "status = 'S'",
                 .order_by = "planned_start", .returning = {"job_name", "run_count", "text"}};
  EXPECT_EQ(LockReadySql(Dialect::kPostgres, spec, 4),
            "SELECT job_name, run_count, text FROM jobs WHERE (status = 'S') AND (lease_owner IS NULL OR "
            "lease_expires <= ?) ORDER BY planned_start LIMIT 4 FOR UPDATE SKIP LOCKED");
  EXPECT_EQ(LockReadySql(Dialect::kSqlite, spec, 4),
            "SELECT job_name, run_count, text FROM jobs WHERE (status = 'S') AND (lease_owner IS NULL OR "
            "lease_expires <= ?) ORDER BY planned_start LIMIT 4");
}

TEST(ClaimSqlTest, PostgresSkipsLockedRowsAndSqliteNeedsNot) {
  ClaimSpec spec{.table = "jobs", .key_columns = {"job_name", "run_count"}, .ready = "status = 'S'",
                 .order_by = "planned_start", .returning = {"job_name", "run_count"}};
  EXPECT_EQ(ClaimSql(Dialect::kPostgres, spec, 8),
            "UPDATE jobs SET lease_owner = ?, lease_expires = ? WHERE (job_name, run_count) IN (SELECT job_name, "
            "run_count FROM jobs WHERE (status = 'S') AND (lease_owner IS NULL OR lease_expires <= ?) ORDER BY "
            "planned_start LIMIT 8 FOR UPDATE SKIP LOCKED) RETURNING job_name, run_count");
  EXPECT_EQ(ClaimSql(Dialect::kSqlite, spec, 8),
            "UPDATE jobs SET lease_owner = ?, lease_expires = ? WHERE (job_name, run_count) IN (SELECT job_name, "
            "run_count FROM jobs WHERE (status = 'S') AND (lease_owner IS NULL OR lease_expires <= ?) ORDER BY "
            "planned_start LIMIT 8) RETURNING job_name, run_count");
}

}  // namespace
}  // namespace causeway::store::testing
