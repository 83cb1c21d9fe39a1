// Test support for the job engine tests: templates for every step kind, a runner that records
// the processes it started, and a fixture parameterized by back end (store/backend_fixture.h:
// a fresh SQLite file or a fresh PostgreSQL database per test) with the engine on a ManualClock.
#pragma once

#include <gtest/gtest.h>
#include <signal.h>

#include <cerrno>
#include <filesystem>
#include <mutex>
#include <set>

#include "domain/jobs/job_engine.h"
#include "store/backend_fixture.h"

namespace causeway::jobs::testing {

using namespace std::chrono_literals;
constexpr auto kWait = 20s;  // generous: the tests run under sanitizers on a shared machine

class FakeUsers final : public UserDirectory {
 public:
  bool IsBusinessUser(std::string_view u) const override { return u == "ALICE" || u == "BOB"; }
};

// Wraps the real runner and remembers the pids it started (for the process-group checks).
class RecordingRunner final : public ProcessRunner {
 public:
  core::Result<std::unique_ptr<RunningProcess>> Start(const ProcessSpec& spec) override {
    auto p = real_.Start(spec);
    if (p.ok()) {
      std::lock_guard lock(mu_);
      pids_.push_back((*p)->Pid());
      specs_.push_back(spec);
    }
    return p;
  }
  std::vector<int> pids() const {
    std::lock_guard lock(mu_);
    return pids_;
  }
  std::vector<ProcessSpec> specs() const {
    std::lock_guard lock(mu_);
    return specs_;
  }

