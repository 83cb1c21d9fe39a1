// Maps a request to the endpoint that serves it and runs the security gate in front of it.
//
// OData services are registered by service name (matched case-insensitively, any namespace
// segment, any version form; see sap_path.h); other endpoints by path prefix (longest wins).
// Every endpoint names the service it belongs to; the RequestGuard (implemented by
// security/) authenticates, checks CSRF and the user's arrangements for that service before
// the endpoint runs, and decorates the response afterwards (cookies, CSRF token).
#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "http/message.h"
#include "http/sap_path.h"
#include "http/server.h"

namespace causeway::http {

struct GuardTarget {
  std::string service;       // authorization object, e.g. "BC_EXT_APPJOB_MANAGEMENT"
  bool authenticate = true;  // false: public endpoint (e.g. health)
  bool csrf = true;          // modifying requests need a CSRF token (OData services)
};

class RequestGuard {
 public:
  virtual ~RequestGuard() = default;
  // Cheap (no password hashing) for this request? Decides whether the gate runs inline.
  virtual bool IsCheap(const Request& req) const = 0;
  // Authenticates and authorizes; fills req.user/session_id/scenarios. Returns the response to
  // send instead (401/403) or nullopt to proceed. `fail_format` renders a 403 authorization
  // failure in the endpoint's own error format.
  virtual std::optional<Response> Admit(Request& req, const GuardTarget& target,
                                        const std::function<Response(const core::Error&)>& fail_format) = 0;
  // Adds session cookie and fetched CSRF token to the endpoint's response.
  virtual void Finish(const Request& req, const GuardTarget& target, Response& res) = 0;
};

struct ODataEndpoint {
  std::string service;  // e.g. "BC_EXT_APPJOB_MANAGEMENT"
  // Serves a request whose path parsed into `path`; req.sap_client/sap_language are set.
  std::function<Response(Request& req, const SapODataPath& path)> handle;
  // Renders an error in the service's format (Gateway error body).
  std::function<Response(const Request& req, const core::Error& error)> render_error;
  bool blocking_reads = false;  // true if even GETs may block (then they run on the pool)
};

struct PrefixEndpoint {
  std::string prefix;  // e.g. "/_causeway/"
  GuardTarget guard;
  std::function<Response(Request& req)> handle;
  bool blocking = false;
};

class Router final : public Handler {
 public:
  explicit Router(RequestGuard* guard, std::string default_client = "100") : guard_(guard),
      default_client_(std::move(default_client)) {}

  void AddOData(ODataEndpoint endpoint);
  void AddPrefix(PrefixEndpoint endpoint);

  bool RunsInline(const Request& req) const override;
  bool AdmitsInline(const Request& req) const override;
  std::optional<Response> Admit(Request& req) override;
  Response Handle(Request& req) override;

 private:
  // The endpoint a request addresses (at most one of odata / prefix).
  struct Route {
    std::optional<SapODataPath> path;
    const ODataEndpoint* odata = nullptr;
    const PrefixEndpoint* prefix = nullptr;
  };
  Route Find(const Request& req) const;
  std::optional<Response> AdmitRoute(Request& req, const Route& route);
  const ODataEndpoint* FindOData(std::string_view service) const;
  const PrefixEndpoint* FindPrefix(std::string_view path) const;
  void ApplySapHeaders(Request& req) const;

  RequestGuard* guard_;
  std::string default_client_;
  std::vector<ODataEndpoint> odata_;
  bool any_blocking_reads_ = false;
  std::vector<PrefixEndpoint> prefixes_;
};

}  // namespace causeway::http
