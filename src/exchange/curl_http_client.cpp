#include "exchange/curl_http_client.h"

#include <algorithm>
#include <functional>

#include "exchange/curl_loop.h"

namespace causeway::exchange {

CurlHttpClient::CurlHttpClient(CurlClientOptions options) {
  const int threads = std::clamp(options.threads, 1, 16);
  for (int i = 0; i < threads; ++i) loops_.push_back(std::make_unique<internal::CurlLoop>(options));
}

CurlHttpClient::~CurlHttpClient() {
  stopping_.store(true, std::memory_order_release);
  for (auto& loop : loops_) loop->RequestStop();
  for (auto& loop : loops_) loop->Join();
}

internal::CurlLoop& CurlHttpClient::LoopFor(std::string_view destination_name) const {
  return *loops_[std::hash<std::string_view>{}(destination_name) % loops_.size()];
}

void CurlHttpClient::Send(OutboundRequest request, DoneCallback done) {
  internal::CurlLoop& loop = LoopFor(request.destination ? std::string_view(request.destination->name) : "");
  // A callback of a request that a stopping loop cancelled may send to a loop the destructor has
  // not told to stop yet (the first loops cancel while the others still run): refused all the
  // same. The flag is stored before any loop is told, so such a callback always sees it.
  if (stopping_.load(std::memory_order_acquire)) loop.RequestStop();
  loop.Submit(std::move(request), std::move(done));
}

HttpOutcome CurlHttpClient::SendAndWait(OutboundRequest request) {
  if (std::any_of(loops_.begin(), loops_.end(), [](const auto& l) { return l->OnLoopThread(); })) {
    HttpOutcome outcome;
    outcome.error = TransportError::kInvalidRequest;
    outcome.error_text = "SendAndWait called on the client's own thread (from a completion callback)";
    return outcome;
  }
  return HttpClient::SendAndWait(std::move(request));
}

DestinationLoad CurlHttpClient::Load(std::string_view destination_name) const {
  return LoopFor(destination_name).Load(destination_name);
}

}  // namespace causeway::exchange
