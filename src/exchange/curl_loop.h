// Internal to CurlHttpClient: one event-loop thread with its libcurl multi handle. It owns the
// destinations assigned to it: their queues, concurrency limits, cookie jars, and the
// connection cache their requests share.
#pragma once

#include <curl/curl.h>

#include <atomic>
#include <deque>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <thread>
#include <unordered_map>
#include <vector>

#include "exchange/curl_http_client.h"
#include "exchange/curl_transfer.h"

namespace causeway::exchange::internal {

class CurlLoop {
 public:
  // libcurl and the loop thread start with the first Submit (libcurl_on_demand.h).
  explicit CurlLoop(const CurlClientOptions& options);
  // Stops (if not done yet) and frees libcurl's handles.
  ~CurlLoop();
  CurlLoop(const CurlLoop&) = delete;
  CurlLoop& operator=(const CurlLoop&) = delete;

  // Thread-safe. After the loop stopped, `done` runs at once on the caller's thread (kCancelled).
  void Submit(OutboundRequest request, DoneCallback done);
  DestinationLoad Load(std::string_view destination_name) const;  // thread-safe
  bool OnLoopThread() const { return std::this_thread::get_id() == loop_thread_.load(std::memory_order_acquire); }

  // Stopping comes in two steps so that a client with several loops can first make every loop
  // refuse new requests (Submit completes them at once with kCancelled) and only then wait for
  // the loops to cancel what they hold: a cancelled request's callback may Send to any loop.
  void RequestStop();  // thread-safe, returns at once
  void Join();         // waits until the loop cancelled everything and ended; idempotent

 private:
  // One destination's state. Counters are read by Load() from any thread; the rest belongs to
  // the loop thread.
  struct Slot {
    std::atomic<int> in_flight{0};
    std::atomic<int> queued{0};
    int limit = 1;
    std::deque<std::unique_ptr<Transfer>> waiting;
    CURLSH* cookies = nullptr;
    bool warned_insecure = false;
  };
  struct Pending {
    std::unique_ptr<Transfer> transfer;
    Slot* slot;
  };

  void StartLocked();  // with mu_ held, once
  void Run();
  void Admit(Pending pending);
  void StartWaiting(Slot& slot);
  void CollectDone();
  void CancelEverything();
  CURL* TakeEasy();
  void ReturnEasy(CURL* easy);
  void LogCompletion(const Transfer& transfer, const HttpOutcome& outcome) const;

  const CurlClientOptions options_;
  CURLM* multi_ = nullptr;

  mutable std::mutex mu_;
  std::vector<Pending> incoming_;                          // guarded by mu_
  std::map<std::string, std::unique_ptr<Slot>, std::less<>> slots_;  // inserted under mu_
  bool stopping_ = false;                                  // guarded by mu_
  bool started_ = false;                                   // guarded by mu_; multi_ and thread_ set then

  // Loop thread only.
  std::unordered_map<CURL*, std::pair<std::unique_ptr<Transfer>, Slot*>> running_;
  std::vector<CURL*> idle_easy_;

  std::atomic<std::thread::id> loop_thread_{};
  std::thread thread_;  // guarded by mu_
};

}  // namespace causeway::exchange::internal
