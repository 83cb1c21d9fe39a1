// Time seam: every component that reads the time takes a Clock&, so tests and the sandbox can
// run on virtual time.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <set>
#include <string>

namespace causeway::core {

using SystemTime = std::chrono::system_clock::time_point;

class Alarm;

class Clock {
 public:
  virtual ~Clock() = default;
  // Wall-clock time (UTC) used for timestamps written to the wire and the store.
  virtual SystemTime Now() const = 0;
  // The real instant by which a wait for `t` must end at the latest: the real clock maps `t`
  // onto steady time; a virtual clock answers time_point::max(), its waits end when it moves.
  virtual std::chrono::steady_clock::time_point WakeBy(SystemTime t) const = 0;
  // Alarms a virtual clock pokes when it moves (the real clock needs none). Thread-safe.
  virtual void Attach(Alarm* alarm) const { (void)alarm; }
  virtual void Detach(Alarm* alarm) const { (void)alarm; }
};

// The real clock.
class SystemClock final : public Clock {
 public:
  SystemTime Now() const override { return std::chrono::system_clock::now(); }
  std::chrono::steady_clock::time_point WakeBy(SystemTime t) const override;
};

// A clock tests (and the sandbox) set by hand; waits on it end when it is moved past their
// deadline. Thread-safe.
class ManualClock final : public Clock {
 public:
  explicit ManualClock(SystemTime start) : now_us_(ToMicros(start)) {}
  SystemTime Now() const override;
  std::chrono::steady_clock::time_point WakeBy(SystemTime) const override {
    return std::chrono::steady_clock::time_point::max();
  }
  void Attach(Alarm* alarm) const override;
  void Detach(Alarm* alarm) const override;
  void Advance(std::chrono::microseconds d);
  void Set(SystemTime t);

 private:
  static int64_t ToMicros(SystemTime t);
  void PokeAlarms() const;
  std::atomic<int64_t> now_us_;
  mutable std::mutex alarms_mu_;
  mutable std::set<Alarm*> alarms_;  // GUARDED_BY(alarms_mu_)
};

// Where worker loops sleep: until a time on a Clock (real or virtual), until notified, or until
// stopped. Lost-wakeup free: take Arm() before looking for work, and pass it to the wait, which
// then returns at once if Notify() came in between. Any number of threads may wait.
// Lock order: ManualClock's registry before the alarm's own mutex (Poke); the alarm never calls
// the clock while holding its mutex.
class Alarm {
 public:
  explicit Alarm(const Clock& clock);
  ~Alarm();
  Alarm(const Alarm&) = delete;
  Alarm& operator=(const Alarm&) = delete;

  // The notification generation to wait from.
  uint64_t Arm() const;
  // Blocks until the clock reaches `deadline`, a Notify() after `armed`, or Stop(). Returns
  // false once stopped.
  bool WaitUntil(SystemTime deadline, uint64_t armed);
  // Without a deadline.
  bool Wait(uint64_t armed) { return WaitUntil(SystemTime::max(), armed); }
  // Wakes every waiter (work arrived).
  void Notify();
  // Wakes every waiter for good; later waits return false at once.
  void Stop();
  bool stopped() const;
  // Called by a virtual clock when it moved: waiters re-check their deadlines.
  void Poke();

 private:
  const Clock& clock_;
  mutable std::mutex mu_;
  std::condition_variable cv_;
  uint64_t generation_ = 0;  // GUARDED_BY(mu_)
  uint64_t pokes_ = 0;       // GUARDED_BY(mu_)
  bool stopped_ = false;     // GUARDED_BY(mu_)
};

// Milliseconds since the Unix epoch. FromUnixMillis saturates: instants the clock cannot hold
// (before 1678 or after 2261) become SystemTime::min() / max().
int64_t ToUnixMillis(SystemTime t);
SystemTime FromUnixMillis(int64_t ms);

}  // namespace causeway::core
