#include "client/http_client.h"

#include <algorithm>
#include <condition_variable>
#include <map>
#include <mutex>
#include <optional>

#include "core/ascii.h"
#include "exchange/curl_http_client.h"

namespace causeway::client {
namespace {

// "https://host:8443/sap/…?x" → ("https://host:8443", "/sap/…?x"); nullopt if not http(s).
std::optional<std::pair<std::string, std::string>> SplitOrigin(std::string_view url) {
  size_t scheme = url.find("://");
  if (scheme == std::string_view::npos) return std::nullopt;
  std::string_view proto = url.substr(0, scheme);
  if (!core::IEquals(proto, "http") && !core::IEquals(proto, "https")) return std::nullopt;
  size_t path = url.find_first_of("/?", scheme + 3);
  if (path == std::string_view::npos) return std::make_pair(std::string(url), std::string("/"));
  return std::make_pair(std::string(url.substr(0, path)), std::string(url.substr(path)));
}

}  // namespace

std::string HttpResponse::Header(const std::string& lower_name) const {
  auto it = headers.find(lower_name);
  return it == headers.end() ? std::string() : it->second;
}

struct CurlHttpClient::Impl {
  HttpOptions options;
  exchange::CurlHttpClient http{exchange::CurlClientOptions{.threads = 1, .user_agent = "causeway-job/0.1"}};
  std::mutex mu;
  std::map<std::string, std::shared_ptr<const exchange::Destination>> destinations;  // GUARDED_BY(mu), by origin

  std::shared_ptr<const exchange::Destination> DestinationFor(const std::string& origin) {
    std::lock_guard lock(mu);
    auto& d = destinations[origin];
    if (!d) {
      exchange::Destination dest;
      dest.name = "client-" + std::to_string(destinations.size());
      dest.base_url = origin;
      dest.user = options.user;
      dest.password = exchange::Secret(options.password);
      dest.ca_file = options.ca_bundle;
      dest.client_cert = options.client_cert;
      dest.client_key = options.client_key;
      dest.insecure = options.insecure;
      dest.connect_timeout = options.connect_timeout;
      dest.total_timeout = options.request_timeout;
      // The client sends one request at a time; a second slot is for the JobCancel that follows
      // a status read given up at a SIGTERM while the server still holds it.
      dest.max_concurrent = 4;
      dest.keep_cookies = true;
      dest.idempotency_header.clear();
      dest.max_answer_bytes = 256u << 20;  // job lists and logs can be long
      d = std::make_shared<const exchange::Destination>(std::move(dest));
    }
    return d;
  }
};

CurlHttpClient::CurlHttpClient(HttpOptions options) : impl_(std::make_unique<Impl>()) {
  impl_->options = std::move(options);
}

CurlHttpClient::~CurlHttpClient() = default;

core::Result<HttpResponse> CurlHttpClient::Send(const HttpRequest& request) {
  auto split = SplitOrigin(request.url);
  if (!split) return core::MakeError(core::Code::kUnavailable, "CONNECTION", "", "not an http(s) URL: " + request.url);
  exchange::OutboundRequest out;
  out.destination = impl_->DestinationFor(split->first);
  out.method = request.method;
  out.path = split->second;
  for (const auto& [name, value] : request.headers) out.headers.Add(name, value);
  // Gateway's function imports carry no idempotency key: a JobSchedule libcurl re-sent after a
  // reused connection died would schedule the job twice, and the client would not know.
  out.fresh_connection = request.method != "GET" && request.method != "HEAD";
  // A bound only shortens the configured request timeout, never lengthens it.
  if (request.timeout)
    out.total_timeout =
        std::min(std::max(*request.timeout, std::chrono::milliseconds(1)), impl_->options.request_timeout);
  exchange::HttpOutcome outcome;
  if (!request.abandon) {
    outcome = impl_->http.SendAndWait(std::move(out));
  } else {
    // Waits in short slices so that a stop (SIGTERM) is seen while a server hangs; the state
    // is shared with the callback, which may run after this call returned.
    struct Waiting {
      std::mutex mu;
      std::condition_variable cv;
      std::optional<exchange::HttpOutcome> outcome;
    };
    auto waiting = std::make_shared<Waiting>();
    impl_->http.Send(std::move(out), [waiting](exchange::HttpOutcome o) {
      std::lock_guard lock(waiting->mu);
      waiting->outcome = std::move(o);
      waiting->cv.notify_all();
    });
    std::unique_lock lock(waiting->mu);
    while (!waiting->cv.wait_for(lock, std::chrono::milliseconds(50), [&] { return waiting->outcome.has_value(); })) {
      if (request.abandon())
        return core::MakeError(core::Code::kUnavailable, "CONNECTION", "", "abandoned: the client is stopping");
    }
    outcome = std::move(*waiting->outcome);
  }
  if (!outcome.answered())
    return core::MakeError(core::Code::kUnavailable, "CONNECTION", "",
                           std::string(exchange::TransportErrorName(outcome.error)) + ": " + outcome.error_text);
  HttpResponse response;
  response.status = outcome.status;
  for (const auto& [name, value] : outcome.headers.entries()) response.headers[core::ToLower(name)] = value;
  response.body = std::move(outcome.body);
  return response;
}

}  // namespace causeway::client
