// The engine on units of work (issue 9), claims and leases shared by nodes (issue 11), and reads
// from the store (bounded memory, SQL job list, text PostgreSQL accepts) — on both back ends.
#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <thread>
#include <utility>

#include "core/blocking.h"
#include "domain/jobs/job_engine.h"
#include "domain/jobs/job_engine_fixture.h"
#include "domain/jobs/job_errors.h"
#include "store/unit_of_work.h"

namespace causeway::jobs::testing {
namespace {

class JobNodesTest : public JobEngineTest {
 protected:
  // Options of a node that shares its store with others (no cache, no take-over at start).
  static EngineOptions Shared(std::string node_id, int workers = 2) {
    EngineOptions o;
    o.workers = workers;
    o.node_id = std::move(node_id);
    o.cache_reads = false;
    o.take_over_at_start = false;
    return o;
  }
  // The second node's store: another connection pool on PostgreSQL; on SQLite the same
  // database (its single writer is the one process that may open the file).
  store::Database& SecondStore() {
    if (!postgres()) return *db_;
    if (!second_db_) second_db_ = OpenNode();
    return *second_db_;
  }
  void TearDown() override {
    node_b_.reset();
    node_a_.reset();
    second_db_.reset();
    JobEngineTest::TearDown();
  }
  void OpenTwoNodes(int workers = 2) {
    node_a_ = OpenOn(*db_, Shared("node-a", workers));
    ASSERT_NE(node_a_, nullptr);
    node_b_ = OpenOn(SecondStore(), Shared("node-b", workers));
    ASSERT_NE(node_b_, nullptr);
  }
  // The node that started `key` (its lease holder) and the other node, once its first step
  // runs there (the lease comes before the step starts, and a cancel in between ends the job
  // with its step never run); {nullptr, nullptr} if no node started it within 10 s.
  std::pair<JobEngine*, JobEngine*> RunnerAndOther(const JobKey& key) {
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
    while (LeaseOwner(key).empty() && std::chrono::steady_clock::now() < deadline)
      std::this_thread::sleep_for(std::chrono::milliseconds(1));
    const std::string owner = LeaseOwner(key);
    if (owner.empty()) return {nullptr, nullptr};
    JobEngine* runner = owner.starts_with("node-a") ? node_a_.get() : node_b_.get();
    JobEngine* other = runner == node_a_.get() ? node_b_.get() : node_a_.get();
    while (runner->GetJob(kComm, key)->steps.at(0).status != JobStatus::kRunning &&
           std::chrono::steady_clock::now() < deadline)
      std::this_thread::sleep_for(std::chrono::milliseconds(1));
    return {runner, other};
  }
  std::string LeaseOwner(const JobKey& key) {
    std::string owner;
    EXPECT_TRUE(db_->Read([&](store::Tx& tx) {
                     return tx.Query("SELECT lease_owner FROM jobs WHERE job_name = ? AND run_count = ?",
                                     {store::Value(key.name), store::Value(key.run_count)},
                                     [&](const store::Row& r) { owner = r.IsNull(0) ? "" : r.String(0); });
                   }).ok());
    return owner;
  }

  std::unique_ptr<store::Database> second_db_;
  std::unique_ptr<JobEngine> node_a_;
  std::unique_ptr<JobEngine> node_b_;
};
CW_STORE_BACKENDS(JobNodesTest);

// --- units of work (issue 9) ---

TEST_P(JobNodesTest, SchedulesOfARolledBackUnitLeaveNoRowNoRunNoCacheEntry) {
  OpenEngine();
  Job a, b;
  {
    store::UnitOfWork unit(*db_);
    store::UnitOfWork::Scope scope(unit);
    a = ScheduleOk("NOOP");
    b = ScheduleOk("CHAIN");
    EXPECT_EQ(a.status, JobStatus::kReady);
    EXPECT_EQ(Count("SELECT COUNT(*) FROM jobs"), 0) << "staged writes reached the store before the commit";
    unit.Rollback();
  }
  EXPECT_EQ(engine_->GetJob(kAdmin, a.key).error().GatewayCode(), "APJ_RT/003");
  EXPECT_EQ(engine_->GetStatus(kAdmin, b.key).error().GatewayCode(), "APJ_RT/003");
  // A job scheduled afterwards runs; the rolled-back ones never existed for the workers.
  Job c = WaitTerminal(ScheduleOk("NOOP").key);
  EXPECT_EQ(c.status, JobStatus::kFinished);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM jobs"), 1);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM job_log WHERE job_name <> ?", {store::Value(c.key.name)}), 0);
  EXPECT_EQ(engine_->ListJobs(kAdmin, {})->size(), 1u);
}

