// Claims of waiting jobs on both back ends once the store holds many finished jobs: they read
// the waiting index (not the creation-time index with a filter, which walks every finished job
// first) and hand out the oldest waiting jobs.
#include "domain/jobs/job_leases.h"

#include <gtest/gtest.h>

#include "domain/jobs/job_repository.h"
#include "store/backend_fixture.h"
#include "store/migration.h"

namespace causeway::jobs {
namespace {

constexpr int kFinished = 3000;
constexpr int kWaiting = 12;

class JobLeasesTest : public store::testing::BackendTest {
 protected:
  void SetUp() override {
    BackendTest::SetUp();
    if (IsSkipped() || HasFatalFailure()) return;
    ASSERT_TRUE(store::Migrate(*db_, JobMigrations()).ok());
    // A queue as a busy store has it: thousands of jobs that ran, then the few still waiting,
    // all created later; statistics taken when half of them were still waiting (a flood).
    ASSERT_TRUE(db_->Write([&](store::Tx& tx) -> core::Status {
                     for (int i = 0; i < kFinished + kWaiting; ++i) {
                       Job j;
                       j.key = GenerateJobKey();
                       j.created_at = core::FromUnixMillis(kBase + i);
                       j.status = JobStatus::kReady;
                       if (i >= kFinished) waiting_.push_back(j.key);
                       CW_RETURN_IF_ERROR(repository::InsertJob(tx, j, {}));
                     }
                     return core::Status::Ok();
                   }).ok());
    RunUntil(kFinished / 2);
    ASSERT_TRUE(db_->Write([](store::Tx& tx) { return tx.Exec("ANALYZE"); }).ok());
    RunUntil(kFinished);
  }

  // The jobs created before the `n`th have run.
  void RunUntil(int n) {
    ASSERT_TRUE(db_->Write([&](store::Tx& tx) {
                     return tx.Exec("UPDATE jobs SET status = 'F' WHERE created_at < ?", {store::Value(kBase + n)});
                   }).ok());
  }

  std::string ClaimPlan(bool generic = false, const std::string& without_index = "") {
    return Plan(store::LockReadySql(db_->dialect(), leases::WaitingSpec(), 8), {store::Value(int64_t{1})}, generic,
                without_index);
  }

  static constexpr int64_t kBase = 1'700'000'000'000;
  std::vector<JobKey> waiting_;
};
CW_STORE_BACKENDS(JobLeasesTest);

TEST_P(JobLeasesTest, AClaimReadsTheWaitingIndexNotEveryFinishedJob) {
  for (bool generic : {false, true}) {
    if (generic && !postgres()) continue;
    const std::string plan = ClaimPlan(generic);
    EXPECT_NE(plan.find("jobs_waiting"), std::string::npos) << plan;
    EXPECT_EQ(plan.find("jobs_created"), std::string::npos) << plan;
    EXPECT_EQ(plan.find("Seq Scan"), std::string::npos) << plan;
    EXPECT_EQ(plan.find("SCAN jobs\n"), std::string::npos) << plan;  // SQLite: the whole table
  }
}

// What keeps the planner on jobs_waiting whatever its statistics say: no other index can give
// the claim's order, so without it the ready rows would have to be sorted.
TEST_P(JobLeasesTest, NoOtherIndexGivesTheClaimsOrder) {
  const std::string plan = ClaimPlan(false, "jobs_waiting");
  if (postgres()) {
    EXPECT_NE(plan.find("Sort Key: ((created_at + 0))"), std::string::npos) << plan;
    EXPECT_EQ(plan.find("Presorted Key"), std::string::npos) << plan;
  } else {
    EXPECT_NE(plan.find("USE TEMP B-TREE FOR ORDER BY"), std::string::npos) << plan;
  }
}

TEST_P(JobLeasesTest, AClaimLocksTheOldestWaitingJobs) {
  std::vector<Job> claimed;
  ASSERT_TRUE(db_->Write([&](store::Tx& tx) -> core::Status {
                   CW_ASSIGN_OR_RETURN(claimed, leases::LockWaiting(tx, db_->dialect(), kBase + 5000, 8));
                   return core::Status::Ok();
                 }).ok());
  ASSERT_EQ(claimed.size(), 8u);
  for (size_t i = 0; i < claimed.size(); ++i) EXPECT_EQ(claimed[i].key.name, waiting_[i].name);
}

}  // namespace
}  // namespace causeway::jobs
