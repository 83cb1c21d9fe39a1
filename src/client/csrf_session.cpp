#include "client/csrf_session.h"

#include "client/error_body.h"
#include "client/odata_literal.h"
#include "core/ascii.h"
#include "core/url.h"

namespace causeway::client {

namespace {

bool IsSuccess(int status) { return status >= 200 && status < 300; }

bool CsrfRequired(const HttpResponse& r) {
  return (r.status == 403 || r.status == 405) && core::IEquals(r.Header("x-csrf-token"), "required");
}

// A modifying call the server refused for want of a token. Gateway answers 403 with
// `x-csrf-token: Required`; some stacks (proxies, non-ABAP OData servers) answer 405 to a POST
// that carries no token at all.
bool TokenRejected(const HttpResponse& r, bool token_sent) {
  return CsrfRequired(r) || (r.status == 405 && !token_sent);
}

// scheme://host/path of a URL, without query (a SAML redirect carries a long SAMLRequest).
std::string WithoutQuery(std::string_view url) {
  return std::string(url.substr(0, url.find('?')));
}

}  // namespace

core::Error ErrorFromResponse(const HttpResponse& response, std::string_view what) {
  const int status = response.status;
  core::Code code = core::Code::kInternal;
  if (status == 401) code = core::Code::kUnauthorized;
  else if (status == 403) code = core::Code::kForbidden;
  else if (status >= 300 && status < 400) code = core::Code::kUnauthorized;
  else if (status == 404) code = core::Code::kNotFound;
  else if (status == 405) code = core::Code::kMethodNotAllowed;
  else if (status == 408 || status == 429)
    code = core::Code::kInternal;  // "later", as a 503 says
  else if (status >= 400 && status < 500) code = core::Code::kBadRequest;

  std::string prefix = std::string(what) + ": HTTP " + std::to_string(status);
  core::Error error;
  error.code = code;
  if (std::optional<GatewayError> gw = ParseGatewayError(response.body)) {
    size_t slash = gw->code.rfind('/');
    if (slash != std::string::npos && slash > 0) {
      error.message_class = gw->code.substr(0, slash);
      error.message_number = gw->code.substr(slash + 1);
    } else {
      error.message_class = gw->code;
    }
    error.text = prefix + " " + gw->code + ": " + gw->message;
  } else if (status >= 300 && status < 400) {
    error.text = prefix + " redirect to " + WithoutQuery(response.Header("location")) +
                 " - a SAML/SSO login redirect? Use Basic or X.509 logon (e.g. saml2=disabled)";
  } else if (IsHtmlResponse(response.body, response.Header("content-type"))) {
    std::string title = HtmlTitle(response.body);
    error.text = prefix + " with an HTML page" + (title.empty() ? "" : " ('" + title + "')");
  } else {
    std::string line = FirstLine(response.body);
    error.text = prefix + (line.empty() ? "" : " " + line);
  }
  if (status == 401) {
    error.text += " - wrong user or password, user locked (S/4HANA Cloud locks communication "
                  "users after 3 failed logons), or wrong sap-client";
  } else if (CsrfRequired(response)) {
    error.text += " (CSRF token rejected although freshly fetched: are session cookies "
                  "stripped by a proxy?)";
  }
  return error;
}

core::Error StoppedBeforeSending(std::string_view what) {
  return core::MakeError(core::Code::kUnavailable, kStoppedClass, "",
                         std::string(what) + ": not sent, the client is stopping");
}

bool IsStoppedBeforeSending(const core::Error& error) { return error.message_class == kStoppedClass; }

ODataSession::ODataSession(HttpClient& http, std::string service_root, Sleeper& sleeper,
                           SessionOptions options)
    : http_(http), root_(std::move(service_root)), sleeper_(sleeper), options_(std::move(options)) {
  while (!root_.empty() && root_.back() == '/') root_.pop_back();
}

std::string ODataSession::Url(std::string_view resource, std::string_view query) const {
  std::string url = root_ + "/" + std::string(resource);
  std::string q(query);
  auto add = [&](std::string_view part) {
    if (!q.empty()) q += '&';
    q += part;
  };
  if (!resource.empty()) add("$format=json");
  for (const auto& [name, value] : options_.extra_query) add(name + "=" + core::PercentEncode(value));
  if (!q.empty()) url += "?" + q;
  return url;
}

core::Result<HttpResponse> ODataSession::Exchange(
    const std::string& method, const std::string& url,
    std::vector<std::pair<std::string, std::string>> headers) {
  auto started = std::chrono::steady_clock::now();
  HttpRequest request{method, url, std::move(headers)};
  if (deadline_) {
    request.timeout = std::max(std::chrono::duration_cast<std::chrono::milliseconds>(*deadline_ - started),
                               std::chrono::milliseconds(1000));
  }
  // A read is given up when a stop (SIGTERM/SIGINT) arrives: the cancel comes first.
  if (method == "GET" || method == "HEAD") request.abandon = [this] { return sleeper_.StopPending(); };
  core::Result<HttpResponse> result = http_.Send(request);
  if (options_.trace) {
    auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                  std::chrono::steady_clock::now() - started).count();
    std::string outcome = result.ok() ? "HTTP " + std::to_string(result->status)
                                      : "failed: " + result.error().text;
    options_.trace(method + " " + url + " -> " + outcome + " (" + std::to_string(ms) + " ms)");
  }
  return result;
}