TEST_P(JobNodesTest, SchedulesOfACommittedUnitRunOnceEach) {
  OpenEngine();
  store::UnitOfWork unit(*db_);
  Job a, b;
  {
    store::UnitOfWork::Scope scope(unit);
    a = ScheduleOk("NOOP");
    b = ScheduleOk("CHAIN");
  }
  EXPECT_EQ(Count("SELECT COUNT(*) FROM jobs"), 0);
  ASSERT_TRUE(unit.Commit().ok());
  EXPECT_EQ(WaitTerminal(a.key).status, JobStatus::kFinished);
  EXPECT_EQ(WaitTerminal(b.key).status, JobStatus::kFinished);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM jobs"), 2);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM job_log WHERE text = 'Job started'"), 2);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM job_log WHERE text = 'Step 3 started (noop)'"), 1);
}

TEST_P(JobNodesTest, ACancelOfAWaitingJobRolledBackLeavesItToRun) {
  OpenEngine({.workers = 1});
  // Sleeps 10 s: the clock may move past its end but not past the hold of the staged cancel.
  Job blocker = ScheduleOk("SLEEP", R"({"VALUES":[{"NAME":"P_SECONDS","T_VALUE":[{"LOW":"10"}]}]})");
  ASSERT_TRUE(engine_->WaitUntil(
      [&] { return engine_->GetJob(kComm, blocker.key)->steps[0].started_at.has_value(); }, kWait));
  Job waiting = ScheduleOk("NOOP");
  {
    store::UnitOfWork unit(*db_);
    store::UnitOfWork::Scope scope(unit);
    ASSERT_TRUE(engine_->Cancel(kComm, waiting.key).ok());
    // Staged: the job is still there, held so that no worker starts it, even with a free slot.
    EXPECT_EQ(Count("SELECT COUNT(*) FROM jobs WHERE job_name = ? AND status = 'Y' AND lease_owner IS NOT NULL",
                    {store::Value(waiting.key.name)}),
              1);
    clock_.Advance(std::chrono::seconds(11));
    EXPECT_EQ(WaitTerminal(blocker.key).status, JobStatus::kFinished);
    EXPECT_EQ(engine_->GetStatus(kComm, waiting.key).value(), JobStatus::kReady);
    unit.Rollback();
  }
  EXPECT_EQ(WaitTerminal(waiting.key).status, JobStatus::kFinished);
  EXPECT_EQ(LogText(waiting.key).find("canceled"), std::string::npos);
}

TEST_P(JobNodesTest, ACancelOfARunningJobRolledBackLeavesItRunning) {
  OpenEngine();
  Job j = ScheduleOk("SLEEP");
  ASSERT_TRUE(
      engine_->WaitUntil([&] { return engine_->GetJob(kComm, j.key)->steps[0].started_at.has_value(); }, kWait));
  {
    store::UnitOfWork unit(*db_);
    store::UnitOfWork::Scope scope(unit);
    ASSERT_TRUE(engine_->Cancel(kComm, j.key).ok());  // inside a unit: answers without waiting
    EXPECT_EQ(engine_->GetStatus(kComm, j.key).value(), JobStatus::kRunning);
    unit.Rollback();
  }
  EXPECT_EQ(engine_->GetStatus(kComm, j.key).value(), JobStatus::kRunning);
  clock_.Advance(std::chrono::seconds(3601));
  EXPECT_EQ(WaitTerminal(j.key).status, JobStatus::kFinished);
  EXPECT_EQ(LogText(j.key).find("canceled by user"), std::string::npos);
}

