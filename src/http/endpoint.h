// How every endpoint is mounted, whatever its protocol (OData, SOAP, REST, the control plane):
// what it matches, what the security gate checks, how errors and the logon challenge come out
// in its own protocol, which methods it allows and which requests may block. Also the gate's
// interface (implemented by security/), so that layers above need only this small library.
#pragma once

#include <cstddef>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.h"
#include "http/message.h"
#include "http/sap_path.h"

namespace causeway::http {

// What the security gate checks for an endpoint.
struct GuardTarget {
  std::string service;       // authorization object, e.g. "BC_EXT_APPJOB_MANAGEMENT"
  bool authenticate = true;  // false: public endpoint (e.g. health)
  bool csrf = true;          // modifying requests need a CSRF token (OData services)
  bool authorize = true;     // false: any authenticated user (e.g. the unknown-service answer)
};

// Renders what the house itself answers in the endpoint's protocol.
struct ErrorRenderer {
  // A gate error (403 without the arrangement), 405, a failed commit, any error raised outside
  // the handler: Gateway error body, SOAP fault, JSON problem. Null: plain text.
  std::function<Response(const Request&, const core::Error&)> error;
  // Shapes the 401 the gate built (status, www-authenticate, sap-usercontext cookie and ICF's
  // HTML logon page): null keeps it as it is; a protocol may replace body and content type.
  std::function<void(const Request&, Response&)> challenge;

  Response Error(const Request& req, const core::Error& e) const;
  void Challenge(const Request& req, Response& res) const {
    if (challenge) challenge(req, res);
  }
};

class RequestGuard {
 public:
  virtual ~RequestGuard() = default;
  // Cheap (no password hashing, no store write) for this request? Decides whether the gate
  // runs inline on the I/O thread.
  virtual bool IsCheap(const Request& req) const = 0;
  // Authenticates and authorizes; fills req.user/session_id/scenarios. Returns the response to
  // send instead (401 shaped by render.Challenge, 403 CSRF, or render.Error for a missing
  // arrangement) or nullopt to proceed.
  virtual std::optional<Response> Admit(Request& req, const GuardTarget& target, const ErrorRenderer& render) = 0;
  // Adds session cookie and fetched CSRF token to the endpoint's response.
  virtual void Finish(const Request& req, const GuardTarget& target, Response& res) = 0;
};

// What a request matched: the parsed SAP OData path (for kSapOData endpoints) and the path
// after the endpoint's prefix (for kPrefix endpoints).
struct RouteMatch {
  const SapODataPath* odata = nullptr;
  std::string_view rest;
};

// The largest body an endpoint that answers on the I/O thread parses there (well under a
// millisecond); its larger ones go to the worker pool. Used by the SOAP engine (its default) and
// the OData mount's inline writes.
constexpr size_t kInlineBodyLimit = 16 * 1024;

struct Endpoint {
  enum class Kind {
    kSapOData,  // `key` is a service name under /sap/opu/odata/<ns>/ (any namespace, any version
                // form, case-insensitive); "*" answers every service no other endpoint serves
    kPrefix,    // `key` is a path prefix; the longest matching prefix wins
  };
  Kind kind = Kind::kPrefix;
  std::string key;
  GuardTarget guard;
  std::function<Response(Request& req, const RouteMatch& match)> handle;
  ErrorRenderer render;
  // Methods the endpoint serves; others get 405 with `allow` (after the gate). Empty: any.
  std::vector<std::string> methods;
  // True if handling this request may block (fsync, process spawn, libpq, the slow password
  // hash is the gate's own business): it then runs on the worker pool. Null: every method
  // except GET and HEAD may block.
  std::function<bool(const Request&)> may_block;
  // Metrics and access-log label; empty: guard.service.
  std::string label;

  const std::string& Label() const { return label.empty() ? guard.service : label; }
  bool MayBlock(const Request& req) const;
  bool Allows(std::string_view method) const;
};

}  // namespace causeway::http
