// Request metrics in Prometheus text format: requests by service and status, a latency
// histogram, in-flight requests and open connections. Thread-safe.
#pragma once

#include <array>
#include <atomic>
#include <chrono>
#include <map>
#include <mutex>
#include <string>
#include <string_view>

#include "http/server.h"

namespace causeway::http {

class Metrics {
 public:
  // Upper bounds of the latency buckets, in seconds (le="...").
  static constexpr std::array<double, 12> kBuckets = {0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005,
                                                      0.01,   0.025,   0.05,   0.1,   0.5,    2.5};

  void Record(std::string_view service, int status, std::chrono::microseconds duration);
  // Renders every metric; `stats` supplies the live gauges.
  std::string Render(const ServerStats* stats, std::string_view extra = {}) const;

 private:
  mutable std::mutex mu_;
  // Orders (service, status) keys and compares them with string_view probes, so that a lookup
  // does not allocate.
  struct KeyLess {
    using is_transparent = void;
    template <typename A, typename B>
    bool operator()(const A& a, const B& b) const {
      std::string_view af(a.first), bf(b.first);
      return af < bf || (af == bf && a.second < b.second);
    }
  };
  std::map<std::pair<std::string, int>, uint64_t, KeyLess> requests_;  // GUARDED_BY(mu_)
  std::array<std::atomic<uint64_t>, kBuckets.size() + 1> bucket_counts_{};
  std::atomic<uint64_t> count_{0};
  std::atomic<uint64_t> sum_us_{0};
};

}  // namespace causeway::http
