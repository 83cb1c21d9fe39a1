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

Response Router::Handle(Request& req) {
  if (auto path = ParseSapODataPath(req.target)) {
    const ODataEndpoint* e = FindOData(path->service);
    if (!e) {
      // Gateway answers an unknown service with 404 and its own message; a plain body is
      // fine here because no service format applies.
      return NotFound();
    }
    req.sap_client = path->sap_client;
    req.sap_language = core::ToUpper(path->sap_language);
    ApplySapHeaders(req);
    GuardTarget target{e->service, true, true};
    auto fail = [&](const core::Error& err) { return e->render_error(req, err); };
    if (guard_) {
      if (auto denied = guard_->Admit(req, target, fail)) {
        denied->label = e->service;
        return std::move(*denied);
      }
    }
    Response res = e->handle(req, *path);
    res.label = e->service;
    if (guard_) guard_->Finish(req, target, res);
    return res;
  }
  const PrefixEndpoint* e = FindPrefix(req.Path());
  if (!e) return NotFound();
  ApplySapHeaders(req);
  auto fail = [](const core::Error& err) {
    return Response(err.HttpStatus(), "text/plain; charset=utf-8", err.text);
  };
  if (guard_ && e->guard.authenticate) {
    if (auto denied = guard_->Admit(req, e->guard, fail)) {
      denied->label = e->guard.service;
      return std::move(*denied);
    }
  }
  Response res = e->handle(req);
  res.label = e->guard.service;
  if (guard_ && e->guard.authenticate) guard_->Finish(req, e->guard, res);
  return res;
}

}  // namespace causeway::http