TEST_P(JobNodesTest, ACancelRacingTheJobsEndFailsItsUnitAndOverwritesNothing) {
  OpenEngine();
  Job j = ScheduleOk("SLEEP");
  ASSERT_TRUE(
      engine_->WaitUntil([&] { return engine_->GetJob(kComm, j.key)->steps[0].started_at.has_value(); }, kWait));
  store::UnitOfWork unit(*db_);
  {
    store::UnitOfWork::Scope scope(unit);
    ASSERT_TRUE(engine_->Cancel(kComm, j.key).ok());  // validated while it ran
  }
  clock_.Advance(std::chrono::seconds(3601));  // it finishes before the unit commits
  ASSERT_EQ(WaitTerminal(j.key).status, JobStatus::kFinished);
  core::Status st = unit.Commit();
  ASSERT_FALSE(st.ok());
  EXPECT_EQ(st.error().GatewayCode(), "APJ_RT/040");
  EXPECT_EQ(engine_->GetJob(kAdmin, j.key)->status, JobStatus::kFinished);
  EXPECT_EQ(LogText(j.key).find("canceled by user"), std::string::npos);
}

TEST_P(JobNodesTest, RestartOfAJobStillCancelingWaitsForItsEnd) {
  OpenEngine();
  Job j = ScheduleOk("SLEEP");
  ASSERT_TRUE(
      engine_->WaitUntil([&] { return engine_->GetJob(kComm, j.key)->steps[0].started_at.has_value(); }, kWait));
  {
    store::UnitOfWork unit(*db_);
    {
      store::UnitOfWork::Scope scope(unit);
      ASSERT_TRUE(engine_->Abort(kComm, j.key).ok());
    }
    ASSERT_TRUE(unit.Commit().ok());
  }
  auto copy = engine_->Restart(kComm, j.key, "E");
  ASSERT_TRUE(copy.ok()) << copy.error().text;
  EXPECT_EQ(engine_->GetJob(kAdmin, j.key)->status, JobStatus::kCanceled);
  EXPECT_EQ(copy->orig_name, j.key.name);
}

// --- several nodes on one store (issue 11) ---

TEST_P(JobNodesTest, EachJobRunsOnExactlyOneOfTwoNodes) {
  OpenTwoNodes(/*workers=*/3);
  std::vector<JobKey> keys;
  for (int i = 0; i < 30; ++i) keys.push_back(ScheduleOn(i % 2 == 0 ? *node_a_ : *node_b_, "CHAIN").key);
  for (const JobKey& k : keys) EXPECT_EQ(WaitTerminalOn(*node_a_, k).status, JobStatus::kFinished);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM job_log WHERE text = 'Job started'"), 30);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM job_log WHERE text = 'Step 2 started (noop)'"), 30);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM job_log WHERE text = 'Job ended with status F'"), 30);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM jobs WHERE lease_owner IS NOT NULL"), 0) << "a lease was not released";
}

TEST_P(JobNodesTest, ATemplateChangedOnOneNodeIsSeenByTheOtherInItsNextRead) {
  OpenTwoNodes();
  const uint64_t before = node_b_->TemplatesVersion();
  ASSERT_EQ(node_b_->FindTemplate("ZNEW").error().GatewayCode(), "APJ_RT/015");
  ASSERT_TRUE(node_a_->UpsertTemplate(Template("ZNEW", {Step(StepKind::kNoop)}), "ADMIN").ok());
  auto found = node_b_->FindTemplate("ZNEW");
  ASSERT_TRUE(found.ok()) << "node b served its stale copy";
  EXPECT_EQ(found->created_by, "ADMIN");
  EXPECT_GT(node_b_->TemplatesVersion(), before) << "a view cached by version would stay stale";
  // A job of the new template scheduled on node b runs.
  EXPECT_EQ(WaitTerminalOn(*node_b_, ScheduleOn(*node_b_, "ZNEW").key).status, JobStatus::kFinished);
  ASSERT_TRUE(node_a_->DeleteTemplate("ZNEW").ok());
  EXPECT_EQ(node_b_->FindTemplate("ZNEW").error().GatewayCode(), "APJ_RT/015");
  const auto names = node_b_->Templates();
  EXPECT_TRUE(std::none_of(names.begin(), names.end(), [](const JobTemplate& t) { return t.name == "ZNEW"; }));
}

