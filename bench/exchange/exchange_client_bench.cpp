// Load driver for exchange::CurlHttpClient (not a unit test: it measures, it asserts nothing).
//
//   exchange_client_bench --url URL [--mode keys|rate] [--keys 64] [--seconds 10]
//                         [--rate 1000] [--threads 1] [--body-bytes 200]
//
// keys: the outbox's shape at full speed: `keys` ordered streams, each with one message in
//       flight at a time (the next is sent from the previous one's callback). Reports
//       messages/s and Send→done latency percentiles.
// rate: open loop at `rate` messages/s spread over `keys` streams' destinations; reports the
//       achieved rate and Send→done latency percentiles (what the outbox adds comes on top).
#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "exchange/curl_http_client.h"

namespace {

using namespace causeway::exchange;
using Clock = std::chrono::steady_clock;

struct Args {
  std::string url;
  std::string mode = "keys";
  int keys = 64;
  double seconds = 10;
  int rate = 1000;
  int threads = 1;
  int body_bytes = 200;
};

Args Parse(int argc, char** argv) {
  Args a;
  std::map<std::string, std::string> kv;
  for (int i = 1; i + 1 < argc; i += 2) kv[argv[i]] = argv[i + 1];
  auto get = [&](const char* k, auto& out) {
    if (auto it = kv.find(k); it != kv.end()) {
      if constexpr (std::is_same_v<std::decay_t<decltype(out)>, std::string>) {
        out = it->second;
      } else {
        out = static_cast<std::decay_t<decltype(out)>>(std::atof(it->second.c_str()));
      }
    }
  };
  get("--url", a.url);
  get("--mode", a.mode);
  get("--keys", a.keys);
  get("--seconds", a.seconds);
  get("--rate", a.rate);
  get("--threads", a.threads);
  get("--body-bytes", a.body_bytes);
  return a;
}

// Send→done latencies, recorded from the client's thread(s).
class Recorder {
 public:
  void Add(Clock::duration d, const HttpOutcome& o) {
    std::lock_guard lock(mu_);
    micros_.push_back(std::chrono::duration_cast<std::chrono::microseconds>(d).count());
    transfer_.push_back(o.latency.count());
    queued_.push_back(o.queued.count());
    if (!o.answered() || o.status != 200) ++failures_;
  }
  void Report(double seconds) {
    std::lock_guard lock(mu_);
    std::printf("messages %zu in %.2f s = %.0f/s, failures %zu\n", micros_.size(), seconds,
                static_cast<double>(micros_.size()) / seconds, failures_);
    Percentiles("Send->done", micros_);
    Percentiles("  of it in libcurl", transfer_);
    Percentiles("  of it queued", queued_);
  }

 private:
  static void Percentiles(const char* what, std::vector<int64_t>& v) {
    std::sort(v.begin(), v.end());
    auto pct = [&](double p) {
      if (v.empty()) return 0.0;
      size_t i = std::min(v.size() - 1, static_cast<size_t>(p * static_cast<double>(v.size())));
      return static_cast<double>(v[i]) / 1000.0;
    };
    std::printf("%-18s ms: p50 %.3f  p90 %.3f  p99 %.3f  p99.9 %.3f  max %.3f\n", what, pct(0.50), pct(0.90),
                pct(0.99), pct(0.999), v.empty() ? 0.0 : static_cast<double>(v.back()) / 1000.0);
  }

  std::mutex mu_;
  std::vector<int64_t> micros_, transfer_, queued_;
  size_t failures_ = 0;
};

OutboundRequest Message(const std::shared_ptr<const Destination>& d, int key, uint64_t seq, const std::string& body) {
  OutboundRequest r;
  r.destination = d;
  r.method = "POST";
  r.path = "/messages/" + std::to_string(key);
  r.headers.Add("Content-Type", "application/json");
  r.body = body;
  r.idempotency_key = std::to_string(key) + ":" + std::to_string(seq);
  return r;
}

// One ordered stream: sends its next message from the previous one's callback.
struct Stream {
  HttpClient* client;
  std::shared_ptr<const Destination> destination;
  const std::string* body;
  Recorder* recorder;
  Clock::time_point end;
  std::atomic<int>* running;
  std::condition_variable* finished;
  std::mutex* mu;
  int key;
  uint64_t seq = 0;

