// Batched status reads (StatusReads) on both back ends: every caller gets its own job's status,
// missing jobs are nullopt, and a read sees what was committed before it.
#include "domain/jobs/job_status_reads.h"

#include <gtest/gtest.h>

#include <atomic>
#include <thread>

#include "store/backend_fixture.h"

namespace causeway::jobs {
namespace {

class StatusReadsTest : public store::testing::BackendTest {
 protected:
  void SetUp() override {
    BackendTest::SetUp();
    if (IsSkipped() || HasFatalFailure()) return;
    ASSERT_TRUE(store::Migrate(*db_, JobMigrations()).ok());
  }
  JobKey Insert(JobStatus status, const std::string& creator) {
    Job j;
    j.key = GenerateJobKey();
    j.status = status;
    j.creator = creator;
    EXPECT_TRUE(db_->Write([&](store::Tx& tx) { return repository::InsertJob(tx, j, {}); }).ok());
    return j.key;
  }
};
CW_STORE_BACKENDS(StatusReadsTest);

TEST_P(StatusReadsTest, ConcurrentReadersEachGetTheirOwnJob) {
  const JobStatus kStatuses[] = {JobStatus::kReady, JobStatus::kRunning, JobStatus::kFinished, JobStatus::kFailed};
  std::vector<JobKey> keys;
  for (int i = 0; i < 40; ++i) keys.push_back(Insert(kStatuses[i % 4], "USER" + std::to_string(i)));
  StatusReads reads(*db_);
  std::atomic<int> wrong{0}, missing{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 16; ++t)
    threads.emplace_back([&, t] {
      for (int i = 0; i < 100; ++i) {
        const size_t k = static_cast<size_t>(t * 7 + i) % keys.size();
        auto r = reads.Get(keys[k]);
        if (!r.ok() || !*r) {
          ++missing;
        } else if ((*r)->status != kStatuses[k % 4] || (*r)->creator != "USER" + std::to_string(k)) {
          ++wrong;
        }
        auto none = reads.Get({"00000000000000000000000000000000", "NOSUCHJB"});
        if (!none.ok() || none->has_value()) ++wrong;
      }
    });
  for (auto& t : threads) t.join();
  EXPECT_EQ(wrong.load(), 0);
  EXPECT_EQ(missing.load(), 0);
}

TEST_P(StatusReadsTest, AReadSeesWhatWasCommittedBeforeIt) {
  const JobKey key = Insert(JobStatus::kReady, "A");
  StatusReads reads(*db_);
  EXPECT_EQ(reads.Get(key).value()->status, JobStatus::kReady);
  ASSERT_TRUE(db_->Write([&](store::Tx& tx) {
                   return tx.Exec("UPDATE jobs SET status = 'F' WHERE job_name = ?", {store::Value(key.name)});
                 }).ok());
  EXPECT_EQ(reads.Get(key).value()->status, JobStatus::kFinished);
}

}  // namespace
}  // namespace causeway::jobs