TEST_P(JobNodesTest, AJobScheduledOnOneNodeIsVisibleOnTheOtherAtOnce) {
  OpenTwoNodes();
  Job j = ScheduleOn(*node_a_, "CHAIN");
  auto status = node_b_->GetStatus(kComm, j.key);
  ASSERT_TRUE(status.ok()) << status.error().text;
  EXPECT_TRUE(*status == JobStatus::kReady || *status == JobStatus::kRunning || *status == JobStatus::kFinished);
  auto job = node_b_->GetJob(kComm, j.key);
  ASSERT_TRUE(job.ok());
  EXPECT_EQ(job->steps.size(), 3u);
  EXPECT_EQ(node_b_->ListJobs(kComm, {})->size(), 1u);
  EXPECT_EQ(node_b_->GetStatus(kOther, j.key).error().GatewayCode(), "APJ_RT/028");
  // And its end, wherever it ran.
  EXPECT_EQ(WaitTerminalOn(*node_b_, j.key).status, JobStatus::kFinished);
  EXPECT_EQ(node_b_->GetStatus(kComm, j.key).value(), JobStatus::kFinished);
}

TEST_P(JobNodesTest, AJobCachedOnOneNodeAndChangedByTheOtherIsSeenInTheNextRead) {
  OpenTwoNodes();
  Job j = ScheduleOn(*node_a_, "SLEEP");
  auto [started_on, other] = RunnerAndOther(j.key);
  ASSERT_NE(started_on, nullptr) << "no node started the job";
  JobEngine& runner = *started_on;
  JobEngine& reader = *other;
  // The reader caches what it read (PostgreSQL: the change feed keeps the cache).
  ASSERT_EQ(reader.GetStatus(kComm, j.key).value(), JobStatus::kRunning);
  ASSERT_EQ(reader.GetJob(kComm, j.key)->status, JobStatus::kRunning);
  if (postgres()) {
    EXPECT_GE(reader.CachedJobCount(), 1u);
  }
  // Canceled where it runs; once that answered, the reader's next read sees it, at once.
  ASSERT_TRUE(runner.Cancel(kComm, j.key).ok());
  ASSERT_EQ(runner.GetStatus(kComm, j.key).value(), JobStatus::kCanceled);
  EXPECT_EQ(reader.GetStatus(kComm, j.key).value(), JobStatus::kCanceled);
  auto seen = reader.GetJob(kComm, j.key);
  ASSERT_TRUE(seen.ok());
  EXPECT_EQ(seen->status, JobStatus::kCanceled);
  EXPECT_EQ(seen->steps.at(0).status, JobStatus::kCanceled);
}

// What a handler on an I/O thread does with a read (core/blocking.h): run it where it must not
// wait; while it parks, await what it parked on and run it again. Returns the last outcome (a
// WouldBlock with nothing parked: the request would go to a worker) and counts the parks.
template <typename Read>
auto OnAnIoThread(Read read, int& parks) {
  core::Parking parking;
  for (;;) {
    auto outcome = [&] {
      core::NonBlockingScope scope(true, &parking);
      return read();
    }();
    if (outcome.ok() || !core::IsWouldBlock(outcome.error()) || parking.waiting_on() == nullptr) return outcome;
    ++parks;
    (void)parking.waiting_on()->Wait();
  }
}

