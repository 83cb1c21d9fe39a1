// Internal to CurlHttpClient: one request on its way through libcurl. Turns an OutboundRequest
// into easy-handle options and libcurl's callbacks and result code into an HttpOutcome.
// Not thread-safe: lives on one loop thread from admission to completion.
#pragma once

#include <curl/curl.h>

#include <chrono>
#include <optional>
#include <string>

#include "exchange/http_client.h"

namespace causeway::exchange::internal {

class Transfer {
 public:
  using SteadyTime = std::chrono::steady_clock::time_point;

  Transfer(OutboundRequest request, DoneCallback done, SteadyTime accepted);
  ~Transfer();
  Transfer(const Transfer&) = delete;
  Transfer& operator=(const Transfer&) = delete;

  const OutboundRequest& request() const { return request_; }
  const std::string& url() const { return url_; }
  CURL* easy() const { return easy_; }

  // Sets up `easy` (fresh or reset) for this request; `cookies` is the destination's share
  // handle or null. On failure returns the outcome to deliver instead (kInvalidRequest), and
  // `easy` stays unused.
  std::optional<HttpOutcome> Prepare(CURL* easy, const std::string& user_agent, CURLSH* cookies,
                                     SteadyTime now);
  // The outcome once libcurl reported `result` for this transfer.
  HttpOutcome Finish(CURLcode result);
  // The outcome of a request that ends without (completing) an exchange.
  HttpOutcome Abandon(TransportError error, std::string text, SteadyTime now);

  // Runs the callback once; an exception from it is caught and logged (it must not end the
  // loop thread).
  void Complete(HttpOutcome outcome);

 private:
  static size_t OnBody(char* data, size_t size, size_t count, void* self);
  static size_t OnHeader(char* data, size_t size, size_t count, void* self);
  std::optional<std::string> BuildHeaders();  // error text, or nullopt when fine

  OutboundRequest request_;
  DoneCallback done_;
  SteadyTime accepted_;
  SteadyTime started_{};
  std::string url_;
  CURL* easy_ = nullptr;
  curl_slist* header_list_ = nullptr;
  size_t max_body_ = 0;
  bool too_large_ = false;
  HttpOutcome outcome_;
  char error_buffer_[CURL_ERROR_SIZE] = {};
};

// libcurl's result code as a TransportError (CURLE_WRITE_ERROR is kAnswerTooLarge only when the
// body cap stopped the transfer).
TransportError TransportErrorOf(CURLcode result, bool body_too_large);

}  // namespace causeway::exchange::internal
