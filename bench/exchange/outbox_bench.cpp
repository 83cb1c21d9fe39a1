// Load driver for the outbox (not a unit test: it measures, it asserts nothing). SQLite store,
// CurlHttpClient, the real clock; the destination is an HTTP server that answers at once (the
// nginx ceiling of ../shared/bench-peers, see outbox_bench.sh).
//
//   outbox_bench --url URL --db FILE --mode MODE [--messages N] [--keys 64] [--producers 4]
//                [--unit 1] [--rate 1000] [--seconds 10] [--concurrency 64] [--body-bytes 200]
//
// throughput: `producers` threads enqueue N messages over `keys` ordering keys in units of
//             `unit` messages (each unit a committed transaction, waited for) while the outbox
//             delivers; reports messages/s enqueued and delivered (recorded durably).
// latency:    one thread enqueues at `rate` messages/s (one message per unit, committed
//             asynchronously) for `seconds`; reports enqueue-to-delivered percentiles
//             (from the Enqueue call to the durable record of the delivery).
// fill:       pauses the destination and enqueues N messages (units of 100): they stay pending;
//             reports the time and the process's RSS.
// resume:     a restart on the filled store: opens it, resumes the destination and reports the
//             time from the start of Open to the first durable delivery, the RSS after Open,
//             the drain rate and the peak RSS.
// --url instant answers every request at once without a network (the outbox and store alone).
#include <spdlog/spdlog.h>
#include <sys/resource.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "exchange/curl_http_client.h"
#include "exchange/outbox.h"
#include "store/sqlite/sqlite_database.h"

namespace {

using namespace causeway;
using Steady = std::chrono::steady_clock;

struct Args {
  std::string url, db, mode = "throughput";
  int messages = 100000, keys = 64, producers = 4, unit = 1, rate = 1000, concurrency = 64, body_bytes = 200;
  double seconds = 10;
};

Args Parse(int argc, char** argv) {
  Args a;
  std::map<std::string, std::string> kv;
  for (int i = 1; i + 1 < argc; i += 2) kv[argv[i]] = argv[i + 1];
  auto str = [&](const char* k, std::string& out) {
    if (auto it = kv.find(k); it != kv.end()) out = it->second;
  };
  auto num = [&](const char* k, auto& out) {
    if (auto it = kv.find(k); it != kv.end()) out = static_cast<std::decay_t<decltype(out)>>(std::atof(it->second.c_str()));
  };
  str("--url", a.url);
  str("--db", a.db);
  str("--mode", a.mode);
  num("--messages", a.messages);
  num("--keys", a.keys);
  num("--producers", a.producers);
  num("--unit", a.unit);
  num("--rate", a.rate);
  num("--seconds", a.seconds);
  num("--concurrency", a.concurrency);
  num("--body-bytes", a.body_bytes);
  return a;
}

// VmRSS / VmHWM of this process in MiB.
double ProcStatusMiB(const char* field) {
  std::ifstream in("/proc/self/status");
  std::string line;
  while (std::getline(in, line)) {
    if (line.rfind(field, 0) == 0) return std::atof(line.c_str() + std::string(field).size()) / 1024.0;
  }
  return -1;
}

double CpuSeconds() {
  rusage u{};
  getrusage(RUSAGE_SELF, &u);
  return static_cast<double>(u.ru_utime.tv_sec + u.ru_stime.tv_sec) +
         static_cast<double>(u.ru_utime.tv_usec + u.ru_stime.tv_usec) / 1e6;
}

double Seconds(Steady::duration d) { return std::chrono::duration<double>(d).count(); }

// Counts durable deliveries and remembers when each happened.
class Deliveries {
 public:
  void Finished(exchange::MessageId id, exchange::MessageState state) {
    const auto now = Steady::now();
    std::lock_guard lock(mu_);
    if (state == exchange::MessageState::kDelivered) ++delivered_;
    else ++failed_;
    if (!first_) first_ = now;
    last_ = now;
    if (track_) done_at_[id] = now;
    cv_.notify_all();
  }
  bool WaitFor(int64_t n, std::chrono::seconds timeout) {
    std::unique_lock lock(mu_);
    return cv_.wait_for(lock, timeout, [&] { return delivered_ + failed_ >= n; });
  }
  void Track() { track_ = true; }
  int64_t delivered() const {
    std::lock_guard lock(mu_);
    return delivered_;
  }
  int64_t failed() const {
    std::lock_guard lock(mu_);
    return failed_;
  }
  Steady::time_point first() const {
    std::lock_guard lock(mu_);
    return first_.value_or(Steady::time_point{});
  }
  Steady::time_point last() const {
    std::lock_guard lock(mu_);
    return last_;
  }
  std::map<exchange::MessageId, Steady::time_point> done_at() const {
    std::lock_guard lock(mu_);
    return done_at_;
  }