// The feed's session opens on its own thread after the node started; until it listens a barrier
// cannot vouch (every read goes to the store, on a worker). Leaves the node's templates fresh.
bool WaitUntilItsFeedListens(JobEngine& node) {
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  while (std::chrono::steady_clock::now() < deadline) {
    if (!node.FindTemplate("NOOP").ok()) return false;
    int parks = 0;
    if (OnAnIoThread([&] { return node.FindTemplate("NOOP"); }, parks).ok()) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  return false;
}

// A barrier parks the request unless its round trip was over before the caller looked (then
// the same run goes on): at most one park per read here.
TEST_P(JobNodesTest, OnAnIoThreadAReadParksOnTheFeedsBarrierInsteadOfWaiting) {
  OpenTwoNodes();
  Job j = ScheduleOn(*node_a_, "SLEEP");
  int parks = 0;
  if (!postgres()) {
    // No feed (SQLite's shared mode has no cache): every read asks the store, on a worker.
    auto r = OnAnIoThread([&] { return node_b_->GetStatus(kComm, j.key); }, parks);
    ASSERT_FALSE(r.ok());
    EXPECT_TRUE(core::IsWouldBlock(r.error()));
    EXPECT_EQ(parks, 0);
    return;
  }
  // Either node may have claimed the job: the cancel goes to the one that runs it (elsewhere it
  // would reach the process only at a lease renewal, on a virtual clock that stands still
  // here), and the other one reads.
  auto [started_on, other] = RunnerAndOther(j.key);
  ASSERT_NE(started_on, nullptr) << "no node started the job";
  JobEngine& runner = *started_on;
  JobEngine& reader = *other;
  ASSERT_TRUE(WaitUntilItsFeedListens(reader));
  // Not cached on the reader yet: past the barrier the store read would wait, so the request
  // goes to a worker (which caches what it reads).
  auto miss = OnAnIoThread([&] { return reader.GetStatus(kComm, j.key); }, parks);
  ASSERT_FALSE(miss.ok());
  EXPECT_TRUE(core::IsWouldBlock(miss.error()));
  EXPECT_LE(parks, 1);
  int total = parks;
  ASSERT_EQ(reader.GetStatus(kComm, j.key).value(), JobStatus::kRunning);
  // Cached: the barrier parks the request, its next run answers from the cache (read a few
  // times: on a busy machine a round trip may be over before the caller looks).
  for (int i = 0; i < 50 && (i < 3 || total == 0); ++i) {
    parks = 0;
    auto hit = OnAnIoThread([&] { return reader.GetStatus(kComm, j.key); }, parks);
    ASSERT_TRUE(hit.ok()) << hit.error().text;
    EXPECT_EQ(*hit, JobStatus::kRunning);
    EXPECT_LE(parks, 1);
    total += parks;
  }
  // Changed on the other node and answered there: the parked read never serves the entry it
  // had cached (the notice evicted it before the barrier passed): it goes to the store.
  ASSERT_TRUE(runner.Cancel(kComm, j.key).ok());
  ASSERT_EQ(runner.GetStatus(kComm, j.key).value(), JobStatus::kCanceled);
  parks = 0;
  auto after = OnAnIoThread([&] { return reader.GetStatus(kComm, j.key); }, parks);
  EXPECT_LE(parks, 1);
  EXPECT_GE(total + parks, 1) << "no read ever parked";
  if (after.ok()) {
    EXPECT_EQ(*after, JobStatus::kCanceled) << "a parked read served a stale cache entry";
  } else {
    EXPECT_TRUE(core::IsWouldBlock(after.error())) << after.error().text;
  }
  EXPECT_EQ(reader.GetStatus(kComm, j.key).value(), JobStatus::kCanceled);
}

// JobSchedule on an I/O thread (PostgreSQL): the templates' freshness check parks on the
// feed's barrier; a template another node changed sends the request to a worker (its store
// read would wait) with nothing staged; past that it stages and commits without a worker.
TEST_P(JobNodesTest, OnAnIoThreadAScheduleParksOnTheFeedsBarrierAndSeesAnotherNodesTemplate) {
  OpenTwoNodes();
  if (postgres()) {
    ASSERT_TRUE(WaitUntilItsFeedListens(*node_b_));
  }
  ASSERT_TRUE(node_a_->UpsertTemplate(Template("ZNEW", {Step(StepKind::kNoop)}), "ADMIN").ok());
  std::shared_ptr<core::Completion> committed;
  auto schedule = [&] {
    store::UnitOfWork unit(SecondStore());
    core::Result<ScheduleResult> r = core::Error(core::WouldBlock());
    {
      store::UnitOfWork::Scope scope(unit);
      r = node_b_->Schedule(kComm, {.template_name = "ZNEW", .text = "parked", .job_user = "ALICE"});
    }
    if (r.ok()) committed = unit.CommitAsync();
    else unit.Rollback();
    return r;
  };
  int parks = 0;
  auto first = OnAnIoThread(schedule, parks);
  if (postgres()) {
    ASSERT_FALSE(first.ok());
    EXPECT_TRUE(core::IsWouldBlock(first.error())) << first.error().text;
    EXPECT_LE(parks, 1);
    EXPECT_EQ(Count("SELECT COUNT(*) FROM jobs"), 0);
    ASSERT_TRUE(node_b_->FindTemplate("ZNEW").ok());  // what the worker's run reads
    parks = 0;
    first = OnAnIoThread(schedule, parks);
    EXPECT_LE(parks, 1);
  } else {
    EXPECT_EQ(parks, 0);  // no feed: SQLite reads the templates where it is
  }
  ASSERT_TRUE(first.ok()) << first.error().text;
  ASSERT_NE(committed, nullptr);
  ASSERT_TRUE(committed->Wait().ok());
  EXPECT_EQ(WaitTerminalOn(*node_b_, first->job.key).status, JobStatus::kFinished);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM jobs"), 1);
}

// A store that fills up fast gets fresh statistics before autovacuum would look (PostgreSQL):
// plans made while the job tables were small stop reading them whole.
TEST_P(JobNodesTest, TheJobTablesAreAnalyzedAsTheyFillUp) {
  EngineOptions o = Shared("node-a");
  o.analyze_after_jobs = 20;
  node_a_ = OpenOn(*db_, o);
  ASSERT_NE(node_a_, nullptr);
  std::vector<JobKey> keys;
  for (int i = 0; i < 30; ++i) keys.push_back(ScheduleOn(*node_a_, "NOOP").key);
  for (const JobKey& k : keys) WaitTerminalOn(*node_a_, k);
  if (!postgres()) {
    EXPECT_EQ(node_a_->TableAnalyses(), 0u);  // SQLite plans from its indexes alone
    return;
  }
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  while (node_a_->TableAnalyses() == 0 && std::chrono::steady_clock::now() < deadline)
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  ASSERT_EQ(node_a_->TableAnalyses(), 1u);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM pg_stat_user_tables WHERE relname IN ('jobs', 'job_steps', 'job_log') "
                  "AND last_analyze IS NOT NULL"),
            3);
  // The next one waits until the tables doubled (20-30 jobs at the first): 5 more are not enough,
  // 40 more are.
  auto schedule = [&](int n) {
    for (int i = 0; i < n; ++i) keys.push_back(ScheduleOn(*node_a_, "NOOP").key);
    for (const JobKey& k : keys) WaitTerminalOn(*node_a_, k);
  };
  schedule(5);
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  EXPECT_EQ(node_a_->TableAnalyses(), 1u);
  schedule(40);
  while (node_a_->TableAnalyses() < 2 && std::chrono::steady_clock::now() < deadline + std::chrono::seconds(10))
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  EXPECT_EQ(node_a_->TableAnalyses(), 2u);
}

