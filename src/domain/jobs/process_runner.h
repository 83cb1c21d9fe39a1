// The process seam: the engine starts `command` steps only through ProcessRunner, so tests
// inject a fake and the sandbox can inject faults. PosixProcessRunner is the real one.
#pragma once

#include <chrono>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "core/result.h"

namespace causeway::jobs {

struct ProcessSpec {
  std::vector<std::string> argv;  // argv[0] is looked up in PATH if it has no '/'
  // The complete environment of the child (KEY, VALUE); the runner adds nothing.
  std::vector<std::pair<std::string, std::string>> env;
  std::string working_dir;              // empty: inherit
  std::chrono::milliseconds timeout{0};  // 0: none; on expiry the group is terminated
  size_t output_limit = 64 * 1024;      // bytes of stdout+stderr kept; the rest is counted, not kept
};

struct OutputLine {
  bool is_stderr = false;
  std::string text;  // without the newline
};

struct ProcessOutcome {
  enum class End {
    kExited,      // exit_code valid
    kSignaled,    // killed by a signal nobody here sent (signal valid)
    kTimedOut,    // the runner terminated it because ProcessSpec::timeout expired
    kTerminated,  // Terminate() was called
  };
  End end = End::kExited;
  int exit_code = 0;
  int signal = 0;
  std::vector<OutputLine> lines;
  size_t dropped_bytes = 0;  // output beyond output_limit
};

// A started process (the leader of its own process group).
class RunningProcess {
 public:
  virtual ~RunningProcess() = default;
  virtual int Pid() const = 0;
  // Asks the whole process group to stop: SIGTERM now, SIGKILL after the runner's grace period.
  // Thread-safe; may be called while another thread is in Wait(); idempotent.
  virtual void Terminate() = 0;
  // Collects output until the process exits, then reaps it and kills what is left of its group.
  // Call exactly once.
  virtual ProcessOutcome Wait() = 0;
};

class ProcessRunner {
 public:
  virtual ~ProcessRunner() = default;
  // Starts `spec`. Errors (kInternal) when the program cannot be started at all.
  virtual core::Result<std::unique_ptr<RunningProcess>> Start(const ProcessSpec& spec) = 0;
};

// fork/exec into its own process group, stdout/stderr through pipes, Terminate = kill(-pgid,
// SIGTERM), then SIGKILL after `kill_grace`; the group is SIGKILLed if the server dies
// (GroupKeeper). Thread-safe.
class PosixProcessRunner final : public ProcessRunner {
 public:
  explicit PosixProcessRunner(std::chrono::milliseconds kill_grace = std::chrono::seconds(5))
      : kill_grace_(kill_grace) {}
  core::Result<std::unique_ptr<RunningProcess>> Start(const ProcessSpec& spec) override;
  // Before the first Start (configuration).
  void set_kill_grace(std::chrono::milliseconds grace) { kill_grace_ = grace; }

 private:
  std::chrono::milliseconds kill_grace_;
};

}  // namespace causeway::jobs
