#include "domain/jobs/job_engine.h"

#include <algorithm>
#include <atomic>

#include "domain/jobs/job_engine_fixture.h"

namespace causeway::jobs::testing {
namespace {

CW_STORE_BACKENDS(JobEngineTest);

// Forwards everything to the real store and counts the writes that added lines to a job's log:
// each transition of a job adds some (a claim that found nothing adds none). A write counts
// when its callback first inserts (once, however often the store runs the callback), so the
// count is complete before anyone can read what it committed.
class LogWritesCounter final : public store::Database {
 public:
  explicit LogWritesCounter(store::Database& inner) : inner_(inner) {}
  std::unique_ptr<store::ChangeFeed> Listen(std::vector<std::string> channels,
                                            store::ChangeFeed::OnNotice on_notice) override {
    return inner_.Listen(std::move(channels), std::move(on_notice));
  }
  void WriteAsync(store::TxFn fn, store::WriteDone done) override { inner_.WriteAsync(Watch(std::move(fn)), std::move(done)); }
  core::Status Write(store::TxFn fn) override { return inner_.Write(Watch(std::move(fn))); }
  core::Status Read(store::TxFn fn) override { return inner_.Read(std::move(fn)); }
  std::string Health() override { return inner_.Health(); }
  std::string Kind() const override { return inner_.Kind(); }
  store::Dialect dialect() const override { return inner_.dialect(); }
  int log_writes() const { return log_writes_.load(); }

 private:
  class WatchingTx final : public store::Tx {
   public:
    WatchingTx(store::Tx& inner, std::atomic<bool>& logged, std::atomic<int>& count)
        : inner_(inner), logged_(logged), count_(count) {}
    core::Status Exec(std::string_view sql, std::span<const store::Value> params, int64_t* changed) override {
      if (sql.starts_with("INSERT INTO job_log") && !logged_.exchange(true)) ++count_;
      return inner_.Exec(sql, params, changed);
    }
    core::Status Query(std::string_view sql, std::span<const store::Value> params,
                       const std::function<void(const store::Row&)>& on_row) override {
      return inner_.Query(sql, params, on_row);
    }
    void Notify(std::string_view channel, std::string_view payload) override { inner_.Notify(channel, payload); }

   private:
    store::Tx& inner_;
    std::atomic<bool>& logged_;
    std::atomic<int>& count_;
  };
  store::TxFn Watch(store::TxFn fn) {
    return [this, fn = std::move(fn), logged = std::make_shared<std::atomic<bool>>(false)](store::Tx& tx) {
      WatchingTx watching(tx, *logged, log_writes_);
      return fn(watching);
    };
  }

