#include "http/router.h"

#include <algorithm>

#include "core/ascii.h"

namespace causeway::http {
namespace {

bool IsSafeMethod(std::string_view m) { return m == "GET" || m == "HEAD"; }

Response NotFound() {
  Response r(404, "text/plain; charset=utf-8", "Not found");
  r.label = "-";
  return r;
}

}  // namespace

void Router::AddOData(ODataEndpoint endpoint) {
  any_blocking_reads_ = any_blocking_reads_ || endpoint.blocking_reads;
  odata_.push_back(std::move(endpoint));
}

void Router::AddPrefix(PrefixEndpoint endpoint) {
  prefixes_.push_back(std::move(endpoint));
  // Longest prefix first, so that the first match is the most specific.
  std::sort(prefixes_.begin(), prefixes_.end(),
            [](const auto& a, const auto& b) { return a.prefix.size() > b.prefix.size(); });
}

const ODataEndpoint* Router::FindOData(std::string_view service) const {
  for (const auto& e : odata_)
    if (core::IEquals(e.service, service)) return &e;
  return nullptr;
}

const PrefixEndpoint* Router::FindPrefix(std::string_view path) const {
  for (const auto& e : prefixes_)
    if (path.substr(0, e.prefix.size()) == e.prefix) return &e;
  return nullptr;
}

bool Router::RunsInline(const Request& req) const {
  if (guard_ && !guard_->IsCheap(req)) return false;
  std::string_view path = req.Path();
  if (core::IStartsWith(path, "/sap/opu/odata/")) {
    // No full parse here (Handle() does it): only a service with blocking reads needs one.
    if (!IsSafeMethod(req.method)) return false;
    if (!any_blocking_reads_) return true;
    auto p = ParseSapODataPath(req.target);
    const ODataEndpoint* e = p ? FindOData(p->service) : nullptr;
    return !e || !e->blocking_reads;
  }
  const PrefixEndpoint* e = FindPrefix(path);
  return !e || !e->blocking;
}

void Router::ApplySapHeaders(Request& req) const {
  // ICF order: header before URL parameter for the client; the language likewise.
  if (auto h = req.headers.Get("sap-client"); h && !h->empty()) req.sap_client = std::string(*h);
  if (req.sap_client.empty()) req.sap_client = default_client_;
  if (auto h = req.headers.Get("sap-language"); h && !h->empty()) req.sap_language = core::ToUpper(*h);
  if (req.sap_language.empty()) {
    if (auto al = req.headers.Get("accept-language"); al && al->size() >= 2) req.sap_language = core::ToUpper(al->substr(0, 2));
  }
  if (req.sap_language.empty()) req.sap_language = "EN";
}

bool Router::AdmitsInline(const Request& req) const { return !guard_ || guard_->IsCheap(req); }

Router::Route Router::Find(const Request& req) const {
  Route r;
  if ((r.path = ParseSapODataPath(req.target))) {
    r.odata = FindOData(r.path->service);
  } else {
    r.prefix = FindPrefix(req.Path());
  }
  return r;
}

std::optional<Response> Router::AdmitRoute(Request& req, const Route& route) {
  std::optional<Response> denied;
  if (route.odata) {
    const ODataEndpoint& e = *route.odata;
    req.sap_client = route.path->sap_client;
    req.sap_language = core::ToUpper(route.path->sap_language);
    ApplySapHeaders(req);
    if (guard_) {
      denied = guard_->Admit(req, GuardTarget{e.service, true, true},
                             [&](const core::Error& err) { return e.render_error(req, err); });
      if (denied) denied->label = e.service;
    }
  } else if (route.prefix) {
    const PrefixEndpoint& e = *route.prefix;
    ApplySapHeaders(req);
    if (guard_ && e.guard.authenticate) {
      denied = guard_->Admit(req, e.guard, [](const core::Error& err) {
        return Response(err.HttpStatus(), "text/plain; charset=utf-8", err.text);
      });
      if (denied) denied->label = e.guard.service;
    }
  }
  req.admitted = !denied;
  return denied;
}

std::optional<Response> Router::Admit(Request& req) { return AdmitRoute(req, Find(req)); }

Response Router::Handle(Request& req) {
  Route route = Find(req);
  if (!route.odata && !route.prefix) {
    // Gateway answers an unknown service with 404 and its own message; a plain body is
    // fine here because no service format applies.
    return NotFound();
  }
  if (!req.admitted) {
    if (auto denied = AdmitRoute(req, route)) return std::move(*denied);
  }
  if (route.odata) {
    Response res = route.odata->handle(req, *route.path);
    res.label = route.odata->service;
    if (guard_) guard_->Finish(req, GuardTarget{route.odata->service, true, true}, res);
    return res;
  }
  const PrefixEndpoint& e = *route.prefix;
  Response res = e.handle(req);
  res.label = e.guard.service;
  if (guard_ && e.guard.authenticate) guard_->Finish(req, e.guard, res);
  return res;
}

}  // namespace causeway::http