 private:
  mutable std::mutex mu_;
  std::condition_variable cv_;
  int64_t delivered_ = 0, failed_ = 0;
  std::optional<Steady::time_point> first_;
  Steady::time_point last_;
  bool track_ = false;
  std::map<exchange::MessageId, Steady::time_point> done_at_;
};

// `--url instant`: answers 200 at once on the caller's thread, so that the outbox and the store
// are measured without the network (the HTTP client's own cost is exchange_client_bench's).
class InstantHttpClient final : public exchange::HttpClient {
 public:
  void Send(exchange::OutboundRequest, exchange::DoneCallback done) override {
    exchange::HttpOutcome o;
    o.status = 200;
    done(std::move(o));
  }
};

struct Bench {
  Args args;
  std::unique_ptr<store::sqlite::SqliteDatabase> db;
  core::SystemClock clock;
  std::unique_ptr<exchange::HttpClient> http;
  Deliveries deliveries;
  std::unique_ptr<exchange::Outbox> outbox;
  std::string body;

  bool Open() {
    auto d = store::sqlite::SqliteDatabase::Open({.path = args.db});
    if (!d.ok()) {
      std::fprintf(stderr, "store: %s\n", d.error().text.c_str());
      return false;
    }
    db = std::move(d).value();
    if (args.url == "instant") http = std::make_unique<InstantHttpClient>();
    else http = std::make_unique<exchange::CurlHttpClient>();
    exchange::OutboxOptions o;
    exchange::Destination dest;
    dest.name = "bench";
    dest.base_url = args.url == "instant" ? "http://127.0.0.1:9" : args.url;
    dest.max_concurrent = args.concurrency;
    dest.retry.initial = std::chrono::milliseconds(50);
    o.destinations = {dest};
    o.kinds["bench.op"] = exchange::MakeKind(
        {.build = [](const exchange::OutgoingMessage& m) -> core::Result<exchange::OutboundRequest> {
          exchange::OutboundRequest r;
          r.path = "/outbox/" + std::string(m.ordering_key);
          r.headers.Set("Content-Type", "application/json");
          r.body = std::string(m.payload);
          return r;
        }});
    o.on_finished = [this](exchange::MessageId id, exchange::MessageState s) { deliveries.Finished(id, s); };
    auto ob = exchange::Outbox::Open(*db, clock, *http, std::move(o));
    if (!ob.ok()) {
      std::fprintf(stderr, "outbox: %s\n", ob.error().text.c_str());
      return false;
    }
    outbox = std::move(ob).value();
    body = "{\"ID\":\"00000000-0000-0000-0000-000000000000\",\"TEXT\":\"" +
           std::string(static_cast<size_t>(std::max(0, args.body_bytes - 60)), 'x') + "\"}";
    return true;
  }

  exchange::Message MessageFor(int64_t n) const {
    return exchange::Message{.destination = "bench",
                             .kind = "bench.op",
                             .ordering_key = "key-" + std::to_string(n % args.keys),
                             .payload = body,
                             .idempotency_key = "bench-" + std::to_string(n)};
  }

