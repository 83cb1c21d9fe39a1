#include "domain/changes/operation_clock.h"

#include <algorithm>

namespace causeway::changes {

int64_t OperationClock::NowMs() const { return core::ToUnixMillis(clock_.Now()); }

int64_t OperationClock::Stamp(int64_t floor_ms) {
  std::lock_guard lock(mu_);
  const int64_t stamp = std::max(NowMs(), floor_ms);
  in_flight_.insert(stamp);
  return stamp;
}

void OperationClock::Release(int64_t stamp) {
  std::lock_guard lock(mu_);
  auto it = in_flight_.find(stamp);
  if (it != in_flight_.end()) in_flight_.erase(it);
}

int64_t OperationClock::SafeMoment() const {
  std::lock_guard lock(mu_);
  const int64_t now = NowMs();
  return in_flight_.empty() ? now : std::min(now, *in_flight_.begin());
}

}  // namespace causeway::changes
