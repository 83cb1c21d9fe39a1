#include "domain/jobs/process_runner.h"

#include <gtest/gtest.h>
#include <signal.h>

#include <cerrno>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <thread>

namespace causeway::jobs {
namespace {

ProcessSpec Sh(std::string script) {
  ProcessSpec spec;
  spec.argv = {"/bin/sh", "-c", std::move(script)};
  spec.env = {{"PATH", "/usr/bin:/bin"}};
  return spec;
}

// True if a live (non-zombie) process is in group `pgid`. Zombies are skipped because in a
// container the reaper of orphans (pid 1) may never collect them.
bool GroupAlive(int pgid) {
  for (const auto& entry : std::filesystem::directory_iterator("/proc")) {
    std::ifstream in(entry.path() / "stat");
    std::string line;
    if (!std::getline(in, line)) continue;
    auto close = line.rfind(')');
    if (close == std::string::npos) continue;
    char state = 0;
    int ppid = 0, pgrp = 0;
    if (std::sscanf(line.c_str() + close + 1, " %c %d %d", &state, &ppid, &pgrp) != 3) continue;
    if (pgrp == pgid && state != 'Z') return true;
  }
  return false;
}

// SIGKILL is delivered asynchronously: a killed process stays 'R'/'S' in /proc until it is
// scheduled to die, which on a loaded 2-core CI machine can take a while. Wait for the condition.
bool GroupGone(int pgid) {
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  while (GroupAlive(pgid)) {
    if (std::chrono::steady_clock::now() > deadline) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  return true;
}

// Polls for a marker file the child writes once it is set up (a condition, not a fixed delay).
bool WaitForFile(const std::filesystem::path& p) {
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
  while (!std::filesystem::exists(p)) {
    if (std::chrono::steady_clock::now() > deadline) return false;
    std::this_thread::yield();
  }
  return true;
}

TEST(PosixProcessRunnerTest, CapturesStdoutStderrAndExitCode) {
  PosixProcessRunner runner;
  auto p = runner.Start(Sh("echo hello; echo oops >&2; exit 3"));
  ASSERT_TRUE(p.ok()) << p.error().text;
  ProcessOutcome out = (*p)->Wait();
  EXPECT_EQ(out.end, ProcessOutcome::End::kExited);
  EXPECT_EQ(out.exit_code, 3);
  ASSERT_EQ(out.lines.size(), 2u);
  bool saw_out = false, saw_err = false;
  for (const auto& l : out.lines) {
    if (!l.is_stderr && l.text == "hello") saw_out = true;
    if (l.is_stderr && l.text == "oops") saw_err = true;
  }
  EXPECT_TRUE(saw_out);
  EXPECT_TRUE(saw_err);
}

TEST(PosixProcessRunnerTest, PassesOnlyTheGivenEnvironmentAndWorkingDirectory) {
  PosixProcessRunner runner;
  ProcessSpec spec = Sh("echo \"$CW_X|$HOME|$(pwd)\"");
  spec.env.emplace_back("CW_X", "value 1");
  spec.working_dir = "/tmp";
  auto p = runner.Start(spec);
  ASSERT_TRUE(p.ok());
  ProcessOutcome out = (*p)->Wait();
  ASSERT_EQ(out.lines.size(), 1u);
  EXPECT_EQ(out.lines[0].text, "value 1||/tmp");
}

TEST(PosixProcessRunnerTest, BoundsCapturedOutput) {
  PosixProcessRunner runner;
  ProcessSpec spec = Sh("i=0; while [ $i -lt 2000 ]; do echo 0123456789; i=$((i+1)); done");
  spec.output_limit = 1000;
  auto p = runner.Start(spec);
  ASSERT_TRUE(p.ok());
  ProcessOutcome out = (*p)->Wait();
  size_t kept = 0;
  for (const auto& l : out.lines) kept += l.text.size();
  EXPECT_LE(kept, 1000u);
  EXPECT_GE(kept, 990u);
  EXPECT_EQ(kept + out.dropped_bytes, 2000u * 10u);
}

TEST(PosixProcessRunnerTest, UnknownProgramIsAnError) {
  PosixProcessRunner runner;
  ProcessSpec spec;
  spec.argv = {"/nonexistent/program"};
  auto p = runner.Start(spec);
  ASSERT_FALSE(p.ok());
}

TEST(PosixProcessRunnerTest, TerminateEndsTheWholeProcessGroup) {
  PosixProcessRunner runner(std::chrono::milliseconds(500));
  // The shell ignores nothing, but its background child must die with the group too.
  const auto marker = std::filesystem::temp_directory_path() / ("cw_pg_" + std::to_string(::getpid()));
  std::filesystem::remove(marker);
  auto p = runner.Start(Sh("sleep 30 & touch " + marker.string() + "; wait"));
  ASSERT_TRUE(p.ok());
  const int pgid = (*p)->Pid();
  ASSERT_TRUE(WaitForFile(marker));
  ASSERT_TRUE(GroupAlive(pgid));
  std::thread killer([&] { (*p)->Terminate(); });
  ProcessOutcome out = (*p)->Wait();
  killer.join();
  std::filesystem::remove(marker);
  EXPECT_EQ(out.end, ProcessOutcome::End::kTerminated);
  EXPECT_TRUE(GroupGone(pgid));
}

// kill -9 of the server: PR_SET_PDEATHSIG stops only the leader; the GroupKeeper must stop the
// shell's background child too, or the work of a job recovery ends in A keeps running.
TEST(PosixProcessRunnerDeathTest, TheWholeGroupDiesWithTheServer) {
  GTEST_FLAG_SET(death_test_style, "threadsafe");
  // The "threadsafe" style runs this body again in a new process, which inherits the
  // environment: the parent's pid names the marker for both.
  if (!std::getenv("CW_KEEPER_MARKER")) {
    const auto name = std::filesystem::temp_directory_path() / ("cw_keeper_" + std::to_string(::getpid()));
    ::setenv("CW_KEEPER_MARKER", name.c_str(), 1);
  }
  const std::filesystem::path marker = std::getenv("CW_KEEPER_MARKER");
  std::filesystem::remove(marker);
  EXPECT_EXIT(
      {
        PosixProcessRunner runner;
        auto p = runner.Start(Sh("sleep 300 & echo $$ > " + marker.string() + ".tmp; mv " + marker.string() + ".tmp " +
                                 marker.string() + "; wait"));
        if (p.ok() && WaitForFile(marker)) ::raise(SIGKILL);
        std::_Exit(3);
      },
      ::testing::KilledBySignal(SIGKILL), "");
  std::ifstream in(marker);
  int pgid = 0;
  ASSERT_TRUE(in >> pgid);
  std::filesystem::remove(marker);
  EXPECT_TRUE(GroupGone(pgid)) << "the step's background child outlived the server";
}

TEST(PosixProcessRunnerTest, TermIgnoringProcessIsKilledAfterGrace) {
  PosixProcessRunner runner(std::chrono::milliseconds(200));
  const auto marker = std::filesystem::temp_directory_path() / ("cw_trap_" + std::to_string(::getpid()));
  std::filesystem::remove(marker);
  auto p = runner.Start(Sh("trap '' TERM; touch " + marker.string() + "; while :; do sleep 0.05; done"));
  ASSERT_TRUE(p.ok());
  const int pgid = (*p)->Pid();
  ASSERT_TRUE(WaitForFile(marker));
  std::filesystem::remove(marker);
  (*p)->Terminate();
  ProcessOutcome out = (*p)->Wait();
  EXPECT_EQ(out.end, ProcessOutcome::End::kTerminated);
  EXPECT_EQ(out.signal, SIGKILL);
  EXPECT_TRUE(GroupGone(pgid));
}

TEST(PosixProcessRunnerTest, TimeoutTerminates) {
  PosixProcessRunner runner(std::chrono::milliseconds(200));
  ProcessSpec spec = Sh("sleep 30");
  spec.timeout = std::chrono::milliseconds(100);
  auto p = runner.Start(spec);
  ASSERT_TRUE(p.ok());
  ProcessOutcome out = (*p)->Wait();
  EXPECT_EQ(out.end, ProcessOutcome::End::kTimedOut);
}

}  // namespace
}  // namespace causeway::jobs