TEST_P(JobNodesTest, ARunningJobOfADeadNodeEndsInFailedOnceItsLeaseExpired) {
  ASSERT_TRUE(store::Migrate(*db_, JobMigrations()).ok());
  Job j;
  j.key = GenerateJobKey();
  j.text = "orphan";
  j.template_name = "CHAIN";
  j.job_user = "ALICE";
  j.creator = "COMM_USER";
  j.status = JobStatus::kRunning;
  j.created_at = j.planned_start = clock_.Now();
  j.started_at = clock_.Now();
  for (int i = 1; i <= 2; ++i) {
    StepRun s;
    s.step_nr = i;
    s.status = i == 1 ? JobStatus::kRunning : JobStatus::kReady;
    j.steps.push_back(s);
  }
  const int64_t expires = core::ToUnixMillis(clock_.Now()) + 5000;
  ASSERT_TRUE(db_->Write([&](store::Tx& tx) -> core::Status {
                   CW_RETURN_IF_ERROR(repository::InsertJob(tx, j, {{1, 1, clock_.Now(), 'I', "Step 1 started"}}));
                   return tx.Exec("UPDATE jobs SET lease_owner = 'dead-node', lease_expires_ms = ? WHERE job_name = ?",
                                  {store::Value(expires), store::Value(j.key.name)});
                 }).ok());
  EngineOptions o = Shared("survivor");
  engine_ = OpenOn(*db_, o);
  ASSERT_NE(engine_, nullptr);
  // Open ran the recovery: its node may still be alive until the lease expires.
  EXPECT_EQ(engine_->GetStatus(kAdmin, j.key).value(), JobStatus::kRunning);
  clock_.Advance(std::chrono::milliseconds(6000));
  ASSERT_TRUE(WaitStatus(j.key, JobStatus::kFailed));
  Job ended = engine_->GetJob(kAdmin, j.key).value();
  EXPECT_EQ(ended.steps[0].status, JobStatus::kFailed);
  EXPECT_EQ(ended.steps[1].status, JobStatus::kReady);
  std::string log = LogText(j.key);
  EXPECT_NE(log.find("A Job was aborted due to a technical error."), std::string::npos) << log;
  EXPECT_NE(log.find("E The server stopped while the job was running"), std::string::npos) << log;
  EXPECT_EQ(LeaseOwner(j.key), "");
}

