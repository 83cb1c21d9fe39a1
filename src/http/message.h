// Protocol-neutral HTTP request/response values handed from the server to the layers above.
// They keep header names as the peer sent them (requests) or exactly as we write them
// (responses: Gateway emits lower-case names and so do we).
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/blocking.h"
#include "core/completion.h"
#include "http/sap_path.h"

namespace causeway::http {

// A small ordered header list with case-insensitive lookup. Few headers per message make a
// vector faster than any map.
class Headers {
 public:
  // First value of `name` (case-insensitive), or nullopt.
  std::optional<std::string_view> Get(std::string_view name) const;
  bool Has(std::string_view name) const { return Get(name).has_value(); }
  // All values of `name`, in order (e.g. several Cookie or Set-Cookie lines).
  std::vector<std::string_view> GetAll(std::string_view name) const;
  // Appends a header line (allows duplicates, e.g. set-cookie).
  void Add(std::string name, std::string value) { items_.emplace_back(std::move(name), std::move(value)); }
  // Replaces every `name` line with one line.
  void Set(std::string name, std::string value);
  void Remove(std::string_view name);
  const std::vector<std::pair<std::string, std::string>>& items() const { return items_; }
  size_t size() const { return items_.size(); }
  void Clear() { items_.clear(); }

 private:
  std::vector<std::pair<std::string, std::string>> items_;
};

struct Endpoint;  // endpoint.h

struct Request {
  std::string method;  // as sent, e.g. "GET"; compare case-sensitively per RFC 9110
  std::string target;  // raw request-target, percent-encoded, e.g. "/sap/opu/odata/...?$top=1"
  Headers headers;
  std::string body;
  int version = 11;  // 10 or 11

  // Filled in by the server and by security/ before a service handler runs.
  std::string remote_address;
  bool tls = false;
  std::string client_cert_subject;      // verified client certificate, empty if none
  std::string client_cert_fingerprint;  // SHA-256 hex of the DER certificate
  std::string user;                     // authenticated user name
  std::string sap_client;               // e.g. "100"
  std::string sap_language;             // e.g. "EN"
  std::string session_id;               // security-session id (binds the CSRF token)
  bool admitted = false;                // the gate already ran on the head (Handler::Admit)
  // True while the handler runs on an I/O thread (Handler::RunsInline): it must not wait; one
  // that would may answer Response::ToWorkers() (see core/blocking.h for how handlers tell).
  bool on_io_thread = false;
  // What the handler parked on while on the I/O thread (core/blocking.h): the server awaits it
  // and runs the handler there again instead of handing the request to the worker pool.
  core::Parking parking;
  // Headers the security gate adds to a successful response (session cookie, fetched token).
  std::vector<std::pair<std::string, std::string>> gate_response_headers;
  // Communication scenarios granted to `user` by its arrangements (e.g. "SAP_COM_0064",
  // "SAP_COM_0326"); empty for business users. Services use it for finer authorization.
  std::vector<std::string> scenarios;
  bool HasScenario(std::string_view id) const;

  std::string_view Path() const;   // target up to '?'
  std::string_view Query() const;  // after the first '?', empty if none

  // The router's lookup of `target` (Router::Find), kept for the request: the gate, the check
  // whether it runs on the I/O thread and the handler each need it, and parsing the SAP path
  // three times was a fifth of a JobStatusGet's own CPU. Redone if `target` changed since.
  struct Routed {
    std::string target;
    std::optional<SapODataPath> path;
    const Endpoint* endpoint = nullptr;
  };
  mutable std::optional<Routed> routed;
};

struct Response {
  int status = 200;
  Headers headers;
  std::string body;
  // Bytes shared with a cache of serialized answers: when set, they are the body and `body` is
  // empty, so a cached answer is written without a per-request copy (and, for large bodies,
  // without the allocation that made glibc consolidate its free lists on every request).
  std::shared_ptr<const std::string> shared_body;
  // True: the server closes the connection after writing (e.g. after a 4xx on framing).
  bool close = false;
  // Metrics/access-log label (the service that answered); not sent on the wire.
  std::string label;
  // When set, the response goes out only once `after` completed: unchanged if it succeeded,
  // else replaced by `on_failure(error)`. This is how a modifying request is answered once its
  // unit of work is durable without a thread waiting for the disk meanwhile. The server calls
  // on_failure while the request it answers is still alive.
  std::shared_ptr<core::Completion> after;
  std::function<Response(const core::Error&)> on_failure;
  // Set by a handler that runs on an I/O thread (Request::on_io_thread) and would have to wait
  // there: the server discards this answer and runs the request again on the worker pool. The
  // handler must not have changed anything yet. If the handler parked the request
  // (Request::parking) the server instead awaits what it parked on and runs it again inline.
  bool to_workers = false;
  static Response ToWorkers() {
    Response r;
    r.to_workers = true;
    return r;
  }

  Response() = default;
  Response(int s, std::string content_type, std::string b) : status(s), body(std::move(b)) {
    headers.Add("content-type", std::move(content_type));
  }

  // The bytes to send: the shared body when there is one, else `body`.
  std::string_view body_view() const { return shared_body ? std::string_view(*shared_body) : std::string_view(body); }
};

const char* ReasonPhrase(int status);

}  // namespace causeway::http