  store::Database& inner_;
  std::atomic<int> log_writes_{0};
};

TEST_P(JobEngineTest, ScheduledJobRunsToFinishedWithWellFormedKeys) {
  OpenEngine();
  Job j = ScheduleOk("NOOP");
  EXPECT_EQ(j.key.name.size(), 32u);
  EXPECT_EQ(j.key.name.find_first_not_of("0123456789ABCDEF"), std::string::npos);
  EXPECT_EQ(j.key.run_count.size(), 8u);
  EXPECT_TRUE(j.status == JobStatus::kReady || j.status == JobStatus::kRunning || j.status == JobStatus::kFinished);
  Job done = WaitTerminal(j.key);
  EXPECT_EQ(done.status, JobStatus::kFinished);
  EXPECT_EQ(done.steps[0].status, JobStatus::kFinished);
  EXPECT_TRUE(done.started_at && done.ended_at);
  EXPECT_EQ(done.creator, "COMM_USER");
  EXPECT_EQ(done.job_user, "ALICE");
  EXPECT_NE(LogText(j.key).find("Job completed without errors"), std::string::npos);
}

// Names lead with the scheduling time (index locality), the rest stays random.
TEST(JobKeyTest, NamesLeadWithTheMillisecondsSoTheySortByTime) {
  const core::SystemTime t = core::FromUnixMillis(1'764'547'200'123);  // 2025-12-01T00:00:00.123Z
  const JobKey a = GenerateJobKey(t), b = GenerateJobKey(t), later = GenerateJobKey(t + std::chrono::milliseconds(1));
  EXPECT_EQ(a.name.substr(0, 12), "019AD735847B");  // 1764547200123 in hex, 12 digits
  EXPECT_EQ(a.name.size(), 32u);
  EXPECT_EQ(a.name.find_first_not_of("0123456789ABCDEF"), std::string::npos);
  EXPECT_NE(a.name, b.name);
  EXPECT_NE(a.name.substr(12), b.name.substr(12));
  EXPECT_LT(std::max(a.name, b.name), later.name);
  EXPECT_EQ(GenerateJobKey(core::FromUnixMillis(0)).name.substr(0, 12), "000000000000");
}

TEST_P(JobEngineTest, ScheduleIsDurableBeforeItAnswers) {
  OpenEngine({.workers = 1});
  Job blocker = ScheduleOk("SLEEP");
  ASSERT_TRUE(WaitStatus(blocker.key, JobStatus::kRunning));
  Job j = ScheduleOk("NOOP");
  std::string status;
  ASSERT_TRUE(db_->Read([&](store::Tx& tx) {
                   return tx.Query("SELECT status FROM jobs WHERE job_name = ? AND run_count = ?",
                                   {store::Value(j.key.name), store::Value(j.key.run_count)},
                                   [&](const store::Row& r) { status = r.String(0); });
                 }).ok());
  EXPECT_EQ(status, "Y");
}

TEST_P(JobEngineTest, ChainRunsStepsInOrder) {
  OpenEngine();
  Job done = WaitTerminal(ScheduleOk("CHAIN").key);
  EXPECT_EQ(done.status, JobStatus::kFinished);
  ASSERT_EQ(done.steps.size(), 3u);
  for (const auto& s : done.steps) EXPECT_EQ(s.status, JobStatus::kFinished);
  std::string log = LogText(done.key);
  auto p1 = log.find("Step 1 started"), p2 = log.find("Step 2 started"), p3 = log.find("Step 3 started");
  ASSERT_NE(p3, std::string::npos);
  EXPECT_LT(p1, p2);
  EXPECT_LT(p2, p3);
}

// Instant jobs need no worker: one claim runs the oldest of them however few workers are free,
// but in their turn: it stops at the first job that needs a worker it has not got, and the jobs
// behind that one keep waiting, instant or not.
TEST_P(JobEngineTest, InstantJobsNeedNoWorkerButKeepTheirTurn) {
  OpenEngine({.workers = 1});
  const std::string ten_seconds = R"({"VALUES":[{"NAME":"P_SECONDS","T_VALUE":[{"LOW":"10"}]}]})";
  Job blocker = ScheduleOk("SLEEP", ten_seconds);
  ASSERT_TRUE(WaitStepStarted(blocker.key));
  // A millisecond apart: jobs created in the same one have no order among them.
  auto schedule = [&](const std::string& tmpl, const std::string& params = "") {
    clock_.Advance(std::chrono::milliseconds(1));
    return ScheduleOk(tmpl, params);
  };
  std::vector<JobKey> before_second, behind_second;
  for (int i = 0; i < 20; ++i) before_second.push_back(schedule("NOOP").key);
  Job first = schedule("SLEEP", ten_seconds);  // takes the one worker
  for (int i = 0; i < 5; ++i) before_second.push_back(schedule("NOOP").key);
  Job second = schedule("SLEEP", ten_seconds);  // finds none free
  for (int i = 0; i < 5; ++i) behind_second.push_back(schedule("NOOP").key);
  auto status = [&](const JobKey& k) {
    auto j = engine_->GetJob(kAdmin, k);
    return j.ok() ? j->status : JobStatus::kUnknown;
  };

  clock_.Advance(std::chrono::seconds(11));  // the blocker ends: one claim
  ASSERT_TRUE(WaitStepStarted(first.key));
  for (const JobKey& k : before_second) EXPECT_EQ(status(k), JobStatus::kFinished);
  EXPECT_EQ(status(second.key), JobStatus::kReady);
  for (const JobKey& k : behind_second) EXPECT_EQ(status(k), JobStatus::kReady);

  clock_.Advance(std::chrono::seconds(11));  // the first ends
  ASSERT_TRUE(WaitStepStarted(second.key));
  for (const JobKey& k : behind_second) EXPECT_EQ(WaitTerminal(k).status, JobStatus::kFinished);
  clock_.Advance(std::chrono::seconds(11));
  EXPECT_EQ(WaitTerminal(second.key).status, JobStatus::kFinished);
}

// A job of instant built-ins only ends in the transaction that claims it: the same statuses,
// times and log lines as a worker writes (these expectations held before that change too), and
// no write of its own for its end.
TEST_P(JobEngineTest, InstantJobsEndInTheTransactionThatClaimsThem) {
  LogWritesCounter counting(*db_);
  engine_ = OpenOn(counting, Defaults());
  ASSERT_NE(engine_, nullptr);
  struct Case {
    std::string tmpl;
    JobStatus status;
    std::vector<JobStatus> steps;
    std::string log;
  };
  const Case cases[] = {
      {"NOOP", JobStatus::kFinished, {JobStatus::kFinished},
       "S Job test NOOP has been scheduled.\n"
       "I Scheduled by COMM_USER to run as ALICE\n"
       "I Job started\n"
       "I Step 1 started (noop)\n"
       "I Nothing to do (noop)\n"
       "S Step 1 ended with status F, return code 0\n"
       "S Job completed without errors\n"
       "I Job ended with status F\n"},
      {"FAIL_MIDDLE", JobStatus::kFailed, {JobStatus::kFinished, JobStatus::kFailed, JobStatus::kReady},
       "S Job test FAIL_MIDDLE has been scheduled.\n"
       "I Scheduled by COMM_USER to run as ALICE\n"
       "I Job started\n"
       "I Step 1 started (noop)\n"
       "I Nothing to do (noop)\n"
       "S Step 1 ended with status F, return code 0\n"
       "I Step 2 started (fail)\n"
       "E Step failed (built-in 'fail')\n"
       "W Step 2 ended with status A, return code 0\n"
       "I Job ended with status A\n"},
  };
  for (const Case& c : cases) {
    const int writes_before = counting.log_writes();
    Job done = WaitTerminal(ScheduleOk(c.tmpl).key);
    EXPECT_EQ(counting.log_writes() - writes_before, 2) << c.tmpl << ": the schedule and the claim, no end of its own";
    EXPECT_EQ(done.status, c.status) << c.tmpl;
    ASSERT_EQ(done.steps.size(), c.steps.size()) << c.tmpl;
    ASSERT_TRUE(done.started_at && done.ended_at) << c.tmpl;
    for (size_t i = 0; i < c.steps.size(); ++i) {
      const StepRun& s = done.steps[i];
      EXPECT_EQ(s.status, c.steps[i]) << c.tmpl << " step " << s.step_nr;
      if (s.status == JobStatus::kReady) continue;
      ASSERT_TRUE(s.started_at && s.ended_at) << c.tmpl << " step " << s.step_nr;
      EXPECT_LE(*done.started_at, *s.started_at);
      EXPECT_LE(*s.started_at, *s.ended_at);
      EXPECT_LE(*s.ended_at, *done.ended_at);
    }
    EXPECT_EQ(LogText(done.key), c.log);
    auto lines = engine_->JobLog(kAdmin, done.key);
    ASSERT_TRUE(lines.ok());
    for (size_t i = 0; i < lines->size(); ++i) {
      EXPECT_EQ((*lines)[i].seq, static_cast<int64_t>(i + 1)) << c.tmpl;
      if (i > 0) {
        EXPECT_LE((*lines)[i - 1].at, (*lines)[i].at) << c.tmpl << " line " << i + 1;
      }
    }
    EXPECT_EQ(Count("SELECT COUNT(*) FROM jobs WHERE job_name = ? AND run_count = ? AND lease_owner IS NULL",
                    {store::Value(done.key.name), store::Value(done.key.run_count)}),
              1)
        << c.tmpl << ": the lease is released";
  }
}

// One claim takes more jobs than one statement lists keys (rows::kKeysPerStatement): the steps
// and the last log line of each are read in batches, and each job's lines continue its own log.
TEST_P(JobEngineTest, AClaimOfManyJobsReadsStepsAndNumbersLogsPerJob) {
  constexpr int kJobs = 20;
  const auto templates = TestTemplates();
  std::vector<Job> jobs;
  for (int i = 0; i < kJobs; ++i) {
    const JobTemplate& t = *std::find_if(templates.begin(), templates.end(), [&](const JobTemplate& x) {
      return x.name == (i % 2 == 0 ? "NOOP" : "CHAIN");
    });
    Job j;
    j.key = GenerateJobKey();
    j.text = "job " + std::to_string(i);
    j.template_name = t.name;
    j.job_user = "ALICE";
    j.creator = kComm.user;
    j.status = JobStatus::kReady;
    j.created_at = j.planned_start = clock_.Now();
    for (size_t n = 0; n < t.steps.size(); ++n)
      j.steps.push_back({.step_nr = static_cast<int>(n + 1), .definition = t.steps[n], .status = JobStatus::kReady});
    jobs.push_back(std::move(j));
  }
  // Waiting before any engine runs, each with a log of its own length (i % 3 + 1 lines).
  ASSERT_TRUE(store::Migrate(*db_, JobMigrations()).ok());
  ASSERT_TRUE(db_->Write([&](store::Tx& tx) -> core::Status {
                   for (int i = 0; i < kJobs; ++i) {
                     std::vector<LogLine> log;
                     for (int n = 0; n <= i % 3; ++n) log.push_back({0, 0, clock_.Now(), 'I', "line " + std::to_string(n)});
                     CW_RETURN_IF_ERROR(repository::InsertJob(tx, jobs[i], log));
                   }
                   return core::Status::Ok();
                 }).ok());
  OpenEngine({.workers = kJobs});
  for (int i = 0; i < kJobs; ++i) {
    Job done = WaitTerminal(jobs[i].key);
    EXPECT_EQ(done.status, JobStatus::kFinished) << i;
    ASSERT_EQ(done.steps.size(), jobs[i].steps.size()) << i;
    for (size_t n = 0; n < done.steps.size(); ++n) {
      EXPECT_EQ(done.steps[n].step_nr, static_cast<int>(n + 1)) << i;
      EXPECT_EQ(done.steps[n].status, JobStatus::kFinished) << i;
    }
    auto lines = engine_->JobLog(kAdmin, jobs[i].key);
    ASSERT_TRUE(lines.ok());
    const size_t scheduled = static_cast<size_t>(i % 3 + 1);
    ASSERT_GT(lines->size(), scheduled) << i;
    for (size_t n = 0; n < lines->size(); ++n) EXPECT_EQ((*lines)[n].seq, static_cast<int64_t>(n + 1)) << i;
    EXPECT_EQ((*lines)[scheduled].text, "Job started") << i;
    EXPECT_EQ(lines->back().text, "Job ended with status F") << i;
  }
}

TEST_P(JobEngineTest, FailedStepFailsTheJobAndStopsTheChain) {
  OpenEngine();
  Job done = WaitTerminal(ScheduleOk("FAIL_MIDDLE").key);
  EXPECT_EQ(done.status, JobStatus::kFailed);
  EXPECT_EQ(done.steps[0].status, JobStatus::kFinished);
  EXPECT_EQ(done.steps[1].status, JobStatus::kFailed);
  EXPECT_EQ(done.steps[2].status, JobStatus::kReady);
  EXPECT_FALSE(done.steps[2].started_at.has_value());
}

TEST_P(JobEngineTest, ExitCodesMapToStepStatusAndParametersReachTheEnvironment) {
  OpenEngine();
  struct Case {
    const char* rc;
    JobStatus want;
  };
  for (const Case& c : {Case{"0", JobStatus::kFinished}, Case{"3", JobStatus::kWarning},
                        Case{"4", JobStatus::kUserError}, Case{"1", JobStatus::kFailed}}) {
    std::string params = std::string(R"({"VALUES":[{"NAME":"P_RC","T_VALUE":[{"SIGN":"I","OPTION":"EQ","LOW":")") +
                         c.rc + R"(","HIGH":""}]},{"NAME":"P_DAYS","T_VALUE":[{"LOW":"12"}]}]})";
    Job done = WaitTerminal(ScheduleOk("EXIT", params).key);
    EXPECT_EQ(done.status, c.want) << c.rc;
    EXPECT_EQ(done.steps[0].app_rc, std::atoi(c.rc));
    EXPECT_EQ(done.app_rc, std::atoi(c.rc));
    EXPECT_NE(LogText(done.key).find("days=12 step=1"), std::string::npos);
  }
  auto spec = runner_.specs().back();
  std::set<std::string> names;
  for (auto& [k, v] : spec.env) names.insert(k);
  for (const char* n : {"PATH", "CW_JOB_NAME", "CW_JOB_RUN_COUNT", "CW_JOB_USER", "CW_STEP_NR", "CW_PARAM_P_RC"})
    EXPECT_TRUE(names.count(n)) << n;
}