 private:
  PosixProcessRunner real_{std::chrono::milliseconds(500)};
  mutable std::mutex mu_;
  std::vector<int> pids_;
  std::vector<ProcessSpec> specs_;
};

inline StepDefinition Step(StepKind kind, std::string name = "") {
  StepDefinition s;
  s.kind = kind;
  s.catalog_entry_name = std::move(name);
  return s;
}

inline StepDefinition Command(std::vector<std::string> argv) {
  StepDefinition s = Step(StepKind::kCommand, "CMD");
  s.argv = std::move(argv);
  return s;
}

inline JobTemplate Template(std::string name, std::vector<StepDefinition> steps, std::vector<ParameterDefinition> params = {}) {
  JobTemplate t;
  t.name = std::move(name);
  t.text = "Template " + t.name;
  t.report_name = "R_" + t.name;
  t.steps = std::move(steps);
  t.parameters = std::move(params);
  return t;
}

inline std::vector<JobTemplate> TestTemplates() {
  std::vector<JobTemplate> ts;
  ts.push_back(Template("NOOP", {Step(StepKind::kNoop)}));
  ts.push_back(Template("CHAIN", {Step(StepKind::kNoop), Step(StepKind::kNoop), Step(StepKind::kNoop)}));
  ts.push_back(Template("FAIL_MIDDLE", {Step(StepKind::kNoop), Step(StepKind::kFail), Step(StepKind::kNoop)}));
  ts.push_back(Template("FAIL_LAST", {Step(StepKind::kNoop), Step(StepKind::kFail)}));
  ts.push_back(Template("SLEEP", {Step(StepKind::kSleep)},
                        {{.name = "P_SECONDS", .step_nr = 1, .defaults = {{"I", "EQ", "3600", ""}}}}));
  ts.push_back(Template("CLEANUP", {Step(StepKind::kLogCleanup)},
                        {{.name = "P_DAYS", .step_nr = 1, .mandatory = true, .defaults = {{"I", "EQ", "30", ""}}}}));
  ts.push_back(Template("SLEEP30", {Command({"sleep", "30"})}));
  ts.push_back(Template("EXIT", {Command({"/bin/sh", "-c", "echo \"days=$CW_PARAM_P_DAYS step=$CW_STEP_NR\"; exit $CW_PARAM_P_RC"})},
                        {{.name = "P_RC", .step_nr = 1, .defaults = {{"I", "EQ", "0", ""}}},
                         {.name = "P_DAYS", .step_nr = 1}}));
  ts.push_back(Template("CHATTY", {Command({"/bin/sh", "-c", "i=0; while [ $i -lt 500 ]; do echo line-$i; i=$((i+1)); done"})}));
  JobTemplate restricted = Template("RESTRICTED", {Step(StepKind::kNoop)});
  restricted.allowed_users = {"ALICE"};
  ts.push_back(restricted);
  // Output PostgreSQL cannot store as it is: a byte that is not UTF-8 and a NUL.
  ts.push_back(Template("BINARY", {Command({"/bin/sh", "-c", "printf 'bad \\377 byte\\n'; printf 'nul \\000 char\\n'"})}));
  return ts;
}

class JobEngineTest : public store::testing::BackendTest {
 protected:
  void TearDown() override {
    engine_.reset();
    BackendTest::TearDown();
  }
  // As the appjob module configures it: SQLite is a sole node with the read cache; PostgreSQL
  // is shared by nodes and every read asks the store.
  EngineOptions Defaults(EngineOptions options = {}) const {
    options.cache_reads = !postgres();
    options.take_over_at_start = !postgres();
    return options;
  }
  void OpenEngine(EngineOptions options = {}) {
    engine_ = OpenOn(*db_, Defaults(options));
    ASSERT_NE(engine_, nullptr);
  }
  // An engine ("node") on `db` with exactly these options; null (and a failure) if it cannot open.
  std::unique_ptr<JobEngine> OpenOn(store::Database& db, EngineOptions options) {
    auto e = JobEngine::Open(db, clock_, runner_, users_, TestTemplates(), std::move(options));
    EXPECT_TRUE(e.ok()) << e.error().text;
    return e.ok() ? std::move(e).value() : nullptr;
  }
  Job ScheduleOk(const std::string& tmpl, std::string params = "", const Caller& caller = kComm) {
    return ScheduleOn(*engine_, tmpl, std::move(params), caller);
  }
  static Job ScheduleOn(JobEngine& engine, const std::string& tmpl, std::string params = "",
                        const Caller& caller = kComm) {
    auto r = engine.Schedule(caller, {.template_name = tmpl, .text = "test " + tmpl, .job_user = "ALICE",
                                      .parameter_values = std::move(params)});
    EXPECT_TRUE(r.ok()) << (r.ok() ? "" : r.error().text);
    return r.ok() ? r->job : Job{};
  }
  Job WaitTerminal(const JobKey& key) { return WaitTerminalOn(*engine_, key); }
  static Job WaitTerminalOn(JobEngine& engine, const JobKey& key) {
    auto j = engine.WaitForTerminal(key, kWait);
    EXPECT_TRUE(j.has_value());
    EXPECT_TRUE(j && IsTerminal(j->status)) << (j ? std::string(1, Letter(j->status)) : "gone");
    return j.value_or(Job{});
  }
  bool WaitStatus(const JobKey& key, JobStatus st) { return WaitStatusOn(*engine_, key, st); }
  static bool WaitStatusOn(JobEngine& engine, const JobKey& key, JobStatus st) {
    return engine.WaitUntil(
        [&] {
          auto j = engine.GetJob(kAdmin, key);
          return j.ok() && j->status == st;
        },
        kWait);
  }
  // Running with its first step's start recorded: a sleep's deadline counts from that start, so
  // the virtual clock may be advanced past it from here on (a running status alone can come
  // before the step starts, and an advance then would be lost).
  bool WaitStepStarted(const JobKey& key) {
    return engine_->WaitUntil(
        [&] {
          auto j = engine_->GetJob(kAdmin, key);
          return j.ok() && j->status == JobStatus::kRunning && !j->steps.empty() && j->steps[0].started_at.has_value();
        },
        kWait);
  }
  std::string LogText(const JobKey& key) { return LogTextOn(*engine_, key); }
  static std::string LogTextOn(JobEngine& engine, const JobKey& key) {
    auto log = engine.JobLog(kAdmin, key);
    EXPECT_TRUE(log.ok());
    std::string all;
    if (log.ok())
      for (const auto& l : *log) all += std::string(1, l.type) + " " + l.text + "\n";
    return all;
  }
  int64_t Count(const std::string& sql, std::initializer_list<store::Value> params = {}) {
    int64_t n = -1;
    EXPECT_TRUE(db_->Read([&](store::Tx& tx) {
                     return tx.Query(sql, params, [&](const store::Row& r) { n = r.Int(0); });
                   }).ok());
    return n;
  }

  static inline const Caller kComm{"COMM_USER", false};
  static inline const Caller kOther{"OTHER_COMM", false};
  static inline const Caller kAdmin{"ADMIN_COMM", true};

  core::ManualClock clock_{core::FromUnixMillis(1700000000000)};
  RecordingRunner runner_;
  FakeUsers users_;
  std::unique_ptr<JobEngine> engine_;
};

}  // namespace causeway::jobs::testing
