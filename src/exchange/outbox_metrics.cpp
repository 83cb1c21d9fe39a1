#include "exchange/outbox_metrics.h"

#include <cstdio>

namespace causeway::exchange {

OutboxMetrics::Counters& OutboxMetrics::For(std::string_view destination) {
  auto it = by_destination_.find(destination);
  if (it == by_destination_.end()) it = by_destination_.emplace(std::string(destination), Counters{}).first;
  return it->second;
}

void OutboxMetrics::ObserveAttempt(std::string_view destination, std::chrono::microseconds latency) {
  double secs = static_cast<double>(latency.count()) / 1e6;
  size_t i = 0;
  while (i < kBuckets.size() && secs > kBuckets[i]) ++i;
  std::lock_guard lock(mu_);
  Counters& c = For(destination);
  ++c.buckets[i];
  ++c.attempts;
  c.latency_sum_s += secs;
}

void OutboxMetrics::CountDelivered(std::string_view destination) {
  std::lock_guard lock(mu_);
  ++For(destination).delivered;
}

void OutboxMetrics::CountFailed(std::string_view destination) {
  std::lock_guard lock(mu_);
  ++For(destination).failed;
}

void OutboxMetrics::CountRetried(std::string_view destination) {
  std::lock_guard lock(mu_);
  ++For(destination).retried;
}

void OutboxMetrics::CountInterrupted(uint64_t n) {
  std::lock_guard lock(mu_);
  interrupted_ += n;
}

std::map<std::string, OutboxMetrics::Counters, std::less<>> OutboxMetrics::Snapshot() const {
  std::lock_guard lock(mu_);
  return by_destination_;
}

uint64_t OutboxMetrics::interrupted() const {
  std::lock_guard lock(mu_);
  return interrupted_;
}

std::string PrometheusLabel(std::string_view value) {
  std::string out;
  out.reserve(value.size());
  for (char c : value) {
    if (c == '\\' || c == '"') {
      out += '\\';
      out += c;
    } else if (c == '\n') {
      out += "\\n";
    } else {
      out += c;
    }
  }
  return out;
}

void OutboxMetrics::Render(std::string& out) const {
  auto snapshot = Snapshot();
  uint64_t interrupted = this->interrupted();
  auto counter = [&](const char* name, const char* help, uint64_t Counters::*field) {
    out += std::string("# HELP ") + name + " " + help + "\n# TYPE " + name + " counter\n";
    for (const auto& [dest, c] : snapshot) {
      out += std::string(name) + "{destination=\"" + PrometheusLabel(dest) + "\"} " + std::to_string(c.*field) + "\n";
    }
  };
  counter("causeway_outbox_delivered_total", "Messages delivered (recorded durably) by this process.",
          &Counters::delivered);
  counter("causeway_outbox_failed_total",
          "Messages that ended failed (permanent error or retries used up) in this process.", &Counters::failed);
  counter("causeway_outbox_retries_total", "Attempts that failed and were scheduled again.", &Counters::retried);
  out += "# HELP causeway_outbox_interrupted_total Attempts found in flight from a dead process at start.\n";
  out += "# TYPE causeway_outbox_interrupted_total counter\n";
  out += "causeway_outbox_interrupted_total " + std::to_string(interrupted) + "\n";

  out += "# HELP causeway_outbox_attempt_duration_seconds Time from sending an attempt to its answer.\n";
  out += "# TYPE causeway_outbox_attempt_duration_seconds histogram\n";
  char buf[64];
  for (const auto& [dest, c] : snapshot) {
    const std::string label = "destination=\"" + PrometheusLabel(dest) + "\"";
    uint64_t cumulative = 0;
    for (size_t i = 0; i < kBuckets.size(); ++i) {
      cumulative += c.buckets[i];
      std::snprintf(buf, sizeof buf, "%g", kBuckets[i]);
      out += "causeway_outbox_attempt_duration_seconds_bucket{" + label + ",le=\"" + buf + "\"} " +
             std::to_string(cumulative) + "\n";
    }
    cumulative += c.buckets[kBuckets.size()];
    out += "causeway_outbox_attempt_duration_seconds_bucket{" + label + ",le=\"+Inf\"} " +
           std::to_string(cumulative) + "\n";
    std::snprintf(buf, sizeof buf, "%.6f", c.latency_sum_s);
    out += "causeway_outbox_attempt_duration_seconds_sum{" + label + "} " + buf + "\n";
    out += "causeway_outbox_attempt_duration_seconds_count{" + label + "} " + std::to_string(c.attempts) + "\n";
  }
}

}  // namespace causeway::exchange
