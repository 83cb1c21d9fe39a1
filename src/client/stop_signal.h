// Waiting that a signal can cut short. `job run` sleeps between polls; SIGTERM/SIGINT (the
// scheduler killing the job) must wake it at once so the remote job can be cancelled.
#pragma once

#include <atomic>
#include <chrono>

namespace causeway::client {

class Sleeper {
 public:
  virtual ~Sleeper() = default;
  // Waits `duration`; returns false if woken early by a stop request.
  virtual bool SleepFor(std::chrono::milliseconds duration) = 0;
  // The signal number that requested the stop, or 0.
  virtual int StopRequested() const = 0;
  // After a stop was handled (cancel sent), SleepFor waits the full duration again, so the
  // bounded wait for the server's confirmation can still pace its polls.
  virtual void AcknowledgeStop() = 0;
  // A stop was requested and not yet acknowledged: what a wait for an answer gives up for.
  virtual bool StopPending() const { return false; }
};

// Installs SIGTERM and SIGINT handlers for its lifetime (previous handlers restored afterwards).
// The handler records the signal and writes to a self-pipe that SleepFor() polls. The handlers
// are one-shot: the first SIGTERM or SIGINT puts both back to their defaults, so a second
// signal, of either kind, terminates the process the default way.
// At most one instance may exist at a time.
class StopSignal final : public Sleeper {
 public:
  StopSignal();
  ~StopSignal() override;
  StopSignal(const StopSignal&) = delete;
  StopSignal& operator=(const StopSignal&) = delete;

  bool SleepFor(std::chrono::milliseconds duration) override;
  int StopRequested() const override;
  void AcknowledgeStop() override { acknowledged_ = true; }
  bool StopPending() const override { return StopRequested() != 0 && !acknowledged_; }

 private:
  bool acknowledged_ = false;
};

// A sleeper that never installs handlers (one-shot commands such as `job status`).
class PlainSleeper final : public Sleeper {
 public:
  bool SleepFor(std::chrono::milliseconds duration) override;
  int StopRequested() const override { return 0; }
  void AcknowledgeStop() override {}
};

}  // namespace causeway::client
