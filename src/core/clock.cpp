#include "core/clock.h"

namespace causeway::core {

int64_t ManualClock::ToMicros(SystemTime t) {
  return std::chrono::duration_cast<std::chrono::microseconds>(t.time_since_epoch()).count();
}
SystemTime ManualClock::Now() const {
  return SystemTime(std::chrono::duration_cast<SystemTime::duration>(std::chrono::microseconds(now_us_.load())));
}
void ManualClock::Advance(std::chrono::microseconds d) { now_us_ += d.count(); }
void ManualClock::Set(SystemTime t) { now_us_ = ToMicros(t); }

int64_t ToUnixMillis(SystemTime t) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(t.time_since_epoch()).count();
}
SystemTime FromUnixMillis(int64_t ms) {
  return SystemTime(std::chrono::duration_cast<SystemTime::duration>(std::chrono::milliseconds(ms)));
}

}  // namespace causeway::core
