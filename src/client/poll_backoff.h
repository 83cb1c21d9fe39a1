// Adaptive poll interval for `job run`: start fast (most jobs that finish quickly are seen
// finishing quickly), grow geometrically to the user's maximum, add jitter so many agents
// started by the same scheduler tick do not poll in lockstep.
#pragma once

#include <chrono>
#include <cstdint>
#include <random>

namespace causeway::client {

class PollBackoff {
 public:
  // `initial` <= `max` (initial is clamped to max). `jitter` is the relative spread, e.g. 0.2
  // gives delays uniformly in [0.8·d, 1.2·d], never above `max` and never below 1 ms.
  PollBackoff(std::chrono::milliseconds initial, std::chrono::milliseconds max,
              double factor = 1.6, double jitter = 0.2, uint64_t seed = std::random_device{}());

  // The next delay to wait; advances the schedule.
  std::chrono::milliseconds Next();
  // Back to `initial` (called when the job status changes: things are moving).
  void Reset();

 private:
  std::chrono::milliseconds initial_;
  std::chrono::milliseconds max_;
  double factor_;
  double jitter_;
  double current_ms_;
  std::mt19937_64 rng_;
};

}  // namespace causeway::client