TEST_P(JobEngineTest, StepOutputIsBoundedInTheLog) {
  OpenEngine({.step_output_limit = 200});
  Job done = WaitTerminal(ScheduleOk("CHATTY").key);
  EXPECT_EQ(done.status, JobStatus::kFinished);
  std::string log = LogText(done.key);
  EXPECT_NE(log.find("line-0\n"), std::string::npos);
  EXPECT_EQ(log.find("line-499"), std::string::npos);
  EXPECT_NE(log.find("Output truncated"), std::string::npos);
}

TEST_P(JobEngineTest, CancelOfNotStartedJobRemovesIt) {
  OpenEngine({.workers = 1});
  Job blocker = ScheduleOk("SLEEP");
  ASSERT_TRUE(WaitStatus(blocker.key, JobStatus::kRunning));
  Job waiting = ScheduleOk("NOOP");
  EXPECT_EQ(engine_->GetJob(kComm, waiting.key)->status, JobStatus::kReady);
  ASSERT_TRUE(engine_->Cancel(kComm, waiting.key).ok());
  auto gone = engine_->GetJob(kComm, waiting.key);
  ASSERT_FALSE(gone.ok());
  EXPECT_EQ(gone.error().GatewayCode(), "APJ_RT/003");
  // Removed from the store too.
  int64_t rows = -1;
  ASSERT_TRUE(db_->Read([&](store::Tx& tx) {
                   return tx.Query("SELECT COUNT(*) FROM jobs WHERE job_name = ?", {store::Value(waiting.key.name)},
                                   [&](const store::Row& r) { rows = r.Int(0); });
                 }).ok());
  EXPECT_EQ(rows, 0);
  // Cancelling the sleeping built-in ends it in C.
  ASSERT_TRUE(engine_->Cancel(kComm, blocker.key).ok());
  EXPECT_EQ(WaitTerminal(blocker.key).status, JobStatus::kCanceled);
}

