// Maps a request to the endpoint that serves it (endpoint.h) and runs the security gate in
// front of it. OData services match by service name (any namespace segment, any version form;
// see sap_path.h), everything else by path prefix (the longest wins; compared
// case-insensitively, as ICF resolves paths).
//
// For every request: route → (404 if nothing matches) → gate (authenticate, CSRF, the user's
// arrangements for the endpoint's service) → 405 if the endpoint does not serve the method →
// handler → gate decorations (session cookie, fetched token). What the house answers itself
// comes out in the addressed endpoint's protocol through its ErrorRenderer.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "http/endpoint.h"
#include "http/server.h"

namespace causeway::http {

class Router final : public Handler {
 public:
  // `clients`: the system's clients (empty: the default client only). A client the
  // sap-usercontext cookie names counts only if it is one of them.
  explicit Router(RequestGuard* guard, std::string default_client = "100", std::vector<std::string> clients = {})
      : guard_(guard), default_client_(std::move(default_client)), clients_(std::move(clients)) {}

  void Add(Endpoint endpoint);

  bool RunsInline(const Request& req) const override;
  bool AdmitsInline(const Request& req) const override;
  std::optional<Response> Admit(Request& req) override;
  Response Handle(Request& req) override;
  std::optional<Response> Refusal(const Request& head, int status, std::string_view text) override;

 private:
  // The endpoint a request addresses, with what it matched (looked up once per request).
  using Route = Request::Routed;
  const Route& Find(const Request& req) const;
  std::optional<Response> AdmitRoute(Request& req, const Route& route);
  void ApplySapHeaders(Request& req) const;

  RequestGuard* guard_;
  std::string default_client_;
  std::vector<std::string> clients_;
  std::vector<Endpoint> odata_;     // kSapOData, the "*" one last
  std::vector<Endpoint> prefixes_;  // kPrefix, longest first
};

}  // namespace causeway::http
