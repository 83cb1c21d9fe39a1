#include "http/router.h"

#include <algorithm>

#include "core/ascii.h"
#include "core/url.h"
#include "http/cookies.h"

namespace causeway::http {
namespace {

Response NotFound() {
  Response r(404, "text/plain; charset=utf-8", "Not found");
  r.label = "-";
  return r;
}

std::string AllowHeader(const std::vector<std::string>& methods) {
  std::string allow;
  for (const auto& m : methods) allow += (allow.empty() ? "" : ", ") + m;
  return allow;
}

}  // namespace

void Router::Add(Endpoint endpoint) {
  if (endpoint.kind == Endpoint::Kind::kSapOData) {
    odata_.push_back(std::move(endpoint));
    // The catch-all answers only what no named service does.
    std::stable_partition(odata_.begin(), odata_.end(), [](const Endpoint& e) { return e.key != "*"; });
  } else {
    prefixes_.push_back(std::move(endpoint));
    std::stable_sort(prefixes_.begin(), prefixes_.end(),
                     [](const Endpoint& a, const Endpoint& b) { return a.key.size() > b.key.size(); });
  }
}

const Router::Route& Router::Find(const Request& req) const {
  if (req.routed && req.routed->target == req.target) return *req.routed;
  Route& r = req.routed.emplace();
  r.target = req.target;
  if ((r.path = ParseSapODataPath(req.target))) {
    for (const auto& e : odata_) {
      if (e.key == "*" || core::IEquals(e.key, r.path->service)) {
        r.endpoint = &e;
        break;
      }
    }
    return r;
  }
  // ICF resolves paths case-insensitively (…/ManageTaskActivityIn reaches the same service).
  std::string_view path = req.Path();
  for (const auto& e : prefixes_) {
    if (core::IStartsWith(path, e.key)) {
      r.endpoint = &e;
      break;
    }
  }
  return r;
}

bool Router::RunsInline(const Request& req) const {
  // The method and endpoint first: a request that goes to the pool anyway needs no credential
  // check here (that hashed every POST's Authorization header once more on the I/O thread).
  const Route& route = Find(req);
  if (route.endpoint && route.endpoint->MayBlock(req)) return false;
  return !guard_ || guard_->IsCheap(req);
}

bool Router::AdmitsInline(const Request& req) const { return !guard_ || guard_->IsCheap(req); }

namespace {

// The first language of an Accept-Language list that names one ("*" and malformed ranges are
// skipped): "*;q=0.1, fr-CH" is FR, not "*;".
std::string FirstAcceptedLanguage(std::string_view list) {
  while (!list.empty()) {
    size_t comma = list.find(',');
    std::string_view range = core::Trim(list.substr(0, comma));
    list = comma == std::string_view::npos ? std::string_view() : list.substr(comma + 1);
    auto letter = [](char c) { return core::AsciiLower(c) >= 'a' && core::AsciiLower(c) <= 'z'; };
    if (range.size() >= 2 && letter(range[0]) && letter(range[1]) && (range.size() == 2 || !letter(range[2])))
      return core::ToUpper(range.substr(0, 2));
  }
  return {};
}

// A field of the sap-usercontext cookie ICF sets at logon ("sap-language=EN&sap-client=200").
std::string UserContextField(std::string_view context, std::string_view name) {
  while (!context.empty()) {
    size_t amp = context.find('&');
    std::string_view item = context.substr(0, amp);
    context = amp == std::string_view::npos ? std::string_view() : context.substr(amp + 1);
    size_t eq = item.find('=');
    if (eq != std::string_view::npos && core::IEquals(core::Trim(item.substr(0, eq)), name))
      return std::string(core::Trim(item.substr(eq + 1)));
  }
  return {};
}

}  // namespace

void Router::ApplySapHeaders(Request& req) const {
  // ICF's order for the client: the sap-client header, the URL parameter (already in
  // req.sap_client), the sap-usercontext cookie set at logon (so that a client that named its
  // client once stays in it), the default client. The language likewise, then Accept-Language.
  // The cookie counts only for a client this system has: browsers send a host's cookies to
  // every port, also another system's.
  if (auto h = req.headers.Get("sap-client"); h && !h->empty()) req.sap_client = std::string(*h);
  if (auto h = req.headers.Get("sap-language"); h && !h->empty()) req.sap_language = core::ToUpper(*h);
  if (req.sap_client.empty() || req.sap_language.empty()) {
    std::optional<std::string> context = FindCookie(req.headers.GetAll("cookie"), "sap-usercontext");
    // Some clients store it percent-encoded ("sap-client%3D200").
    if (std::string decoded; context && core::PercentDecode(*context, /*plus_is_space=*/false, &decoded))
      context = std::move(decoded);
    if (context) {
      if (req.sap_client.empty()) {
        std::string client = UserContextField(*context, "sap-client");
        if (clients_.empty() ? client == default_client_
                             : std::find(clients_.begin(), clients_.end(), client) != clients_.end())
          req.sap_client = std::move(client);
      }
      if (req.sap_language.empty()) req.sap_language = core::ToUpper(UserContextField(*context, "sap-language"));
    }
  }
  if (req.sap_client.empty()) req.sap_client = default_client_;
  if (req.sap_language.empty()) {
    if (auto al = req.headers.Get("accept-language")) req.sap_language = FirstAcceptedLanguage(*al);
  }
  if (req.sap_language.empty()) req.sap_language = "EN";
}

std::optional<Response> Router::AdmitRoute(Request& req, const Route& route) {
  const Endpoint& e = *route.endpoint;
  if (route.path) {
    req.sap_client = route.path->sap_client;
    req.sap_language = core::ToUpper(route.path->sap_language);
  } else {
    SapUrlOptions options = SapUrlOptionsOf(req.target);
    req.sap_client = std::move(options.sap_client);
    req.sap_language = core::ToUpper(options.sap_language);
  }
  ApplySapHeaders(req);
  std::optional<Response> denied;
  if (guard_ && e.guard.authenticate) {
    denied = guard_->Admit(req, e.guard, e.render);
    if (denied) denied->label = e.Label();
  }
  req.admitted = !denied;
  return denied;
}

std::optional<Response> Router::Admit(Request& req) {
  const Route& route = Find(req);
  if (!route.endpoint) return std::nullopt;  // Handle() answers 404
  std::optional<Response> denied = AdmitRoute(req, route);
  if (denied && denied->status != 401) {
    // Only a sender that is not logged on is refused before its body is read. Refusals of a
    // logged-on user (CSRF, arrangement) come from Handle(), with the body there: a protocol may
    // render them from it (a SOAP fault names the operation the body calls).
    req.admitted = false;
    req.user.clear();
    req.session_id.clear();
    req.scenarios.clear();
    req.gate_response_headers.clear();
    return std::nullopt;
  }
  return denied;
}

std::optional<Response> Router::Refusal(const Request& head, int status, std::string_view text) {
  const Route& route = Find(head);
  if (!route.endpoint || !route.endpoint->render.error) return std::nullopt;
  core::Code code = core::Code::kBadRequest;  // the server keeps `status` whatever the code says
  if (status == 413)
    code = core::Code::kPayloadTooLarge;
  else if (status == 503)
    code = core::Code::kUnavailable;
  Response res = route.endpoint->render.Error(
      head, core::MakeError(code, "CAUSEWAY/HTTP", std::to_string(status), std::string(text)));
  res.label = route.endpoint->Label();
  return res;
}

Response Router::Handle(Request& req) {
  const Route& route = Find(req);
  if (!route.endpoint) return NotFound();
  const Endpoint& e = *route.endpoint;
  if (!req.admitted) {
    if (auto denied = AdmitRoute(req, route)) return std::move(*denied);
  }
  Response res;
  if (!e.Allows(req.method)) {
    res = e.render.Error(req, core::MakeError(core::Code::kMethodNotAllowed, "CAUSEWAY/HTTP", "405",
                                              "Method &1 is not allowed here", {req.method}));
    res.headers.Set("allow", AllowHeader(e.methods));
  } else {
    std::string_view rest;
    if (!route.path) rest = req.Path().substr(e.key.size());
    res = e.handle(req, RouteMatch{route.path ? &*route.path : nullptr, rest});
    if (res.to_workers) return res;  // runs again on a worker: the gate finishes that answer
  }
  res.label = e.Label();
  if (guard_ && e.guard.authenticate) {
    guard_->Finish(req, e.guard, res);
    if (res.after) {
      // A commit that fails replaces the answer; that one gets the gate's headers too.
      // (The server calls on_failure while `req` still lives.)
      res.on_failure = [this, &e, &req, fail = std::move(res.on_failure)](const core::Error& err) {
        Response r = fail ? fail(err) : e.render.Error(req, err);
        r.label = e.Label();
        guard_->Finish(req, e.guard, r);
        return r;
      };
    }
  }
  return res;
}

}  // namespace causeway::http
