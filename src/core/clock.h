// Time seam: every component that reads the time takes a Clock&, so tests and the sandbox can
// run on virtual time.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <string>

namespace causeway::core {

using SystemTime = std::chrono::system_clock::time_point;

class Clock {
 public:
  virtual ~Clock() = default;
  // Wall-clock time (UTC) used for timestamps written to the wire and the store.
  virtual SystemTime Now() const = 0;
};

// The real clock.
class SystemClock final : public Clock {
 public:
  SystemTime Now() const override { return std::chrono::system_clock::now(); }
};

// A clock tests set by hand. Thread-safe.
class ManualClock final : public Clock {
 public:
  explicit ManualClock(SystemTime start) : now_us_(ToMicros(start)) {}
  SystemTime Now() const override;
  void Advance(std::chrono::microseconds d);
  void Set(SystemTime t);

 private:
  static int64_t ToMicros(SystemTime t);
  std::atomic<int64_t> now_us_;
};

// Milliseconds since the Unix epoch.
int64_t ToUnixMillis(SystemTime t);
SystemTime FromUnixMillis(int64_t ms);

}  // namespace causeway::core