TEST_P(JobEngineTest, CancelOfRunningCommandTerminatesItsProcessGroup) {
  OpenEngine();
  Job j = ScheduleOk("SLEEP30");
  ASSERT_TRUE(engine_->WaitUntil([&] { return !runner_.pids().empty(); }, kWait));
  ASSERT_TRUE(WaitStatus(j.key, JobStatus::kRunning));
  const int pid = runner_.pids().front();
  ASSERT_EQ(::kill(pid, 0), 0);
  ASSERT_TRUE(engine_->Cancel(kComm, j.key).ok());
  Job done = WaitTerminal(j.key);
  EXPECT_EQ(done.status, JobStatus::kCanceled);
  EXPECT_EQ(done.steps[0].status, JobStatus::kCanceled);
  errno = 0;
  EXPECT_EQ(::kill(pid, 0), -1);
  EXPECT_EQ(errno, ESRCH);
  EXPECT_EQ(::kill(-pid, 0), -1);
  EXPECT_NE(LogText(j.key).find("Job was canceled by user COMM_USER"), std::string::npos);
  // A finished (canceled) job cannot be cancelled again.
  auto again = engine_->Cancel(kComm, j.key);
  ASSERT_FALSE(again.ok());
  EXPECT_EQ(again.error().GatewayCode(), "APJ_RT/040");
}

