// Time stamps of outgoing operations, and the moment a poll may safely report as its `Date`.
//
// A poll returns operations stamped at or after the client's `time`, and the client's next
// `time` is the Date of this answer. An operation stamped before that Date but committed after
// the poll read would never be seen. So every stamp is registered as in flight until its
// unit of work has committed or rolled back, and SafeMoment() is the earlier of now and the
// oldest stamp in flight: anything a read that starts after SafeMoment() returned does not see
// carries a stamp at or after it. (One process; with several nodes on one store, their stamps
// in flight are not visible here: see the README.)
//
// Thread-safe.
#pragma once

#include <cstdint>
#include <mutex>
#include <set>

#include "core/clock.h"

namespace causeway::changes {

class OperationClock {
 public:
  explicit OperationClock(const core::Clock& clock) : clock_(clock) {}

  // A stamp (epoch ms) no earlier than now and `floor_ms`, in flight until Release.
  int64_t Stamp(int64_t floor_ms);
  void Release(int64_t stamp);
  // Now, or the oldest stamp in flight if that is earlier (epoch ms).
  int64_t SafeMoment() const;
  int64_t NowMs() const;

 private:
  const core::Clock& clock_;
  mutable std::mutex mu_;
  std::multiset<int64_t> in_flight_;  // GUARDED_BY(mu_)
};

}  // namespace causeway::changes
