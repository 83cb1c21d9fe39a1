#include "client/poll_backoff.h"

#include <algorithm>

namespace causeway::client {

PollBackoff::PollBackoff(std::chrono::milliseconds initial, std::chrono::milliseconds max,
                         double factor, double jitter, uint64_t seed)
    : initial_(std::max(std::chrono::milliseconds(1), std::min(initial, max))),
      max_(std::max(std::chrono::milliseconds(1), max)),
      factor_(std::max(1.0, factor)),
      jitter_(std::clamp(jitter, 0.0, 0.9)),
      current_ms_(static_cast<double>(initial_.count())),
      rng_(seed) {}

std::chrono::milliseconds PollBackoff::Next() {
  double base = current_ms_;
  current_ms_ = std::min(current_ms_ * factor_, static_cast<double>(max_.count()));
  std::uniform_real_distribution<double> spread(1.0 - jitter_, 1.0 + jitter_);
  double jittered = base * spread(rng_);
  jittered = std::clamp(jittered, 1.0, static_cast<double>(max_.count()));
  return std::chrono::milliseconds(static_cast<int64_t>(jittered));
}

void PollBackoff::Reset() { current_ms_ = static_cast<double>(initial_.count()); }

}  // namespace causeway::client