TEST_P(JobEngineTest, AbortAppliesToRunningJobsOnly) {
  OpenEngine({.workers = 1});
  Job running = ScheduleOk("SLEEP");
  ASSERT_TRUE(WaitStatus(running.key, JobStatus::kRunning));
  Job waiting = ScheduleOk("NOOP");
  auto not_running = engine_->Abort(kComm, waiting.key);
  ASSERT_FALSE(not_running.ok());
  EXPECT_EQ(not_running.error().GatewayCode(), "APJ_RT/040");
  EXPECT_EQ(not_running.error().HttpStatus(), 400);
  ASSERT_TRUE(engine_->Abort(kComm, running.key).ok());
  EXPECT_EQ(WaitTerminal(running.key).status, JobStatus::kCanceled);
  EXPECT_EQ(WaitTerminal(waiting.key).status, JobStatus::kFinished);
  EXPECT_EQ(engine_->Abort(kComm, waiting.key).error().GatewayCode(), "APJ_RT/040");
  EXPECT_EQ(engine_->Abort(kComm, {"00000000000000000000000000000000", "AAAAAAAA"}).error().GatewayCode(),
            "APJ_RT/003");
  EXPECT_EQ(engine_->Cancel(kComm, {"00000000000000000000000000000000", "AAAAAAAA"}).error().GatewayCode(),
            "APJ_RT/039");
}

TEST_P(JobEngineTest, RestartFromFailedStepReRunsIt) {
  OpenEngine();
  Job failed = WaitTerminal(ScheduleOk("FAIL_MIDDLE").key);
  ASSERT_EQ(failed.status, JobStatus::kFailed);
  auto copy = engine_->Restart(kComm, failed.key, "E");
  ASSERT_TRUE(copy.ok()) << copy.error().text;
  EXPECT_NE(copy->key, failed.key);
  EXPECT_EQ(copy->orig_name, failed.key.name);
  EXPECT_EQ(copy->orig_count, failed.key.run_count);
  EXPECT_EQ(copy->restart_count, 1);
  EXPECT_EQ(copy->restart_mode, "E");
  Job done = WaitTerminal(copy->key);
  EXPECT_EQ(done.steps[0].status, JobStatus::kSkipped);
  EXPECT_EQ(done.steps[1].status, JobStatus::kFailed);  // the failing step runs again
  EXPECT_EQ(done.status, JobStatus::kFailed);
  // A restart of the copy still points at the first original.
  auto second = engine_->Restart(kComm, done.key, "E");
  ASSERT_TRUE(second.ok());
  EXPECT_EQ(second->orig_name, failed.key.name);
  EXPECT_EQ(second->restart_count, 2);
}