  // `producers` threads, each committing units of `unit` messages until `count` are enqueued.
  double EnqueueAll(int64_t count, int unit) {
    std::atomic<int64_t> next{0};
    std::atomic<bool> failed{false};
    const auto t0 = Steady::now();
    std::vector<std::thread> threads;
    for (int p = 0; p < std::max(1, args.producers); ++p) {
      threads.emplace_back([&] {
        for (;;) {
          int64_t first = next.fetch_add(unit);
          if (first >= count) return;
          store::UnitOfWork u(*db);
          for (int64_t n = first; n < std::min<int64_t>(first + unit, count); ++n) {
            if (!outbox->Enqueue(u, MessageFor(n)).ok()) failed = true;
          }
          if (!u.Commit().ok()) failed = true;
        }
      });
    }
    for (auto& t : threads) t.join();
    if (failed) std::fprintf(stderr, "some enqueues failed\n");
    return Seconds(Steady::now() - t0);
  }
};

void Percentiles(std::vector<double> ms) {
  if (ms.empty()) return;
  std::sort(ms.begin(), ms.end());
  auto at = [&](double q) { return ms[std::min(ms.size() - 1, static_cast<size_t>(q * static_cast<double>(ms.size())))]; };
  std::printf("enqueue->delivered ms: p50 %.2f  p90 %.2f  p99 %.2f  p99.9 %.2f  max %.2f  (n=%zu)\n", at(0.5), at(0.9),
              at(0.99), at(0.999), ms.back(), ms.size());
}

int Throughput(Bench& b) {
  const double cpu0 = CpuSeconds();
  const auto t0 = Steady::now();
  double enqueue_s = b.EnqueueAll(b.args.messages, b.args.unit);
  if (!b.deliveries.WaitFor(b.args.messages, std::chrono::seconds(600))) std::fprintf(stderr, "not all delivered\n");
  const double total_s = Seconds(b.deliveries.last() - t0);
  std::printf("throughput: %d messages, %d keys, %d producers, %d per unit, concurrency %d\n", b.args.messages,
              b.args.keys, b.args.producers, b.args.unit, b.args.concurrency);
  std::printf("  enqueued (committed): %.0f messages/s (%.2f s)\n", b.args.messages / enqueue_s, enqueue_s);
  std::printf("  delivered (recorded durably): %.0f messages/s (%.2f s from the first enqueue), failed %lld\n",
              static_cast<double>(b.deliveries.delivered()) / total_s, total_s,
              static_cast<long long>(b.deliveries.failed()));
  std::printf("  CPU %.1f µs per message (all threads of this process)\n",
              (CpuSeconds() - cpu0) * 1e6 / b.args.messages);
  std::printf("  RSS %.1f MiB, peak %.1f MiB\n", ProcStatusMiB("VmRSS:"), ProcStatusMiB("VmHWM:"));
  return 0;
}

int Latency(Bench& b) {
  b.deliveries.Track();
  const int64_t total = static_cast<int64_t>(b.args.rate * b.args.seconds);
  std::vector<std::pair<exchange::MessageId, Steady::time_point>> started;
  started.reserve(static_cast<size_t>(total));
  std::vector<std::shared_ptr<core::Completion>> commits;
  const auto t0 = Steady::now();
  int64_t sent = 0;
  for (int64_t tick = 1; sent < total; ++tick) {
    const auto due_at = t0 + std::chrono::microseconds(tick * 1000);
    std::this_thread::sleep_until(due_at);
    const int64_t due = std::min<int64_t>(total, tick * b.args.rate / 1000);
    for (; sent < due; ++sent) {
      const auto t = Steady::now();
      store::UnitOfWork u(*b.db);
      auto id = b.outbox->Enqueue(u, b.MessageFor(sent));
      if (!id.ok()) continue;
      started.emplace_back(*id, t);
      commits.push_back(u.CommitAsync());
    }
  }
  const double produce_s = Seconds(Steady::now() - t0);
  b.deliveries.WaitFor(total, std::chrono::seconds(120));
  auto done = b.deliveries.done_at();
  std::vector<double> ms;
  for (const auto& [id, t] : started) {
    auto it = done.find(id);
    if (it != done.end()) ms.push_back(std::chrono::duration<double, std::milli>(it->second - t).count());
  }
  std::printf("latency: %.0f messages/s offered for %.1f s over %d keys\n", static_cast<double>(total) / produce_s,
              produce_s, b.args.keys);
  Percentiles(std::move(ms));
  return 0;
}

int Fill(Bench& b) {
  (void)b.outbox->Pause("bench");
  double s = b.EnqueueAll(b.args.messages, 100);
  std::printf("fill: %d messages pending after %.2f s (%.0f/s); RSS %.1f MiB, peak %.1f MiB\n", b.args.messages, s,
              b.args.messages / s, ProcStatusMiB("VmRSS:"), ProcStatusMiB("VmHWM:"));
  auto depths = b.outbox->Depths();
  if (depths.ok()) {
    for (const auto& q : *depths) std::printf("  %s: pending %lld\n", q.destination.c_str(), static_cast<long long>(q.pending));
  }
  return 0;
}

int Resume(Bench& b, Steady::time_point t0) {
  const double open_s = Seconds(Steady::now() - t0);
  const double rss_open = ProcStatusMiB("VmRSS:");
  auto depths = b.outbox->Depths();
  int64_t pending = 0;
  if (depths.ok()) {
    for (const auto& q : *depths) pending += q.pending + q.in_flight;
  }
  const double cpu0 = CpuSeconds();
  (void)b.outbox->Resume("bench");
  b.deliveries.WaitFor(1, std::chrono::seconds(60));
  const double first_s = Seconds(b.deliveries.first() - t0);
  b.deliveries.WaitFor(pending, std::chrono::seconds(600));
  const double drain_s = Seconds(b.deliveries.last() - t0);
  std::printf("resume: %lld pending; Open took %.3f s, first delivery %.3f s after the start of Open\n",
              static_cast<long long>(pending), open_s, first_s);
  std::printf("  RSS after Open %.1f MiB; drained in %.2f s (%.0f messages/s, CPU %.1f µs per message); peak RSS %.1f MiB\n",
              rss_open, drain_s, static_cast<double>(pending) / drain_s,
              (CpuSeconds() - cpu0) * 1e6 / static_cast<double>(std::max<int64_t>(pending, 1)), ProcStatusMiB("VmHWM:"));
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  spdlog::set_level(spdlog::level::warn);
  Bench b;
  b.args = Parse(argc, argv);
  if (b.args.url.empty() || b.args.db.empty()) {
    std::fprintf(stderr, "usage: outbox_bench --url URL --db FILE --mode throughput|latency|fill|resume [...]\n");
    return 2;
  }
  const auto t0 = Steady::now();
  if (!b.Open()) return 1;
  int rc = 2;
  if (b.args.mode == "throughput") rc = Throughput(b);
  else if (b.args.mode == "latency") rc = Latency(b);
  else if (b.args.mode == "fill") rc = Fill(b);
  else if (b.args.mode == "resume") rc = Resume(b, t0);
  b.outbox.reset();
  return rc;
}
