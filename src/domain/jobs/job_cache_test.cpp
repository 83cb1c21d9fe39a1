#include "domain/jobs/job_cache.h"

#include <gtest/gtest.h>

namespace causeway::jobs {
namespace {

JobCache::Entry Snapshot(const std::string& name, JobStatus status) {
  auto j = std::make_shared<Job>();
  j->key = {name, "RUN00001"};
  j->status = status;
  return j;
}

JobStatus StatusIn(JobCache& cache, const std::string& name) {
  auto e = cache.Find({name, "RUN00001"});
  return e ? e->status : JobStatus::kUnknown;
}

TEST(JobCacheTest, PublishedSnapshotsAreFoundAndOnlyMoveForward) {
  JobCache cache(64);
  struct Step {
    JobStatus publish;
    JobStatus want;
  };
  // A late publisher (an earlier state arriving after a later one) must not win.
  const Step steps[] = {{JobStatus::kReady, JobStatus::kReady},       {JobStatus::kRunning, JobStatus::kRunning},
                        {JobStatus::kReady, JobStatus::kRunning},     {JobStatus::kCanceling, JobStatus::kCanceling},
                        {JobStatus::kRunning, JobStatus::kCanceling}, {JobStatus::kCanceled, JobStatus::kCanceled},
                        {JobStatus::kRunning, JobStatus::kCanceled},  {JobStatus::kFinished, JobStatus::kFinished}};
  for (const Step& s : steps) {
    cache.Publish(Snapshot("A", s.publish));
    EXPECT_EQ(StatusIn(cache, "A"), s.want) << Letter(s.publish);
  }
  EXPECT_EQ(cache.Find({"B", "RUN00001"}), nullptr);
}

TEST(JobCacheTest, OfferIsDroppedWhenAWriteCameBetween) {
  JobCache cache(64, 1);  // one shard: every write counts
  uint64_t before = cache.Generation({"A", "RUN00001"});
  cache.Publish(Snapshot("B", JobStatus::kFinished));  // a write while A was being read
  cache.Offer(Snapshot("A", JobStatus::kRunning), before);
  EXPECT_EQ(cache.Find({"A", "RUN00001"}), nullptr);

  before = cache.Generation({"A", "RUN00001"});
  cache.Offer(Snapshot("A", JobStatus::kRunning), before);
  EXPECT_EQ(StatusIn(cache, "A"), JobStatus::kRunning);
  // An offer never replaces what is cached (that came from a writer or an earlier read).
  cache.Offer(Snapshot("A", JobStatus::kReady), cache.Generation({"A", "RUN00001"}));
  EXPECT_EQ(StatusIn(cache, "A"), JobStatus::kRunning);

  // A snapshot read before an erase does not come back after it.
  before = cache.Generation({"A", "RUN00001"});
  cache.Erase({"A", "RUN00001"});
  cache.Offer(Snapshot("A", JobStatus::kRunning), before);
  EXPECT_EQ(cache.Find({"A", "RUN00001"}), nullptr);
}

TEST(JobCacheTest, HoldsAtMostItsCapacityAndEvictsTheLeastRecentlyUsed) {
  JobCache cache(4, 1);
  for (const char* n : {"A", "B", "C", "D"}) cache.Publish(Snapshot(n, JobStatus::kFinished));
  ASSERT_NE(cache.Find({"A", "RUN00001"}), nullptr);  // A is now the most recent
  cache.Publish(Snapshot("E", JobStatus::kFinished));
  EXPECT_EQ(cache.size(), 4u);
  EXPECT_EQ(cache.Find({"B", "RUN00001"}), nullptr);
  for (const char* n : {"A", "C", "D", "E"}) EXPECT_NE(cache.Find({n, "RUN00001"}), nullptr) << n;
  cache.Clear();
  EXPECT_EQ(cache.size(), 0u);
  EXPECT_EQ(cache.Find({"A", "RUN00001"}), nullptr);
}

}  // namespace
}  // namespace causeway::jobs
