#include "exchange/backoff.h"

#include <algorithm>
#include <cmath>

namespace causeway::exchange {

namespace {

using std::chrono::milliseconds;

core::Error PolicyError(std::string field, std::string text) {
  core::Error e = core::MakeError(core::Code::kBadRequest, "CAUSEWAY/EXCHANGE", "003",
                                  "Retry policy: " + field + " " + text);
  e.target = "retry." + field;
  return e;
}

int64_t UniformMillis(int64_t lo, int64_t hi, std::mt19937_64& rng) {
  return std::uniform_int_distribution<int64_t>(lo, hi)(rng);
}

}  // namespace

core::Status ValidateBackoffPolicy(const BackoffPolicy& p) {
  if (p.initial.count() <= 0) return PolicyError("initial", "must be positive");
  if (p.max_delay < p.initial) return PolicyError("max_delay", "must not be below initial");
  if (!(p.multiplier >= 1.0 && p.multiplier <= 100.0)) {
    return PolicyError("multiplier", "must lie between 1 and 100");
  }
  if (p.max_attempts < 0) return PolicyError("max_attempts", "must not be negative (0: unlimited)");
  if (p.max_age.count() < 0) return PolicyError("max_age", "must not be negative (0: unlimited)");
  return core::Status::Ok();
}

std::optional<milliseconds> NextAttemptDelay(const BackoffPolicy& policy, const AttemptState& state,
                                             std::mt19937_64& rng) {
  const int failed = std::max(state.failed_attempts, 1);
  if (policy.max_attempts > 0 && failed >= policy.max_attempts) return std::nullopt;
  const int64_t cap = std::max<int64_t>(policy.max_delay.count(), 0);
  const int64_t base = std::clamp<int64_t>(policy.initial.count(), 0, cap);
  int64_t delay = 0;
  if (policy.jitter == Jitter::kDecorrelated) {
    // AWS's "decorrelated jitter": min(cap, uniform(base, 3 · previous)).
    const int64_t previous = state.previous_delay.count() > 0 ? state.previous_delay.count() : base;
    const int64_t hi = std::clamp<int64_t>(previous > cap / 3 ? cap : previous * 3, base, cap);
    delay = UniformMillis(base, hi, rng);
  } else {
    // Computed in double so that a large attempt count saturates at the cap, never overflows.
    const double grown = static_cast<double>(base) * std::pow(policy.multiplier, failed - 1);
    const int64_t exp = grown >= static_cast<double>(cap) ? cap : static_cast<int64_t>(grown);
    delay = policy.jitter == Jitter::kFull ? UniformMillis(0, exp, rng) : exp;
  }
  if (policy.max_age.count() > 0 && state.age.count() + delay > policy.max_age.count()) {
    return std::nullopt;
  }
  return milliseconds(delay);
}

std::optional<NextAttempt> NextAttemptTime(const BackoffPolicy& policy, const AttemptState& state,
                                           core::SystemTime now,
                                           std::optional<core::SystemTime> not_before,
                                           std::mt19937_64& rng) {
  std::optional<milliseconds> delay = NextAttemptDelay(policy, state, rng);
  if (!delay) return std::nullopt;
  core::SystemTime at = now + *delay;
  if (not_before && *not_before > at) {
    const auto wait = std::chrono::ceil<milliseconds>(*not_before - now);
    if (policy.max_age.count() > 0 && state.age + wait > policy.max_age) return std::nullopt;
    at = now + wait;
    delay = wait;
  }
  return NextAttempt{at, *delay};
}

}  // namespace causeway::exchange