TEST_P(JobNodesTest, ANodeRestartedUnderItsIdEndsItsOwnOrphansAtOnce) {
  // The node id outlives the process (<data_dir>/node.id): a lease this id holds at start was
  // left by its previous process, so the job ends without waiting for the lease; another
  // node's unexpired lease stays untouched.
  ASSERT_TRUE(store::Migrate(*db_, JobMigrations()).ok());
  auto orphan = [&](const std::string& owner) {
    Job j;
    j.key = GenerateJobKey();
    j.text = "orphan of " + owner;
    j.template_name = "CHAIN";
    j.job_user = "ALICE";
    j.creator = "COMM_USER";
    j.status = JobStatus::kRunning;
    j.created_at = j.planned_start = clock_.Now();
    j.started_at = clock_.Now();
    StepRun s;
    s.step_nr = 1;
    s.status = JobStatus::kRunning;
    j.steps.push_back(s);
    const int64_t expires = core::ToUnixMillis(clock_.Now()) + 60'000;
    EXPECT_TRUE(db_->Write([&](store::Tx& tx) -> core::Status {
                     CW_RETURN_IF_ERROR(repository::InsertJob(tx, j, {}));
                     return tx.Exec("UPDATE jobs SET lease_owner = ?, lease_expires_ms = ? WHERE job_name = ?",
                                    {store::Value(owner), store::Value(expires), store::Value(j.key.name)});
                   }).ok());
    return j.key;
  };
  const JobKey mine = orphan("node-a"), theirs = orphan("node-b"), held = orphan("node-a/cancel-1");
  engine_ = OpenOn(*db_, Shared("node-a"));
  ASSERT_NE(engine_, nullptr);
  ASSERT_TRUE(WaitStatus(mine, JobStatus::kFailed));
  ASSERT_TRUE(WaitStatus(held, JobStatus::kFailed));
  EXPECT_EQ(engine_->GetStatus(kAdmin, theirs).value(), JobStatus::kRunning);
  EXPECT_EQ(LeaseOwner(theirs), "node-b");
  EXPECT_EQ(LeaseOwner(mine), "");
}

TEST_P(JobNodesTest, ACancelOnOneNodeStopsTheProcessOnTheNodeThatRunsIt) {
  OpenTwoNodes(/*workers=*/1);
  Job j = ScheduleOn(*node_a_, "SLEEP30");
  ASSERT_TRUE(node_a_->WaitUntil([&] { return !runner_.pids().empty(); }, kWait));
  ASSERT_TRUE(WaitStatusOn(*node_a_, j.key, JobStatus::kRunning));
  const int pid = runner_.pids().front();
  const std::string owner = LeaseOwner(j.key);
  ASSERT_TRUE(owner == "node-a" || owner == "node-b") << owner;
  JobEngine& running = owner == "node-a" ? *node_a_ : *node_b_;
  JobEngine& other = owner == "node-a" ? *node_b_ : *node_a_;
  store::Database& other_db = owner == "node-a" ? SecondStore() : *db_;
  {
    store::UnitOfWork unit(other_db);
    {
      store::UnitOfWork::Scope scope(unit);
      ASSERT_TRUE(other.Cancel(kComm, j.key).ok());
    }
    ASSERT_TRUE(unit.Commit().ok());
  }
  // Stored at once (every node reads c); the process runs until its node renews the lease.
  EXPECT_EQ(running.GetStatus(kComm, j.key).value(), JobStatus::kCanceling);
  EXPECT_EQ(::kill(pid, 0), 0);
  clock_.Advance(std::chrono::milliseconds(600));  // one renewal, well within the lease
  Job done = WaitTerminalOn(running, j.key);
  EXPECT_EQ(done.status, JobStatus::kCanceled);
  EXPECT_EQ(done.steps[0].status, JobStatus::kCanceled);
  errno = 0;
  EXPECT_EQ(::kill(pid, 0), -1);
  EXPECT_EQ(errno, ESRCH);
  EXPECT_NE(LogTextOn(other, j.key).find("Job was canceled by user COMM_USER"), std::string::npos);
}

// --- reads from the store ---

