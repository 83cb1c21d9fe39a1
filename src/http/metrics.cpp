#include "http/metrics.h"

#include <cstdio>

namespace causeway::http {

void Metrics::Record(std::string_view service, int status, std::chrono::microseconds duration) {
  {
    std::string_view label = service.empty() ? std::string_view("-") : service;
    std::lock_guard lock(mu_);
    // Look up without building a key string; only a new (service, status) pair allocates.
    auto it = requests_.find(std::pair<std::string_view, int>(label, status));
    if (it == requests_.end()) it = requests_.emplace(std::make_pair(std::string(label), status), 0).first;
    ++it->second;
  }
  double secs = static_cast<double>(duration.count()) / 1e6;
  size_t i = 0;
  while (i < kBuckets.size() && secs > kBuckets[i]) ++i;
  ++bucket_counts_[i];
  ++count_;
  sum_us_ += static_cast<uint64_t>(duration.count());
}

std::string Metrics::Render(const ServerStats* stats, std::string_view extra) const {
  std::string out;
  out += "# HELP causeway_requests_total Requests answered, by service and HTTP status.\n";
  out += "# TYPE causeway_requests_total counter\n";
  {
    std::lock_guard lock(mu_);
    for (const auto& [key, n] : requests_) {
      out += "causeway_requests_total{service=\"" + key.first + "\",status=\"" + std::to_string(key.second) +
             "\"} " + std::to_string(n) + "\n";
    }
  }
  out += "# HELP causeway_request_duration_seconds Time from first request byte to response written.\n";
  out += "# TYPE causeway_request_duration_seconds histogram\n";
  uint64_t cumulative = 0;
  char buf[96];
  for (size_t i = 0; i < kBuckets.size(); ++i) {
    cumulative += bucket_counts_[i].load();
    std::snprintf(buf, sizeof buf, "causeway_request_duration_seconds_bucket{le=\"%g\"} %llu\n", kBuckets[i],
                  static_cast<unsigned long long>(cumulative));
    out += buf;
  }
  cumulative += bucket_counts_[kBuckets.size()].load();
  out += "causeway_request_duration_seconds_bucket{le=\"+Inf\"} " + std::to_string(cumulative) + "\n";
  std::snprintf(buf, sizeof buf, "causeway_request_duration_seconds_sum %.6f\n",
                static_cast<double>(sum_us_.load()) / 1e6);
  out += buf;
  out += "causeway_request_duration_seconds_count " + std::to_string(count_.load()) + "\n";
  if (stats) {
    out += "# HELP causeway_requests_in_flight Requests being processed.\n# TYPE causeway_requests_in_flight gauge\n";
    out += "causeway_requests_in_flight " + std::to_string(stats->in_flight.load()) + "\n";
    out += "# HELP causeway_open_connections Open client connections.\n# TYPE causeway_open_connections gauge\n";
    out += "causeway_open_connections " + std::to_string(stats->open_connections.load()) + "\n";
    out += "# HELP causeway_connections_rejected_total Connections closed at accept for the connection limit.\n";
    out += "# TYPE causeway_connections_rejected_total counter\n";
    out += "causeway_connections_rejected_total " + std::to_string(stats->connections_rejected.load()) + "\n";
    out += "# HELP causeway_requests_handed_to_workers_total Requests run on an I/O thread that would have waited there "
           "and ran again on a worker.\n";
    out += "# TYPE causeway_requests_handed_to_workers_total counter\n";
    out += "causeway_requests_handed_to_workers_total " + std::to_string(stats->handed_to_workers.load()) + "\n";
    out += "# HELP causeway_requests_parked_total Times a request on an I/O thread waited there without a thread "
           "(a read barrier) and ran again.\n";
    out += "# TYPE causeway_requests_parked_total counter\n";
    out += "causeway_requests_parked_total " + std::to_string(stats->parked.load()) + "\n";
  }
  out.append(extra);
  return out;
}

}  // namespace causeway::http
