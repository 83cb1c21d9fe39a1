#include "domain/activities/task.h"

#include <atomic>
#include <chrono>
#include <cstdio>

#include "core/time_format.h"
#include "soap/a2x.h"

namespace causeway::activities {

std::optional<Action> ActionFromCode(std::string_view code) {
  if (code.size() != 2 || code[0] != '0' || code[1] < '1' || code[1] > '6') return std::nullopt;
  return static_cast<Action>(code[1] - '0');
}

std::string ActionCode(Action a) { return "0" + std::to_string(static_cast<int>(a)); }

bool StatusTransitionAllowed(std::string_view from, std::string_view to) {
  if (from == to) return true;
  // Completed and cancelled tasks are final; open and in process move freely between each
  // other and to the final states.
  if (from == kStatusCompleted || from == kStatusCancelled) return false;
  return to == kStatusOpen || to == kStatusInProcess || to == kStatusCompleted || to == kStatusCancelled;
}

std::string NewUuid(core::SystemTime now) { return soap::a2x::NewUuid(now); }

std::string NextChangeState(core::SystemTime now) {
  // 100 ns ticks, the resolution of the ABAP long timestamp.
  static std::atomic<int64_t> last{0};
  int64_t ticks = std::chrono::duration_cast<std::chrono::nanoseconds>(now.time_since_epoch()).count() / 100;
  int64_t prev = last.load();
  int64_t next;
  do {
    next = std::max(ticks, prev + 1);
  } while (!last.compare_exchange_weak(prev, next));
  const int64_t seconds = next / 10'000'000;
  char frac[16];
  std::snprintf(frac, sizeof frac, ".%07lld", static_cast<long long>(next % 10'000'000));
  return core::FormatSapTimestampShort(core::SystemTime(std::chrono::seconds(seconds))) + frac;
}

}  // namespace causeway::activities
