// A scriptable HttpClient for unit tests of what sits on top of the client (the outbox, the
// scheduler client): records every request and answers with scripted outcomes, either at once
// or when the test says so (to hold requests "in flight"). Thread-safe. The inherited
// SendAndWait works in kManual only while another thread completes the requests.
#pragma once

#include <condition_variable>
#include <deque>
#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "exchange/http_client.h"

namespace causeway::exchange::testing {

// Outcome builders for scripts.
HttpOutcome Answer(int status, std::string body = "", HeaderList headers = {});
HttpOutcome Failure(TransportError error, std::string text = "scripted failure");

class FakeHttpClient final : public HttpClient {
 public:
  enum class Mode {
    kImmediate,  // `done` runs inside Send, on the caller's thread
    kManual,     // `done` runs when the test calls CompleteNext()/CompleteAll(), on its thread
  };

  explicit FakeHttpClient(Mode mode = Mode::kImmediate);
  // Requests still held (kManual) complete with kCancelled, like CurlHttpClient's.
  ~FakeHttpClient() override;

  // Outcomes for requests whose path is `path`, used one per request in order; when they are
  // used up, the default answers.
  void Script(const std::string& path, std::vector<HttpOutcome> outcomes);
  // The outcome when no script applies (initially 200 with an empty body).
  void SetDefault(HttpOutcome outcome);
  // Computes outcomes instead of scripts and the default, e.g. to fail every third attempt.
  // Called with the fake's lock released.
  void SetResponder(std::function<HttpOutcome(const OutboundRequest&)> responder);

  void Send(OutboundRequest request, DoneCallback done) override;

  // Every request Send received, in order.
  std::vector<OutboundRequest> Requests() const;
  size_t RequestCount() const;
  // kManual: requests not completed yet.
  size_t Held() const;
  // kManual: completes the oldest held request with its outcome; false when none is held.
  bool CompleteNext();
  // kManual: completes every held request, including ones sent by the callbacks meanwhile;
  // returns how many.
  size_t CompleteAll();
  // Blocks until at least `n` requests have been received or `timeout` passed; true if reached.
  bool WaitForRequests(size_t n, std::chrono::milliseconds timeout) const;

 private:
  struct HeldRequest {
    OutboundRequest request;
    DoneCallback done;
  };
  HttpOutcome OutcomeFor(const OutboundRequest& request);

  const Mode mode_;
  mutable std::mutex mu_;
  mutable std::condition_variable changed_;
  std::map<std::string, std::deque<HttpOutcome>> scripts_;
  HttpOutcome default_;
  std::function<HttpOutcome(const OutboundRequest&)> responder_;
  std::vector<OutboundRequest> requests_;
  std::deque<HeldRequest> held_;
};

}  // namespace causeway::exchange::testing