TEST_P(JobEngineTest, RestartAfterFailedStepSkipsIt) {
  OpenEngine();
  Job failed = WaitTerminal(ScheduleOk("FAIL_MIDDLE").key);
  auto copy = engine_->Restart(kComm, failed.key, "A");
  ASSERT_TRUE(copy.ok()) << copy.error().text;
  Job done = WaitTerminal(copy->key);
  EXPECT_EQ(done.steps[0].status, JobStatus::kSkipped);
  EXPECT_EQ(done.steps[1].status, JobStatus::kSkipped);
  EXPECT_EQ(done.steps[2].status, JobStatus::kFinished);
  EXPECT_EQ(done.status, JobStatus::kFinished);
}

TEST_P(JobEngineTest, RestartErrors) {
  OpenEngine();
  Job last = WaitTerminal(ScheduleOk("FAIL_LAST").key);
  EXPECT_EQ(engine_->Restart(kComm, last.key, "A").error().GatewayCode(), "APJ_RT/082");
  Job ok = WaitTerminal(ScheduleOk("NOOP").key);
  EXPECT_EQ(engine_->Restart(kComm, ok.key, "E").error().GatewayCode(), "APJ_RT/081");
  EXPECT_EQ(engine_->Restart(kOther, last.key, "E").error().GatewayCode(), "APJ_RT/031");
}

TEST_P(JobEngineTest, SleepFollowsTheInjectedClock) {
  OpenEngine();
  Job j = ScheduleOk("SLEEP");
  ASSERT_TRUE(engine_->WaitUntil([&] { return engine_->GetJob(kComm, j.key)->steps[0].started_at.has_value(); }, kWait));
  clock_.Advance(std::chrono::seconds(3599));
  EXPECT_FALSE(engine_->WaitUntil([&] { return IsTerminal(engine_->GetJob(kComm, j.key)->status); }, 300ms));
  clock_.Advance(std::chrono::seconds(2));
  EXPECT_EQ(WaitTerminal(j.key).status, JobStatus::kFinished);
}

TEST_P(JobEngineTest, ValidationErrorsUseApjMessages) {
  OpenEngine();
  auto unknown = engine_->Schedule(kComm, {.template_name = "NOPE", .job_user = "ALICE"});
  EXPECT_EQ(unknown.error().GatewayCode(), "APJ_RT/015");
  EXPECT_EQ(unknown.error().text, "Job template NOPE doesn't exist.");
  auto user = engine_->Schedule(kComm, {.template_name = "NOOP", .job_user = "MALLORY"});
  EXPECT_EQ(user.error().GatewayCode(), "APJ_RT/083");
  EXPECT_EQ(user.error().text, "User MALLORY doesn't exist or is invalid.");
  auto mandatory = engine_->Schedule(
      kComm, {.template_name = "CLEANUP", .job_user = "ALICE",
              .parameter_values = R"({"VALUES":[{"NAME":"P_DAYS","T_VALUE":[{"LOW":""}]}]})"});
  EXPECT_EQ(mandatory.error().GatewayCode(), "APJ_RT/032");
  auto bad_json = engine_->Schedule(kComm, {.template_name = "NOOP", .job_user = "ALICE", .parameter_values = "{"});
  EXPECT_EQ(bad_json.error().GatewayCode(), "APJ_RT/032");
  auto restricted = engine_->Schedule(kComm, {.template_name = "RESTRICTED", .job_user = "BOB"});
  EXPECT_EQ(restricted.error().GatewayCode(), "APJ_RT/024");
  EXPECT_TRUE(engine_->Schedule(kAdmin, {.template_name = "RESTRICTED", .job_user = "BOB"}).ok());
  EXPECT_TRUE(engine_->Schedule(kComm, {.template_name = "RESTRICTED", .job_user = "ALICE"}).ok());
}

