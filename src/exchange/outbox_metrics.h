// The outbox's own counters for Prometheus: deliveries, failures and attempt latency per
// destination, counted by this process since it started. Queue depths and the oldest pending
// age come from the store (Outbox::Depths); outbox_admin.h renders both. Thread-safe.
#pragma once

#include <array>
#include <chrono>
#include <cstdint>
#include <map>
#include <mutex>
#include <string>
#include <string_view>

namespace causeway::exchange {

class OutboxMetrics {
 public:
  // Upper bounds of the attempt latency buckets, in seconds (le="...").
  static constexpr std::array<double, 14> kBuckets = {0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05,
                                                      0.1,    0.25,  0.5,    1,     2.5,  5,     10};

  struct Counters {
    uint64_t delivered = 0;   // messages recorded as delivered
    uint64_t failed = 0;      // messages that ended failed (permanent error or retries used up)
    uint64_t retried = 0;     // attempts that failed and were scheduled again
    uint64_t interrupted = 0; // attempts reclaimed after a crash (counted at Open)
    std::array<uint64_t, kBuckets.size() + 1> buckets{};  // attempts that were sent, by latency
    uint64_t attempts = 0;
    double latency_sum_s = 0;
  };

  // One attempt that reached the HTTP client (its latency is observed).
  void ObserveAttempt(std::string_view destination, std::chrono::microseconds latency);
  void CountDelivered(std::string_view destination);
  void CountFailed(std::string_view destination);
  void CountRetried(std::string_view destination);
  void CountInterrupted(uint64_t n);

  std::map<std::string, Counters, std::less<>> Snapshot() const;
  uint64_t interrupted() const;

  // Appends the counters and the histogram in Prometheus text format (HELP/TYPE once each).
  void Render(std::string& out) const;

 private:
  Counters& For(std::string_view destination);  // under mu_

  mutable std::mutex mu_;
  std::map<std::string, Counters, std::less<>> by_destination_;  // GUARDED_BY(mu_)
  uint64_t interrupted_ = 0;                                       // GUARDED_BY(mu_)
};

// A Prometheus label value with \, " and newlines escaped.
std::string PrometheusLabel(std::string_view value);

}  // namespace causeway::exchange