  void Next() {
    if (Clock::now() >= end) {
      std::lock_guard lock(*mu);
      if (--*running == 0) finished->notify_all();
      return;
    }
    const Clock::time_point sent = Clock::now();
    client->Send(Message(destination, key, seq++, *body), [this, sent](HttpOutcome o) {
      recorder->Add(Clock::now() - sent, o);
      Next();
    });
  }
};

}  // namespace

int main(int argc, char** argv) {
  Args a = Parse(argc, argv);
  if (a.url.empty()) {
    std::fprintf(stderr, "usage: %s --url URL [--mode keys|rate] [--keys N] [--seconds S] [--rate R] [--threads T]\n", argv[0]);
    return 2;
  }
  auto d = std::make_shared<Destination>();
  d->name = "bench";
  d->base_url = a.url;
  d->max_concurrent = std::max(a.keys, 1);
  if (auto s = ValidateDestination(*d); !s.ok()) {
    std::fprintf(stderr, "bad destination: %s\n", s.error().text.c_str());
    return 2;
  }
  const std::string body = "{\"d\":\"" + std::string(static_cast<size_t>(std::max(a.body_bytes - 8, 0)), 'x') + "\"}";
  CurlHttpClient client(CurlClientOptions{.threads = a.threads});
  Recorder recorder;
  // Warm-up: open the connections once.
  for (int i = 0; i < a.keys; ++i) (void)client.SendAndWait(Message(d, i, 0, body));

  const Clock::time_point start = Clock::now();
  const auto length = std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(a.seconds));
  if (a.mode == "keys") {
    std::mutex mu;
    std::condition_variable finished;
    std::atomic<int> running{a.keys};
    std::vector<Stream> streams;
    streams.reserve(static_cast<size_t>(a.keys));
    for (int k = 0; k < a.keys; ++k) {
      streams.push_back(Stream{&client, d, &body, &recorder, start + length, &running, &finished, &mu, k});
    }
    for (Stream& s : streams) s.Next();
    std::unique_lock lock(mu);
    finished.wait(lock, [&] { return running.load() == 0; });
  } else {
    // Ticks of 1 ms, each sending the messages due by then (as an outbox's claim loop would),
    // rather than one sleep per message, which would measure the scheduler more than the client.
    std::atomic<int64_t> outstanding{0};
    uint64_t seq = 0;
    for (Clock::time_point tick = start; tick < start + length; tick += std::chrono::milliseconds(1)) {
      std::this_thread::sleep_until(tick);
      const double due_seconds = std::chrono::duration<double>(std::min(Clock::now(), start + length) - start).count();
      const auto due = static_cast<uint64_t>(due_seconds * a.rate);
      for (; seq < due; ++seq) {
        const Clock::time_point sent = Clock::now();
        outstanding.fetch_add(1);
        client.Send(Message(d, static_cast<int>(seq % static_cast<uint64_t>(a.keys)), seq, body),
                    [&, sent](HttpOutcome o) {
                      recorder.Add(Clock::now() - sent, o);
                      outstanding.fetch_sub(1);
                    });
      }
    }
    while (outstanding.load() > 0) std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  const double elapsed = std::chrono::duration<double>(Clock::now() - start).count();
  std::printf("mode %s, keys %d, client threads %d%s\n", a.mode.c_str(), a.keys, a.threads,
              a.mode == "rate" ? (", target " + std::to_string(a.rate) + "/s").c_str() : "");
  recorder.Report(elapsed);
  return 0;
}