TEST_P(JobEngineTest, CallersWithoutScenario0326SeeOnlyTheirOwnJobs) {
  OpenEngine();
  Job mine = WaitTerminal(ScheduleOk("NOOP").key);
  EXPECT_EQ(engine_->GetJob(kOther, mine.key).error().GatewayCode(), "APJ_RT/028");
  EXPECT_EQ(engine_->GetStatus(kOther, mine.key).error().GatewayCode(), "APJ_RT/028");
  EXPECT_EQ(engine_->GetStatus(kComm, mine.key).value(), JobStatus::kFinished);
  EXPECT_EQ(engine_->GetStatus(kComm, {"X", "Y"}).error().GatewayCode(), "APJ_RT/003");
  EXPECT_TRUE(engine_->GetJob(kAdmin, mine.key).ok());
  EXPECT_EQ(engine_->Cancel(kOther, mine.key).error().GatewayCode(), "APJ_RT/031");
  EXPECT_TRUE(engine_->ListJobs(kOther, {})->empty());
  EXPECT_EQ(engine_->ListJobs(kComm, {})->size(), 1u);
  EXPECT_EQ(engine_->ListJobs(kAdmin, {.template_name = "NO*"})->size(), 1u);
  EXPECT_EQ(engine_->ListJobs(kAdmin, {.text = "*NOOP"})->size(), 1u);
  EXPECT_TRUE(engine_->ListJobs(kAdmin, {.template_name = "CHAIN"})->empty());
}

TEST_P(JobEngineTest, ScheduleCheckReportsReadOnlyRemovalAndErrors) {
  JobTemplate t = Template("RO", {Step(StepKind::kNoop)},
                           {{.name = "P_MODE", .step_nr = 1, .read_only = true, .hidden = true,
                             .defaults = {{"I", "EQ", "FULL", ""}}}});
  OpenEngine();
  ASSERT_TRUE(engine_->UpsertTemplate(t, "ADMIN").ok());
  auto check = engine_->CheckSchedule(
      kComm, {.template_name = "RO", .job_user = "ALICE",
              .parameter_values = R"({"VALUES":[{"NAME":"P_MODE","T_VALUE":[{"LOW":"DELTA"}]}]})"});
  ASSERT_TRUE(check.ok());
  EXPECT_TRUE(check->successful);
  EXPECT_TRUE(check->changed);
  EXPECT_NE(check->parameter_values.find("FULL"), std::string::npos);
  ASSERT_EQ(check->dynamic_properties.size(), 1u);
  EXPECT_TRUE(check->dynamic_properties[0].hidden);
  EXPECT_EQ(check->messages.at(0), "Parameter P_MODE has been removed because it is read-only");
  auto bad = engine_->CheckSchedule(kComm, {.template_name = "RO", .job_user = "ALICE",
                                            .parameter_values = R"({"VALUES":[{"NAME":"P_X"}]})"});
  ASSERT_TRUE(bad.ok());
  EXPECT_FALSE(bad->successful);
  EXPECT_EQ(engine_->JobCount().value(), 0);
}

TEST_P(JobEngineTest, LogCleanupDeletesOldFinishedJobs) {
  OpenEngine();
  Job old_job = WaitTerminal(ScheduleOk("NOOP").key);
  clock_.Advance(std::chrono::hours(24 * 10));
  Job recent = WaitTerminal(ScheduleOk("NOOP").key);
  Job cleanup = WaitTerminal(
      ScheduleOk("CLEANUP", R"({"VALUES":[{"NAME":"P_DAYS","T_VALUE":[{"LOW":"5"}]}]})").key);
  EXPECT_EQ(cleanup.status, JobStatus::kFinished);
  EXPECT_EQ(engine_->GetJob(kAdmin, old_job.key).error().GatewayCode(), "APJ_RT/003");
  EXPECT_TRUE(engine_->GetJob(kAdmin, recent.key).ok());
  EXPECT_NE(LogText(cleanup.key).find("Deleted 1 finished jobs"), std::string::npos);
  int64_t log_rows = -1;
  ASSERT_TRUE(db_->Read([&](store::Tx& tx) {
                   return tx.Query("SELECT COUNT(*) FROM job_log WHERE job_name = ?", {store::Value(old_job.key.name)},
                                   [&](const store::Row& r) { log_rows = r.Int(0); });
                 }).ok());
  EXPECT_EQ(log_rows, 0);
}

