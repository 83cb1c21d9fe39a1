// Retry back-off for outbound delivery. Pure functions: nothing here reads a clock or sleeps, so
// the outbox drives them with core::Clock (virtual time in tests and the sandbox) and a seeded
// generator (reproducible schedules in tests).
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <random>

#include "core/clock.h"
#include "core/result.h"

namespace causeway::exchange {

enum class Jitter {
  kNone,          // exactly initial·multiplier^(n-1), capped
  kFull,          // uniform in [0, initial·multiplier^(n-1)], capped ("full jitter")
  kDecorrelated,  // uniform in [initial, 3·previous delay], capped ("decorrelated jitter")
};

struct BackoffPolicy {
  std::chrono::milliseconds initial{500};        // base delay before the 2nd attempt
  std::chrono::milliseconds max_delay{300'000};  // cap on any single delay
  double multiplier = 2.0;                       // growth per attempt (kNone, kFull)
  Jitter jitter = Jitter::kFull;
  int max_attempts = 10;                  // attempts in all, the first included; 0 = unlimited
  std::chrono::milliseconds max_age{24 * 3600 * 1000};  // from the first attempt; 0 = unlimited

  friend bool operator==(const BackoffPolicy&, const BackoffPolicy&) = default;
};

// Checks the ranges (initial > 0, max_delay >= initial, 1 <= multiplier <= 100, attempts and
// age >= 0). The error is kBadRequest CAUSEWAY/EXCHANGE/003 whose `target` names the field
// ("retry.initial", …) and whose text says why.
core::Status ValidateBackoffPolicy(const BackoffPolicy& policy);

// Where a message stands after a failed attempt.
struct AttemptState {
  int failed_attempts = 1;                  // attempts made so far, all failed (>= 1)
  std::chrono::milliseconds previous_delay{0};  // the delay chosen before the last attempt (0: none)
  std::chrono::milliseconds age{0};         // time from the first attempt to the last failure
};

// The delay before the next attempt, or nullopt when the policy says give up: the attempts are
// used up, or the next attempt would start after max_age. Pure: the only input besides the
// arguments is `rng`, advanced by one draw when the policy jitters.
std::optional<std::chrono::milliseconds> NextAttemptDelay(const BackoffPolicy& policy,
                                                          const AttemptState& state,
                                                          std::mt19937_64& rng);

struct NextAttempt {
  core::SystemTime at;               // when to try again
  std::chrono::milliseconds delay;   // at - now; pass it as previous_delay next time
};

// NextAttemptDelay() combined with a server's wish (Retry-After, see Classify()): the next
// attempt is at max(now + delay, not_before). Gives up (nullopt) under the same rules, also when
// not_before lies beyond max_age (measured as state.age + (not_before - now)). `now` is the time
// of the failure, read by the caller from its core::Clock.
std::optional<NextAttempt> NextAttemptTime(const BackoffPolicy& policy, const AttemptState& state,
                                           core::SystemTime now,
                                           std::optional<core::SystemTime> not_before,
                                           std::mt19937_64& rng);

}  // namespace causeway::exchange