core::Status ODataSession::FetchToken() {
  token_.clear();
  const std::string url = Url("", "");
  // HEAD on the root with '/' (cheapest; pyodata, Cloud SDK), GET if HEAD gives no token.
  for (const char* method : {"HEAD", "GET"}) {
    CW_ASSIGN_OR_RETURN(HttpResponse r,
                        Exchange(method, url, {{"X-CSRF-Token", "Fetch"},
                                               {"Accept", "application/json"}}));
    if (r.status == 401 || (r.status >= 300 && r.status < 400)) {
      return ErrorFromResponse(r, "CSRF token fetch");
    }
    std::string token = r.Header("x-csrf-token");
    if (IsSuccess(r.status) && !token.empty() && !core::IEquals(token, "required")) {
      token_ = std::move(token);
      return core::Status::Ok();
    }
    if (std::string_view(method) == "GET" && !IsSuccess(r.status)) {
      return ErrorFromResponse(r, "CSRF token fetch");
    }
  }
  return core::Status::Ok();  // no token offered: CSRF protection may be off; POST will tell
}

core::Result<HttpResponse> ODataSession::Get(std::string_view resource, std::string_view query) {
  const std::string url = Url(resource, query);
  std::chrono::milliseconds delay = options_.retry_delay;
  for (int attempt = 0;; ++attempt) {
    core::Result<HttpResponse> r = Exchange("GET", url, {{"Accept", "application/json"}});
    bool transient =
        !r.ok() ? r.error().code == core::Code::kUnavailable : r->status >= 500 || r->status == 408 || r->status == 429;
    if (!transient || attempt >= options_.get_retries) {
      if (!r.ok()) return std::move(r).error();
      if (!IsSuccess(r->status)) return ErrorFromResponse(*r, std::string(resource));
      return r;
    }
    if (!sleeper_.SleepFor(delay)) {
      if (!r.ok()) return std::move(r).error();
      return ErrorFromResponse(*r, std::string(resource));
    }
    delay *= 2;
  }
}

core::Result<HttpResponse> ODataSession::Post(std::string_view resource, std::string_view query) {
  const std::string url = Url(resource, query);
  // A stop that came before the call (while the token was fetched, the fetch given up or
  // answered): the modifying call is not sent at all.
  const core::Status fetched = token_.empty() ? FetchToken() : core::Status::Ok();
  if (sleeper_.StopPending()) return StoppedBeforeSending(resource);
  CW_RETURN_IF_ERROR(fetched);
  for (int attempt = 0;; ++attempt) {
    std::vector<std::pair<std::string, std::string>> headers{{"Accept", "application/json"}};
    const bool token_sent = !token_.empty();
    if (token_sent) headers.emplace_back("X-CSRF-Token", token_);
    core::Result<HttpResponse> sent = Exchange("POST", url, std::move(headers));
    if (!sent.ok()) {
      core::Error e = std::move(sent).error();
      if (e.code == core::Code::kUnavailable) e.message_class = kMaybeSentClass;  // sent, no answer
      return e;
    }
    HttpResponse r = std::move(sent).value();
    if (TokenRejected(r, token_sent) && attempt == 0) {
      CW_RETURN_IF_ERROR(FetchToken());  // session expired or token never fetched: once more
      continue;
    }
    if (!IsSuccess(r.status)) {
      core::Error error = ErrorFromResponse(r, std::string(resource));
      if (r.status == 405 && !token_sent) {
        error.text += " (sent without a CSRF token: the server offered none on X-CSRF-Token: Fetch)";
      }
      return error;
    }
    return r;
  }
}

}  // namespace causeway::client
