#include "exchange/curl_transfer.h"

#include <spdlog/spdlog.h>

#include "core/ascii.h"

namespace causeway::exchange::internal {

namespace {

std::chrono::microseconds Since(Transfer::SteadyTime from, Transfer::SteadyTime to) {
  return to > from ? std::chrono::duration_cast<std::chrono::microseconds>(to - from)
                   : std::chrono::microseconds(0);
}

}  // namespace

TransportError TransportErrorOf(CURLcode result, bool body_too_large) {
  switch (result) {
    case CURLE_OK:
      return TransportError::kNone;
    case CURLE_COULDNT_RESOLVE_HOST:
    case CURLE_COULDNT_RESOLVE_PROXY:
    case CURLE_COULDNT_CONNECT:
      return TransportError::kConnect;
    case CURLE_OPERATION_TIMEDOUT:
      return TransportError::kTimeout;
    case CURLE_SSL_CONNECT_ERROR:
    case CURLE_PEER_FAILED_VERIFICATION:
    case CURLE_SSL_CERTPROBLEM:
    case CURLE_SSL_CIPHER:
    case CURLE_SSL_CACERT_BADFILE:
    case CURLE_SSL_ISSUER_ERROR:
    case CURLE_SSL_CRL_BADFILE:
    case CURLE_SSL_PINNEDPUBKEYNOTMATCH:
    case CURLE_SSL_INVALIDCERTSTATUS:
    case CURLE_SSL_ENGINE_NOTFOUND:
    case CURLE_SSL_ENGINE_SETFAILED:
    case CURLE_SSL_ENGINE_INITFAILED:
    case CURLE_SSL_SHUTDOWN_FAILED:
    case CURLE_USE_SSL_FAILED:
      return TransportError::kTls;
    case CURLE_SEND_ERROR:
    case CURLE_RECV_ERROR:
    case CURLE_GOT_NOTHING:
    case CURLE_PARTIAL_FILE:
    case CURLE_HTTP2:
    case CURLE_HTTP2_STREAM:
      return TransportError::kConnectionLost;
    case CURLE_WEIRD_SERVER_REPLY:
    case CURLE_BAD_CONTENT_ENCODING:
    case CURLE_RANGE_ERROR:
      return TransportError::kProtocol;
    case CURLE_WRITE_ERROR:
      return body_too_large ? TransportError::kAnswerTooLarge : TransportError::kInternal;
    case CURLE_TOO_MANY_REDIRECTS:
      return TransportError::kTooManyRedirects;
    case CURLE_URL_MALFORMAT:
    case CURLE_UNSUPPORTED_PROTOCOL:
    case CURLE_BAD_FUNCTION_ARGUMENT:
      return TransportError::kInvalidRequest;
    default:
      return TransportError::kInternal;
  }
}

Transfer::Transfer(OutboundRequest request, DoneCallback done, SteadyTime accepted)
    : request_(std::move(request)), done_(std::move(done)), accepted_(accepted) {}

Transfer::~Transfer() { curl_slist_free_all(header_list_); }

std::optional<std::string> Transfer::BuildHeaders() {
  const Destination& d = *request_.destination;
  HeaderList merged = d.headers;
  for (const auto& [name, value] : request_.headers) {
    if (!IsHeaderName(name)) return "header name '" + name + "' is not a token";
    if (!IsHeaderValue(value)) return "header " + name + " contains a line break";
    merged.Set(name, value);
  }
  if (!request_.idempotency_key.empty()) {
    if (!IsHeaderValue(request_.idempotency_key)) return "idempotency key contains a line break";
    if (!d.idempotency_header.empty()) merged.Set(d.idempotency_header, request_.idempotency_key);
  }
  const bool sends_body = !request_.body.empty() || request_.method == "POST" ||
                          request_.method == "PUT" || request_.method == "PATCH";
  // libcurl would label a body application/x-www-form-urlencoded; without a Content-Type from
  // the caller none is sent. "Expect:" turns off 100-continue, which costs a round trip.
  if (sends_body && !merged.Contains("Content-Type")) merged.Add("Content-Type", "");
  merged.Set("Expect", "");
  for (const auto& [name, value] : merged) {
    // "Name:" tells libcurl to drop its own field; "Name;" sends the field with an empty value.
    bool drop = value.empty() && (core::IEquals(name, "Expect") || core::IEquals(name, "Content-Type"));
    std::string line = drop ? name + ":" : value.empty() ? name + ";" : name + ": " + value;
    curl_slist* next = curl_slist_append(header_list_, line.c_str());
    if (next == nullptr) return "out of memory";
    header_list_ = next;
  }
  return std::nullopt;
}

std::optional<HttpOutcome> Transfer::Prepare(CURL* easy, const std::string& user_agent, CURLSH* cookies,
                                             SteadyTime now) {
  started_ = now;
  if (!request_.destination) return Abandon(TransportError::kInvalidRequest, "request has no destination", now);
  const Destination& d = *request_.destination;
  core::Result<std::string> url = JoinUrl(d.base_url, request_.path);
  if (!url.ok()) return Abandon(TransportError::kInvalidRequest, url.error().text, now);
  url_ = std::move(url).value();
  if (!IsHeaderName(request_.method)) {
    return Abandon(TransportError::kInvalidRequest, "method '" + request_.method + "' is not a token", now);
  }
  if (request_.total_timeout && request_.total_timeout->count() <= 0) {
    // libcurl would read 0 as "no timeout at all".
    return Abandon(TransportError::kInvalidRequest, "total_timeout must be positive", now);
  }
  if (std::optional<std::string> problem = BuildHeaders()) {
    return Abandon(TransportError::kInvalidRequest, *problem, now);
  }
  easy_ = easy;
  max_body_ = d.max_answer_bytes;

  curl_easy_setopt(easy, CURLOPT_PRIVATE, this);
  curl_easy_setopt(easy, CURLOPT_URL, url_.c_str());
  curl_easy_setopt(easy, CURLOPT_FRESH_CONNECT, request_.fresh_connection ? 1L : 0L);
  curl_easy_setopt(easy, CURLOPT_PROTOCOLS_STR, "http,https");
  curl_easy_setopt(easy, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(easy, CURLOPT_ERRORBUFFER, error_buffer_);
  curl_easy_setopt(easy, CURLOPT_WRITEFUNCTION, &Transfer::OnBody);
  curl_easy_setopt(easy, CURLOPT_WRITEDATA, this);
  curl_easy_setopt(easy, CURLOPT_HEADERFUNCTION, &Transfer::OnHeader);
  curl_easy_setopt(easy, CURLOPT_HEADERDATA, this);
  curl_easy_setopt(easy, CURLOPT_CONNECTTIMEOUT_MS, static_cast<long>(d.connect_timeout.count()));
  curl_easy_setopt(easy, CURLOPT_TIMEOUT_MS,
                   static_cast<long>(request_.total_timeout.value_or(d.total_timeout).count()));
  curl_easy_setopt(easy, CURLOPT_ACCEPT_ENCODING, "");  // the cap applies to the decoded body
  curl_easy_setopt(easy, CURLOPT_USERAGENT, user_agent.c_str());
  curl_easy_setopt(easy, CURLOPT_HTTPHEADER, header_list_);

  if (d.follow_redirects) {
    curl_easy_setopt(easy, CURLOPT_FOLLOWLOCATION, 1L);
    curl_easy_setopt(easy, CURLOPT_MAXREDIRS, static_cast<long>(d.max_redirects));
    const bool https = core::IStartsWith(d.base_url, "https:");
    curl_easy_setopt(easy, CURLOPT_REDIR_PROTOCOLS_STR, https ? "https" : "http,https");
  } else {
    curl_easy_setopt(easy, CURLOPT_FOLLOWLOCATION, 0L);
  }
  if (!d.user.empty()) {
    curl_easy_setopt(easy, CURLOPT_HTTPAUTH, static_cast<long>(CURLAUTH_BASIC));  // preemptive
    curl_easy_setopt(easy, CURLOPT_USERNAME, d.user.c_str());
    curl_easy_setopt(easy, CURLOPT_PASSWORD, d.password.Reveal().c_str());
  }
  if (!d.ca_file.empty()) curl_easy_setopt(easy, CURLOPT_CAINFO, d.ca_file.c_str());
  if (!d.client_cert.empty()) {
    curl_easy_setopt(easy, CURLOPT_SSLCERT, d.client_cert.c_str());
    curl_easy_setopt(easy, CURLOPT_SSLCERTTYPE, "PEM");
    const std::string& key = d.client_key.empty() ? d.client_cert : d.client_key;
    curl_easy_setopt(easy, CURLOPT_SSLKEY, key.c_str());
    curl_easy_setopt(easy, CURLOPT_SSLKEYTYPE, "PEM");
  }
  curl_easy_setopt(easy, CURLOPT_SSL_VERIFYPEER, d.insecure ? 0L : 1L);
  curl_easy_setopt(easy, CURLOPT_SSL_VERIFYHOST, d.insecure ? 0L : 2L);
  if (cookies != nullptr) {
    curl_easy_setopt(easy, CURLOPT_SHARE, cookies);
    curl_easy_setopt(easy, CURLOPT_COOKIEFILE, "");  // the in-memory engine, nothing on disk
  }

  const std::string& m = request_.method;
  if (m == "HEAD") {
    curl_easy_setopt(easy, CURLOPT_NOBODY, 1L);
  } else if (m == "GET" && request_.body.empty()) {
    curl_easy_setopt(easy, CURLOPT_HTTPGET, 1L);
  } else if (m == "POST" || m == "PUT" || m == "PATCH" || !request_.body.empty()) {
    curl_easy_setopt(easy, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(request_.body.size()));
    curl_easy_setopt(easy, CURLOPT_POSTFIELDS, request_.body.data());
    if (m != "POST") curl_easy_setopt(easy, CURLOPT_CUSTOMREQUEST, m.c_str());
  } else {
    curl_easy_setopt(easy, CURLOPT_HTTPGET, 1L);
    curl_easy_setopt(easy, CURLOPT_CUSTOMREQUEST, m.c_str());
  }
  return std::nullopt;
}

size_t Transfer::OnBody(char* data, size_t size, size_t count, void* self) {
  auto* t = static_cast<Transfer*>(self);
  const size_t n = size * count;
  std::string& body = t->outcome_.body;
  if (body.size() + n > t->max_body_) {
    body.append(data, t->max_body_ - body.size());
    t->too_large_ = true;
    return 0;  // makes libcurl stop with CURLE_WRITE_ERROR and close the connection
  }
  body.append(data, n);
  return n;
}

size_t Transfer::OnHeader(char* data, size_t size, size_t count, void* self) {
  auto* t = static_cast<Transfer*>(self);
  const size_t n = size * count;
  std::string_view line(data, n);
  if (line.starts_with("HTTP/")) {
    // A new answer begins (after 100 Continue or a followed redirect): only the last one counts.
    t->outcome_.headers.clear();
    t->outcome_.body.clear();
  } else if (size_t colon = line.find(':'); colon != std::string_view::npos) {
    t->outcome_.headers.Add(std::string(core::Trim(line.substr(0, colon))),
                            std::string(core::Trim(line.substr(colon + 1))));
  }
  return n;
}

HttpOutcome Transfer::Finish(CURLcode result) {
  HttpOutcome outcome = std::move(outcome_);
  long status = 0;
  curl_easy_getinfo(easy_, CURLINFO_RESPONSE_CODE, &status);
  outcome.status = static_cast<int>(status);
  curl_off_t total_us = 0;
  curl_easy_getinfo(easy_, CURLINFO_TOTAL_TIME_T, &total_us);
  outcome.latency = std::chrono::microseconds(total_us);
  outcome.queued = Since(accepted_, started_);
  outcome.error = TransportErrorOf(result, too_large_);
  if (outcome.error != TransportError::kNone) {
    outcome.error_text = curl_easy_strerror(result);
    if (too_large_) {
      outcome.error_text = "answer body larger than max_answer_bytes (" + std::to_string(max_body_) + ")";
    } else if (error_buffer_[0] != '\0') {
      outcome.error_text += std::string(": ") + error_buffer_;
    }
  }
  return outcome;
}

HttpOutcome Transfer::Abandon(TransportError error, std::string text, SteadyTime now) {
  HttpOutcome outcome;
  outcome.error = error;
  outcome.error_text = std::move(text);
  outcome.queued = Since(accepted_, now);
  return outcome;
}

void Transfer::Complete(HttpOutcome outcome) {
  if (!done_) return;
  DoneCallback done = std::move(done_);
  done_ = nullptr;
  try {
    done(std::move(outcome));
  } catch (const std::exception& e) {
    spdlog::error("exchange: a completion callback threw: {}", e.what());
  } catch (...) {
    spdlog::error("exchange: a completion callback threw");
  }
}

}  // namespace causeway::exchange::internal
