// An OData V2 session against one service root, as SAP clients run it (spec §2.3, §2.4):
// token fetched with HEAD (then GET) on "<root>/" and `X-CSRF-Token: Fetch`, session cookies kept
// by the HttpClient, token sent on every POST, one re-fetch and retry on 403 (or 405) with
// `x-csrf-token: Required`, and on a bare 405 to a POST sent without a token (some stacks). GETs are retried with backoff on connection errors and 5xx;
// POSTs never are (a blind retry of JobSchedule would start a second job).
#pragma once

#include <chrono>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "client/http_client.h"
#include "client/stop_signal.h"
#include "core/result.h"

namespace causeway::client {

struct SessionOptions {
  // Appended to every request, e.g. {"sap-client", "100"} or {"saml2", "disabled"}. Unencoded.
  std::vector<std::pair<std::string, std::string>> extra_query;
  int get_retries = 3;                              // extra attempts for an idempotent GET
  std::chrono::milliseconds retry_delay{500};       // doubled after each attempt
  std::function<void(std::string_view)> trace;      // --verbose: method, URL, status only
};

class ODataSession {
 public:
  // `service_root` e.g. "https://host/sap/opu/odata/sap/BC_EXT_APPJOB_MANAGEMENT;v=0002"
  // (a trailing '/' is ignored). `http` and `sleeper` must outlive the session.
  ODataSession(HttpClient& http, std::string service_root, Sleeper& sleeper,
               SessionOptions options = {});

  // GET <root>/<resource>?<query>&$format=json. `query` is already encoded ("A='x'&B=1").
  // Errors: kUnavailable (connection), others from ErrorFromResponse().
  core::Result<HttpResponse> Get(std::string_view resource, std::string_view query);
  // POST with CSRF token; same errors. Never retried on connection errors or 5xx.
  core::Result<HttpResponse> Post(std::string_view resource, std::string_view query);

  const std::string& service_root() const { return root_; }
  // Every request from now on waits for its answer at most until `deadline` (at least a
  // second), however long the configured request timeout is; nullopt lifts the bound.
  void SetDeadline(std::optional<std::chrono::steady_clock::time_point> deadline) { deadline_ = deadline; }

 private:
  core::Result<HttpResponse> Exchange(const std::string& method, const std::string& url,
                                      std::vector<std::pair<std::string, std::string>> headers);
  core::Status FetchToken();
  std::string Url(std::string_view resource, std::string_view query) const;

  HttpClient& http_;
  std::string root_;
  Sleeper& sleeper_;
  SessionOptions options_;
  std::string token_;
  std::optional<std::chrono::steady_clock::time_point> deadline_;
};

// Turns a non-2xx response into one clear error (code + text): Gateway JSON/XML bodies give
// "APJ_RT/003: Job doesn't exist."; HTML pages and redirects are named as such. Codes:
// 401 -> kUnauthorized, 403 -> kForbidden, 3xx -> kUnauthorized (login redirect),
// 404 -> kNotFound, 405 -> kMethodNotAllowed, 408/429 and 5xx/other -> kInternal (try later),
// other 4xx -> kBadRequest.
core::Error ErrorFromResponse(const HttpResponse& response, std::string_view what);

// A POST that a stop (SIGTERM/SIGINT) kept from being sent: the server has seen nothing of it.
inline constexpr char kStoppedClass[] = "CLIENT_STOPPED";
// A POST that went out and got no answer (timeout, connection lost): the server may have done it.
inline constexpr char kMaybeSentClass[] = "CLIENT_NO_ANSWER";
core::Error StoppedBeforeSending(std::string_view what);
bool IsStoppedBeforeSending(const core::Error& error);

}  // namespace causeway::client
