// The HTTP seam of the client. ODataSession talks to an HttpClient; production uses
// CurlHttpClient, tests may substitute a fake. Secrets (password, cookies, tokens, Authorization)
// live only inside the implementation and are never written to any log or error text.
#pragma once

#include <chrono>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "core/result.h"

namespace causeway::client {

struct HttpRequest {
  std::string method;  // "GET", "HEAD" or "POST" (POST with an empty body)
  std::string url;     // absolute
  std::vector<std::pair<std::string, std::string>> headers;
  // Replaces the configured request timeout when shorter (what is left of a --timeout or
  // --cancel-wait bound the answer is waited for in).
  std::optional<std::chrono::milliseconds> timeout;
  // Polled while the answer is awaited: true stops waiting (kUnavailable "abandoned"); the
  // request itself runs out in the background. Only for reads: a POST's outcome matters.
  std::function<bool()> abandon;
};

struct HttpResponse {
  int status = 0;
  std::map<std::string, std::string> headers;  // names lower-cased; the last value wins
  std::string body;

  // The header value or "" (name must be lower case).
  std::string Header(const std::string& lower_name) const;
};

class HttpClient {
 public:
  virtual ~HttpClient() = default;
  // Sends one request. Any HTTP status is a success here; kUnavailable means the exchange did
  // not complete (DNS, connect, TLS, timeout, connection reset/empty reply).
  virtual core::Result<HttpResponse> Send(const HttpRequest& request) = 0;
};

struct HttpOptions {
  std::string user;
  std::string password;
  std::string client_cert;  // PEM file: X.509 logon
  std::string client_key;   // PEM file; defaults to client_cert when empty
  std::string ca_bundle;    // PEM file of trusted CAs; system store when empty
  bool insecure = false;    // skip TLS peer and host verification (only via --insecure)
  std::chrono::milliseconds connect_timeout{15000};
  std::chrono::milliseconds request_timeout{120000};
};

// Causeway's one outbound HTTP client (exchange::CurlHttpClient) with one destination per origin
// the client talks to: connections kept alive and reused, TLS as configured, credentials sent
// preemptively, and the destination's in-memory cookie jar, so session cookies
// (SAP_SESSIONID_…, sap-XSRF_…) set by the CSRF fetch are sent on the following POST.
// Redirects are reported, not followed. Thread-safe.
class CurlHttpClient final : public HttpClient {
 public:
  explicit CurlHttpClient(HttpOptions options);
  ~CurlHttpClient() override;
  CurlHttpClient(const CurlHttpClient&) = delete;
  CurlHttpClient& operator=(const CurlHttpClient&) = delete;

  core::Result<HttpResponse> Send(const HttpRequest& request) override;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace causeway::client
