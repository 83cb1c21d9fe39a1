#include "core/clock.h"

namespace causeway::core {

int64_t ManualClock::ToMicros(SystemTime t) {
  return std::chrono::duration_cast<std::chrono::microseconds>(t.time_since_epoch()).count();
}
SystemTime ManualClock::Now() const {
  return SystemTime(std::chrono::duration_cast<SystemTime::duration>(std::chrono::microseconds(now_us_.load())));
}
void ManualClock::Advance(std::chrono::microseconds d) {
  now_us_ += d.count();
  PokeAlarms();
}
void ManualClock::Set(SystemTime t) {
  now_us_ = ToMicros(t);
  PokeAlarms();
}
void ManualClock::Attach(Alarm* alarm) const {
  std::lock_guard lock(alarms_mu_);
  alarms_.insert(alarm);
}
void ManualClock::Detach(Alarm* alarm) const {
  std::lock_guard lock(alarms_mu_);
  alarms_.erase(alarm);
}
void ManualClock::PokeAlarms() const {
  std::lock_guard lock(alarms_mu_);
  for (Alarm* a : alarms_) a->Poke();
}

std::chrono::steady_clock::time_point SystemClock::WakeBy(SystemTime t) const {
  const auto now = std::chrono::system_clock::now();
  const auto steady = std::chrono::steady_clock::now();
  if (t <= now) return steady;
  // Far deadlines (SystemTime::max()) must not overflow the steady clock.
  const auto left = t - now;
  if (left > std::chrono::hours(24 * 365)) return std::chrono::steady_clock::time_point::max();
  return steady + std::chrono::duration_cast<std::chrono::steady_clock::duration>(left);
}

Alarm::Alarm(const Clock& clock) : clock_(clock) { clock_.Attach(this); }
Alarm::~Alarm() { clock_.Detach(this); }

uint64_t Alarm::Arm() const {
  std::lock_guard lock(mu_);
  return generation_;
}

bool Alarm::WaitUntil(SystemTime deadline, uint64_t armed) {
  std::unique_lock lock(mu_);
  for (;;) {
    if (stopped_) return false;
    if (generation_ != armed) return true;
    if (clock_.Now() >= deadline) return true;
    const uint64_t pokes = pokes_;
    const auto by = clock_.WakeBy(deadline);
    auto woken = [&] { return stopped_ || generation_ != armed || pokes_ != pokes; };
    if (by == std::chrono::steady_clock::time_point::max()) cv_.wait(lock, woken);
    else cv_.wait_until(lock, by, woken);
  }
}

void Alarm::Notify() {
  {
    std::lock_guard lock(mu_);
    ++generation_;
  }
  cv_.notify_all();
}

void Alarm::Stop() {
  {
    std::lock_guard lock(mu_);
    stopped_ = true;
  }
  cv_.notify_all();
}

bool Alarm::stopped() const {
  std::lock_guard lock(mu_);
  return stopped_;
}

void Alarm::Poke() {
  {
    std::lock_guard lock(mu_);
    ++pokes_;
  }
  cv_.notify_all();
}

int64_t ToUnixMillis(SystemTime t) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(t.time_since_epoch()).count();
}
SystemTime FromUnixMillis(int64_t ms) {
  // The clock counts nanoseconds: years before 1678 or after 2261 (an OData datetime'9999-12-31…',
  // SAP's "open end") would overflow the multiplication. They stand at the clock's ends instead.
  constexpr int64_t kMaxMs = std::chrono::duration_cast<std::chrono::milliseconds>(SystemTime::duration::max()).count();
  constexpr int64_t kMinMs = std::chrono::duration_cast<std::chrono::milliseconds>(SystemTime::duration::min()).count();
  if (ms >= kMaxMs) return SystemTime::max();
  if (ms <= kMinMs) return SystemTime::min();
  return SystemTime(std::chrono::duration_cast<SystemTime::duration>(std::chrono::milliseconds(ms)));
}

}  // namespace causeway::core