TEST_P(JobEngineTest, RecoveryEndsRunningJobsInFailedAndRunsWaitingOnes) {
  // Simulate a crash: jobs written as running / ready by a previous process, no engine alive.
  ASSERT_TRUE(store::Migrate(*db_, JobMigrations()).ok());
  auto make = [&](JobStatus status) {
    Job j;
    j.key = GenerateJobKey();
    j.text = "crashed";
    j.template_name = "CHAIN";
    j.job_user = "ALICE";
    j.creator = "COMM_USER";
    j.status = status;
    j.created_at = clock_.Now();
    j.planned_start = clock_.Now();
    for (int i = 1; i <= 2; ++i) {
      StepRun s;
      s.step_nr = i;
      s.status = status != JobStatus::kReady && i == 1 ? JobStatus::kRunning : JobStatus::kReady;
      j.steps.push_back(s);
    }
    EXPECT_TRUE(db_->Write([&](store::Tx& tx) {
                     return repository::InsertJob(tx, j, {{1, 0, clock_.Now(), 'I', "scheduled"}});
                   }).ok());
    return j.key;
  };
  JobKey was_running = make(JobStatus::kRunning);
  JobKey was_ready = make(JobStatus::kReady);
  JobKey was_canceling = make(JobStatus::kCanceling);  // JobCancel answered, process not yet stopped
  OpenEngine();
  auto running = engine_->GetJob(kAdmin, was_running);
  ASSERT_TRUE(running.ok());
  EXPECT_EQ(running->status, JobStatus::kFailed);
  EXPECT_EQ(running->steps[0].status, JobStatus::kFailed);
  std::string log = LogText(was_running);
  EXPECT_NE(log.find("Job was aborted due to a technical error."), std::string::npos);
  EXPECT_NE(log.find("server stopped while the job was running"), std::string::npos);
  EXPECT_EQ(WaitTerminal(was_ready).status, JobStatus::kFinished);
  // The answered cancel holds: C, not the A a scheduler would rerun.
  auto canceled = engine_->GetJob(kAdmin, was_canceling);
  ASSERT_TRUE(canceled.ok());
  EXPECT_EQ(canceled->status, JobStatus::kCanceled);
  EXPECT_EQ(canceled->steps[0].status, JobStatus::kCanceled);
  EXPECT_EQ(canceled->steps[1].status, JobStatus::kReady);
  log = LogText(was_canceling);
  EXPECT_EQ(log.find("technical error"), std::string::npos);
  EXPECT_NE(log.find("It was being canceled."), std::string::npos);
  // The state survives another restart.
  engine_.reset();
  OpenEngine();
  EXPECT_EQ(engine_->GetJob(kAdmin, was_running)->status, JobStatus::kFailed);
  EXPECT_EQ(engine_->GetJob(kAdmin, was_ready)->status, JobStatus::kFinished);
  EXPECT_EQ(engine_->GetJob(kAdmin, was_canceling)->status, JobStatus::kCanceled);
}

TEST_P(JobEngineTest, TemplatesAreEditableAndStored) {
  OpenEngine();
  JobTemplate t = Template("ZCUSTOM", {Step(StepKind::kNoop), Step(StepKind::kNoop)});
  ASSERT_TRUE(engine_->UpsertTemplate(t, "ADMIN").ok());
  EXPECT_EQ(engine_->UpsertTemplate(Template("BAD", {}), "ADMIN").error().GatewayCode(), "CAUSEWAY/JOBS/002");
  // Names every back end refuses alike, before the store (PostgreSQL cannot store NUL at all).
  for (std::string bad : {std::string(1, '\0'), std::string("Z\x01"), std::string("Z\x7F"), std::string("Z\xC2\x9F"),
                          std::string("Z\xFF"), std::string(41, 'Z')}) {
    auto r = engine_->UpsertTemplate(Template(bad, {Step(StepKind::kNoop)}), "ADMIN");
    ASSERT_FALSE(r.ok()) << bad;
    EXPECT_EQ(r.error().GatewayCode(), "CAUSEWAY/JOBS/002") << bad;
  }
  engine_.reset();
  OpenEngine();
  auto found = engine_->FindTemplate("ZCUSTOM");
  ASSERT_TRUE(found.ok());
  EXPECT_EQ(found->steps.size(), 2u);
  EXPECT_EQ(found->created_by, "ADMIN");
  ASSERT_TRUE(engine_->DeleteTemplate("ZCUSTOM").ok());
  EXPECT_EQ(engine_->FindTemplate("ZCUSTOM").error().GatewayCode(), "APJ_RT/015");
  EXPECT_EQ(engine_->DeleteTemplate("ZCUSTOM").error().GatewayCode(), "APJ_RT/015");
  std::string id = GenerateTemplateId();
  EXPECT_EQ(id.size(), 26u);
  EXPECT_EQ(id[0], 'Z');
}

TEST_P(JobEngineTest, ShutdownEndsRunningJobsInFailed) {
  OpenEngine();
  Job j = ScheduleOk("SLEEP30");
  ASSERT_TRUE(engine_->WaitUntil([&] { return !runner_.pids().empty(); }, kWait));
  ASSERT_TRUE(WaitStatus(j.key, JobStatus::kRunning));
  const int pid = runner_.pids().front();
  engine_.reset();
  EXPECT_EQ(::kill(pid, 0), -1);
  OpenEngine();
  EXPECT_EQ(engine_->GetJob(kAdmin, j.key)->status, JobStatus::kFailed);
}

}  // namespace
}  // namespace causeway::jobs::testing