TEST_P(JobNodesTest, MemoryStaysBoundedAndEvictedJobsAreReadFromTheStore) {
  OpenEngine({.workers = 2, .cache_capacity = 16});
  std::vector<JobKey> keys;
  for (int i = 0; i < 40; ++i) keys.push_back(ScheduleOk(i % 3 == 0 ? "FAIL_MIDDLE" : "NOOP").key);
  for (const JobKey& k : keys) WaitTerminal(k);
  EXPECT_LE(engine_->CachedJobCount(), 16u);
  // A job's final status is committed (and readable) before its worker leaves the active set.
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  while (engine_->ActiveJobCount() != 0 && std::chrono::steady_clock::now() < deadline)
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  EXPECT_EQ(engine_->ActiveJobCount(), 0u);
  for (size_t i = 0; i < keys.size(); ++i) {
    const JobStatus want = i % 3 == 0 ? JobStatus::kFailed : JobStatus::kFinished;
    EXPECT_EQ(engine_->GetStatus(kComm, keys[i]).value(), want) << i;
    auto j = engine_->GetJob(kComm, keys[i]);
    ASSERT_TRUE(j.ok());
    EXPECT_EQ(j->status, want);
    EXPECT_EQ(j->steps.size(), i % 3 == 0 ? 3u : 1u);
  }
  EXPECT_LE(engine_->CachedJobCount(), 16u);
  EXPECT_EQ(engine_->JobCount().value(), 40);
}

TEST_P(JobNodesTest, ProcessOutputIsStoredAsValidUtf8OnEveryBackEnd) {
  OpenEngine();
  Job done = WaitTerminal(ScheduleOk("BINARY").key);
  EXPECT_EQ(done.status, JobStatus::kFinished);
  std::string log = LogText(done.key);
  EXPECT_NE(log.find("I bad \xEF\xBF\xBD byte\n"), std::string::npos) << log;
  EXPECT_NE(log.find("I nul \xEF\xBF\xBD char\n"), std::string::npos) << log;
}

TEST_P(JobNodesTest, JobListFiltersInTheStoreWithWildcardsCaseAndTime) {
  OpenEngine();
  auto schedule = [&](const std::string& tmpl, const std::string& text, const Caller& caller) {
    auto r = engine_->Schedule(caller, {.template_name = tmpl, .text = text, .job_user = "ALICE"});
    EXPECT_TRUE(r.ok());
    return r.ok() ? r->job : Job{};
  };
  Job first = schedule("NOOP", "Night 50%_load", kComm);
  clock_.Advance(std::chrono::hours(1));
  const core::SystemTime later = clock_.Now();
  Job second = schedule("NOOP", "night 50xxload", kComm);
  clock_.Advance(std::chrono::seconds(1));
  Job third = schedule("CHAIN", "other", kOther);
  auto names = [&](const Caller& caller, const JobFilter& f) {
    std::vector<std::string> out;
    auto jobs = engine_->ListJobs(caller, f);
    EXPECT_TRUE(jobs.ok());
    if (jobs.ok())
      for (const Job& j : *jobs) out.push_back(j.key.name);
    return out;
  };
  using V = std::vector<std::string>;
  EXPECT_EQ(names(kAdmin, {}), (V{first.key.name, second.key.name, third.key.name}));  // oldest first
  EXPECT_EQ(names(kAdmin, {.text = "NIGHT 50%_*"}), V{first.key.name});  // % and _ are literal
  EXPECT_EQ(names(kAdmin, {.text = "night*"}), (V{first.key.name, second.key.name}));
  EXPECT_EQ(names(kAdmin, {.template_name = "noop"}), V{});  // case-sensitive
  EXPECT_EQ(names(kAdmin, {.template_name = "*OO*"}), (V{first.key.name, second.key.name}));
  EXPECT_EQ(names(kAdmin, {.creator = "comm_*"}), (V{first.key.name, second.key.name}));
  EXPECT_EQ(names(kAdmin, {.job_name = third.key.name}), V{third.key.name});
  EXPECT_EQ(names(kAdmin, {.report = "R_CHAIN"}), V{third.key.name});
  EXPECT_EQ(names(kAdmin, {.variant = "X"}), V{});
  EXPECT_EQ(names(kAdmin, {.created_from = later}), (V{second.key.name, third.key.name}));
  EXPECT_EQ(names(kAdmin, {.created_to = later - std::chrono::seconds(1)}), V{first.key.name});
  EXPECT_EQ(names(kOther, {}), V{third.key.name});
  auto listed = engine_->ListJobs(kAdmin, {.job_name = third.key.name});
  ASSERT_TRUE(listed.ok());
  ASSERT_EQ(listed->size(), 1u);
  EXPECT_EQ(listed->front().steps.size(), 3u);
}

}  // namespace
}  // namespace causeway::jobs::testing
