#include "exchange/testing/fake_http_client.h"

namespace causeway::exchange::testing {

HttpOutcome Answer(int status, std::string body, HeaderList headers) {
  HttpOutcome o;
  o.status = status;
  o.body = std::move(body);
  o.headers = std::move(headers);
  return o;
}

HttpOutcome Failure(TransportError error, std::string text) {
  HttpOutcome o;
  o.error = error;
  o.error_text = std::move(text);
  return o;
}

FakeHttpClient::FakeHttpClient(Mode mode) : mode_(mode), default_(Answer(200)) {}

FakeHttpClient::~FakeHttpClient() {
  std::deque<HeldRequest> held;
  {
    std::lock_guard lock(mu_);
    held.swap(held_);
  }
  for (HeldRequest& h : held) h.done(Failure(TransportError::kCancelled, "client stopped"));
}

void FakeHttpClient::Script(const std::string& path, std::vector<HttpOutcome> outcomes) {
  std::lock_guard lock(mu_);
  auto& queue = scripts_[path];
  for (HttpOutcome& o : outcomes) queue.push_back(std::move(o));
}

void FakeHttpClient::SetDefault(HttpOutcome outcome) {
  std::lock_guard lock(mu_);
  default_ = std::move(outcome);
}

void FakeHttpClient::SetResponder(std::function<HttpOutcome(const OutboundRequest&)> responder) {
  std::lock_guard lock(mu_);
  responder_ = std::move(responder);
}

HttpOutcome FakeHttpClient::OutcomeFor(const OutboundRequest& request) {
  std::function<HttpOutcome(const OutboundRequest&)> responder;
  {
    std::lock_guard lock(mu_);
    responder = responder_;
    if (!responder) {
      auto it = scripts_.find(request.path);
      if (it != scripts_.end() && !it->second.empty()) {
        HttpOutcome o = std::move(it->second.front());
        it->second.pop_front();
        return o;
      }
      return default_;
    }
  }
  return responder(request);
}

void FakeHttpClient::Send(OutboundRequest request, DoneCallback done) {
  {
    std::lock_guard lock(mu_);
    requests_.push_back(request);
    if (mode_ == Mode::kManual) held_.push_back(HeldRequest{std::move(request), std::move(done)});
  }
  changed_.notify_all();
  if (mode_ == Mode::kImmediate) done(OutcomeFor(request));
}

std::vector<OutboundRequest> FakeHttpClient::Requests() const {
  std::lock_guard lock(mu_);
  return requests_;
}

size_t FakeHttpClient::RequestCount() const {
  std::lock_guard lock(mu_);
  return requests_.size();
}

size_t FakeHttpClient::Held() const {
  std::lock_guard lock(mu_);
  return held_.size();
}

bool FakeHttpClient::CompleteNext() {
  HeldRequest next;
  {
    std::lock_guard lock(mu_);
    if (held_.empty()) return false;
    next = std::move(held_.front());
    held_.pop_front();
  }
  next.done(OutcomeFor(next.request));
  return true;
}

size_t FakeHttpClient::CompleteAll() {
  size_t n = 0;
  while (CompleteNext()) ++n;
  return n;
}

bool FakeHttpClient::WaitForRequests(size_t n, std::chrono::milliseconds timeout) const {
  std::unique_lock lock(mu_);
  return changed_.wait_for(lock, timeout, [&] { return requests_.size() >= n; });
}

}  // namespace causeway::exchange::testing
