#include "exchange/curl_loop.h"

#include <spdlog/spdlog.h>

#include <algorithm>

namespace causeway::exchange::internal {

namespace {

using Clock = std::chrono::steady_clock;

// Idle easy handles kept for reuse (each holds a few KiB); connections live in the multi handle.
constexpr size_t kMaxIdleEasy = 256;
constexpr int kPollTimeoutMs = 1000;

}  // namespace

CurlLoop::CurlLoop(const CurlClientOptions& options) : options_(options) {}

CurlLoop::~CurlLoop() {
  RequestStop();
  Join();
  for (CURL* easy : idle_easy_) curl_easy_cleanup(easy);
  for (auto& [name, slot] : slots_) {
    if (slot->cookies != nullptr) curl_share_cleanup(slot->cookies);
  }
  if (multi_ != nullptr) curl_multi_cleanup(multi_);
}

void CurlLoop::StartLocked() {
  started_ = true;
  static std::once_flag global_init;
  std::call_once(global_init, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
  multi_ = curl_multi_init();
  if (multi_ == nullptr) return;  // libcurl missing: every request ends with kInternal
  curl_multi_setopt(multi_, CURLMOPT_MAXCONNECTS, std::max(options_.max_cached_connections, 1L));
  // The per-destination limit is ours (Slot::limit): libcurl's per-host queue would start the
  // timeouts of waiting requests before they are sent.
  curl_multi_setopt(multi_, CURLMOPT_MAX_HOST_CONNECTIONS, 0L);
  thread_ = std::thread([this] {
    loop_thread_.store(std::this_thread::get_id(), std::memory_order_release);
    Run();
  });
}

void CurlLoop::RequestStop() {
  CURLM* multi = nullptr;
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
    multi = multi_;
  }
  if (multi != nullptr) curl_multi_wakeup(multi);
}

void CurlLoop::Join() {
  std::thread loop;
  {
    std::lock_guard lock(mu_);
    loop = std::move(thread_);
  }
  if (loop.joinable()) loop.join();
}

void CurlLoop::Submit(OutboundRequest request, DoneCallback done) {
  const std::string_view name = request.destination ? std::string_view(request.destination->name) : "";
  auto transfer = std::make_unique<Transfer>(std::move(request), std::move(done), Clock::now());
  bool wake = false;
  bool stopped = false;
  CURLM* multi = nullptr;
  {
    std::lock_guard lock(mu_);
    if (!stopping_ && !started_) StartLocked();
    multi = multi_;
    stopped = stopping_;
    if (!stopping_ && multi != nullptr) {
      auto it = slots_.find(name);
      if (it == slots_.end()) it = slots_.emplace(std::string(name), std::make_unique<Slot>()).first;
      it->second->queued.fetch_add(1, std::memory_order_relaxed);
      // Whoever finds the queue empty wakes the loop; it takes the whole queue at once, so
      // later submitters until then need no wake-up (a syscall each) of their own.
      wake = incoming_.empty();
      incoming_.push_back(Pending{std::move(transfer), it->second.get()});
    }
  }
  if (transfer) {  // not handed to the loop: it has stopped, or libcurl could not start
    transfer->Complete(transfer->Abandon(stopped ? TransportError::kCancelled : TransportError::kInternal,
                                         stopped ? "client stopped" : "libcurl could not be initialised",
                                         Clock::now()));
    return;
  }
  if (wake) curl_multi_wakeup(multi);
}

DestinationLoad CurlLoop::Load(std::string_view destination_name) const {
  std::lock_guard lock(mu_);
  auto it = slots_.find(destination_name);
  if (it == slots_.end()) return {};
  return DestinationLoad{it->second->in_flight.load(std::memory_order_relaxed),
                         it->second->queued.load(std::memory_order_relaxed)};
}

void CurlLoop::Run() {
  for (;;) {
    std::vector<Pending> batch;
    bool stop = false;
    {
      std::lock_guard lock(mu_);
      batch.swap(incoming_);
      stop = stopping_;
    }
    for (Pending& p : batch) Admit(std::move(p));
    if (stop) break;
    int running = 0;
    curl_multi_perform(multi_, &running);
    CollectDone();
    // Returns early on socket activity, on curl_multi_wakeup (a Submit) and when libcurl's own
    // next timeout (a new handle, a request timeout) is due.
    curl_multi_poll(multi_, nullptr, 0, kPollTimeoutMs, nullptr);
  }
  CancelEverything();
}

void CurlLoop::Admit(Pending pending) {
  Slot& slot = *pending.slot;
  const auto& destination = pending.transfer->request().destination;
  if (!destination) {
    slot.queued.fetch_sub(1, std::memory_order_relaxed);
    Transfer& t = *pending.transfer;
    t.Complete(t.Abandon(TransportError::kInvalidRequest, "request has no destination", Clock::now()));
    return;
  }
  // The newest snapshot of a destination sets its limit (it may have changed at run time).
  slot.limit = std::max(1, destination->max_concurrent);
  if (destination->insecure && !slot.warned_insecure) {
    slot.warned_insecure = true;
    spdlog::warn("exchange: destination {} does not verify TLS certificates (insecure = true)",
                 destination->name);
  }
  slot.waiting.push_back(std::move(pending.transfer));
  StartWaiting(slot);
}

void CurlLoop::StartWaiting(Slot& slot) {
  while (slot.in_flight.load(std::memory_order_relaxed) < slot.limit && !slot.waiting.empty()) {
    std::unique_ptr<Transfer> t = std::move(slot.waiting.front());
    slot.waiting.pop_front();
    slot.queued.fetch_sub(1, std::memory_order_relaxed);
    const Destination& d = *t->request().destination;
    if (d.keep_cookies && slot.cookies == nullptr) {
      slot.cookies = curl_share_init();
      if (slot.cookies != nullptr) curl_share_setopt(slot.cookies, CURLSHOPT_SHARE, CURL_LOCK_DATA_COOKIE);
    }
    CURL* easy = TakeEasy();
    if (easy == nullptr) {
      t->Complete(t->Abandon(TransportError::kInternal, "libcurl could not create a handle", Clock::now()));
      continue;
    }
    if (std::optional<HttpOutcome> failed =
            t->Prepare(easy, options_.user_agent, d.keep_cookies ? slot.cookies : nullptr, Clock::now())) {
      ReturnEasy(easy);
      LogCompletion(*t, *failed);
      t->Complete(std::move(*failed));
      continue;
    }
    if (curl_multi_add_handle(multi_, easy) != CURLM_OK) {
      ReturnEasy(easy);
      t->Complete(t->Abandon(TransportError::kInternal, "libcurl refused the transfer", Clock::now()));
      continue;
    }
    slot.in_flight.fetch_add(1, std::memory_order_relaxed);
    running_.emplace(easy, std::make_pair(std::move(t), &slot));
  }
}

void CurlLoop::CollectDone() {
  int left = 0;
  while (CURLMsg* msg = curl_multi_info_read(multi_, &left)) {
    if (msg->msg != CURLMSG_DONE) continue;
    CURL* easy = msg->easy_handle;
    const CURLcode result = msg->data.result;
    curl_multi_remove_handle(multi_, easy);  // `msg` is invalid from here on
    auto node = running_.extract(easy);
    if (node.empty()) continue;
    auto& [transfer, slot] = node.mapped();
    HttpOutcome outcome = transfer->Finish(result);
    ReturnEasy(easy);
    slot->in_flight.fetch_sub(1, std::memory_order_relaxed);
    LogCompletion(*transfer, outcome);
    transfer->Complete(std::move(outcome));
    StartWaiting(*slot);
  }
}

void CurlLoop::CancelEverything() {
  auto running = std::move(running_);
  running_.clear();
  for (auto& [easy, entry] : running) {
    curl_multi_remove_handle(multi_, easy);
    entry.second->in_flight.fetch_sub(1, std::memory_order_relaxed);
    HttpOutcome outcome = entry.first->Abandon(TransportError::kCancelled, "client stopped", Clock::now());
    ReturnEasy(easy);
    entry.first->Complete(std::move(outcome));
  }
  for (auto& [name, slot] : slots_) {
    while (!slot->waiting.empty()) {
      std::unique_ptr<Transfer> t = std::move(slot->waiting.front());
      slot->waiting.pop_front();
      slot->queued.fetch_sub(1, std::memory_order_relaxed);
      t->Complete(t->Abandon(TransportError::kCancelled, "client stopped", Clock::now()));
    }
  }
}

CURL* CurlLoop::TakeEasy() {
  if (idle_easy_.empty()) return curl_easy_init();
  CURL* easy = idle_easy_.back();
  idle_easy_.pop_back();
  return easy;
}

void CurlLoop::ReturnEasy(CURL* easy) {
  // curl_easy_reset neither frees the cookie file list (libcurl 7.88 leaks it) nor detaches a
  // share handle: do both, so that the next destination using this handle does not see this
  // one's cookies. With the share still attached, the shared cookies stay in the share.
  curl_easy_setopt(easy, CURLOPT_COOKIEFILE, nullptr);
  curl_easy_setopt(easy, CURLOPT_SHARE, nullptr);
  curl_easy_reset(easy);
  if (idle_easy_.size() < kMaxIdleEasy) {
    idle_easy_.push_back(easy);
  } else {
    curl_easy_cleanup(easy);
  }
}

void CurlLoop::LogCompletion(const Transfer& transfer, const HttpOutcome& outcome) const {
  if (!spdlog::should_log(spdlog::level::debug)) return;
  const OutboundRequest& r = transfer.request();
  const double ms = static_cast<double>(outcome.latency.count()) / 1000.0;
  if (outcome.answered()) {
    spdlog::debug("exchange: {} {} {} -> {} in {:.1f} ms", r.destination->name, r.method, transfer.url(),
                  outcome.status, ms);
  } else {
    spdlog::debug("exchange: {} {} {} -> {}: {} after {:.1f} ms", r.destination ? r.destination->name : "",
                  r.method, transfer.url(), TransportErrorName(outcome.error), outcome.error_text, ms);
  }
}

}  // namespace causeway::exchange::internal
