#include "security/gateway_guard.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <atomic>

#include "core/ascii.h"
#include "core/crypto.h"
#include "http/authority.h"
#include "http/cookies.h"

namespace causeway::security {
namespace {

constexpr std::string_view kCsrfFailed = "CSRF token validation failed";

// A request a browser made on behalf of a page of another site: browsers say so (Sec-Fetch-Site,
// Origin); scripts and programs send neither header, or their own host.
bool IsCrossSite(const http::Request& req) {
  if (auto site = req.headers.Get("sec-fetch-site"); site && core::IEquals(core::Trim(*site), "cross-site"))
    return true;
  auto origin = req.headers.Get("origin");
  if (!origin) return false;
  const std::string_view o = core::Trim(*origin);
  if (core::IEquals(o, "null")) return true;  // a sandboxed page or a file
  auto host = req.headers.Get("host");
  // Hosts, not ports: a proxy may change the port, a page of another site cannot change the host.
  return !host || http::HostNameOf(o) != http::HostNameOf(core::Trim(*host));
}

struct BasicCredentials {
  std::string user;
  std::string password;
};

std::optional<BasicCredentials> ParseBasic(std::string_view header) {
  header = core::Trim(header);
  if (!core::IStartsWith(header, "basic ")) return std::nullopt;
  std::string decoded;
  if (!core::Base64Decode(core::Trim(header.substr(6)), &decoded)) return std::nullopt;
  size_t colon = decoded.find(':');
  if (colon == std::string::npos) return std::nullopt;
  return BasicCredentials{decoded.substr(0, colon), decoded.substr(colon + 1)};
}

std::atomic<uint64_t> guard_instances{0};

}  // namespace

GatewayGuard::GatewayGuard(UserDirectory& users, const SessionCodec& sessions, const core::Clock& clock,
                           GuardOptions options)
    : users_(users), sessions_(sessions), clock_(clock), options_(std::move(options)), instance_(++guard_instances) {}

// Clients that keep no cookies (curl without a jar, load tools, many connectors) log on with
// every request, and Gateway answers every logon with a session cookie. Making one costs a
// random id, an HMAC and two encodings: a fifth of the work of a small GET. Plain reads of one
// user and client on one I/O thread within the same second therefore share one session. Each of
// those requests proved the password itself, and the cookie names nothing but that user and
// client. Token fetches and modifying requests still get sessions of their own.
const GatewayGuard::IssuedSession& GatewayGuard::SharedReadSession(const std::string& user,
                                                                   const std::string& client) const {
  struct Memo {
    uint64_t instance = 0;
    int64_t second = -1;
    IssuedSession issued;
  };
  thread_local Memo memo;
  const int64_t now = sessions_.NowSeconds();
  if (memo.instance != instance_ || memo.second != now || memo.issued.session.user != user ||
      memo.issued.session.client != client) {
    memo.issued.session = sessions_.NewSession(user, client);
    memo.issued.set_cookie = SessionSetCookie(memo.issued.session);
    memo.instance = instance_;
    memo.second = now;
  }
  return memo.issued;
}

bool GatewayGuard::IsModifying(std::string_view m) {
  return m == "POST" || m == "PUT" || m == "PATCH" || m == "MERGE" || m == "DELETE";
}

std::string GatewayGuard::SessionCookieName(std::string_view client) const {
  return "SAP_SESSIONID_" + options_.system_id + "_" + std::string(client);
}

std::string GatewayGuard::SessionSetCookie(const Session& s) const {
  return SessionCookieName(s.client) + "=" + sessions_.Encode(s) + "; path=/; HttpOnly";
}

namespace {

// The cache key of an Authorization header. RunsInline() and Admit() ask for the same header
// on the same thread one after the other; the memo saves the second hash.
const std::string& CredentialKey(std::string_view authorization) {
  thread_local std::string last_header;
  thread_local std::string last_key;
  if (last_key.empty() || last_header != authorization) {
    last_header.assign(authorization);
    last_key = core::Sha256Hex(authorization);
  }
  return last_key;
}

}  // namespace

std::optional<std::string> GatewayGuard::CachedBasicUser(std::string_view authorization, uint64_t* version) const {
  const std::string& key = CredentialKey(authorization);
  std::lock_guard lock(cache_mu_);
  auto it = cache_.find(key);
  if (it == cache_.end() || it->second.expires < clock_.Now()) return std::nullopt;
  *version = it->second.version;
  return it->second.user;
}

void GatewayGuard::CacheBasicUser(std::string_view authorization, const std::string& user, uint64_t version) {
  std::string key = CredentialKey(authorization);
  std::lock_guard lock(cache_mu_);
  if (auto it = cache_.find(key); it != cache_.end()) {
    lru_.erase(it->second.lru);
    cache_.erase(it);
  }
  while (cache_.size() >= options_.credential_cache_size && !lru_.empty()) {
    cache_.erase(lru_.back());
    lru_.pop_back();
  }
  lru_.push_front(key);
  cache_[key] = CacheEntry{user, version, clock_.Now() + options_.credential_cache_ttl, lru_.begin()};
}

// Requests that present the same Authorization header at the same time share one slow hash: a
// scheduler that opens 64 connections after a restart would otherwise run 64 hashes at once and
// stall every request behind them. Only a success is shared (same header, same password);
// after a failure each request checks for itself, so every failed logon still counts towards
// the lockout.
UserDirectory::LogonResult GatewayGuard::CheckPasswordOnce(std::string key, std::string_view user,
                                                           std::string_view password) {
  std::shared_ptr<Flight> flight;
  bool leader = false;
  {
    std::lock_guard lock(flights_mu_);
    auto& slot = flights_[key];
    if (!slot) {
      slot = std::make_shared<Flight>();
      leader = true;
    }
    flight = slot;
  }
  if (!leader) {
    std::unique_lock lock(flight->mu);
    flight->done_cv.wait(lock, [&] { return flight->done; });
    if (flight->ok) return UserDirectory::LogonResult::kOk;
    lock.unlock();
    return users_.CheckPassword(user, password);
  }
  // Whatever happens (an exception included), the waiting requests are released.
  struct Land {
    GatewayGuard* guard;
    const std::string& key;
    Flight& flight;
    bool ok = false;
    ~Land() {
      {
        std::lock_guard lock(flight.mu);
        flight.done = true;
        flight.ok = ok;
      }
      flight.done_cv.notify_all();
      std::lock_guard lock(guard->flights_mu_);
      guard->flights_.erase(key);
    }
  } land{this, key, *flight};
  UserDirectory::LogonResult result = users_.CheckPassword(user, password);
  land.ok = result == UserDirectory::LogonResult::kOk;
  return result;
}

void GatewayGuard::ClearCredentialCache() {
  std::lock_guard lock(cache_mu_);
  cache_.clear();
  lru_.clear();
}

bool GatewayGuard::IsCheap(const http::Request& req) const {
  auto auth = req.headers.Get("authorization");
  if (!auth) return true;
  uint64_t version;
  auto user = CachedBasicUser(*auth, &version);
  return user && users_.IsCurrent(*user, version);
}

bool GatewayGuard::ClientAvailable(std::string_view client) const {
  if (options_.clients.empty()) return client == options_.default_client;
  return std::find(options_.clients.begin(), options_.clients.end(), client) != options_.clients.end();
}

http::Response GatewayGuard::Unauthorized(const http::Request& req, const http::ErrorRenderer& render) const {
  // The client goes into the realm and a cookie: only one of this system's, never what was sent.
  std::string client = ClientAvailable(req.sap_client) ? req.sap_client : options_.default_client;
  http::Response r(401, "text/html; charset=utf-8",
                   "<html><head><title>Logon Error Message</title></head><body><h1>Logon failed</h1>"
                   "<p>You could not be logged on. Check your user name and password and try again.</p>"
                   "</body></html>");
  r.headers.Add("www-authenticate",
                "Basic realm=\"SAP NetWeaver Application Server [" + options_.system_id + "/" + client + "]\"");
  r.headers.Add("set-cookie", "sap-usercontext=sap-client=" + client + "; path=/");
  r.headers.Add("sap-system", options_.system_id);
  render.Challenge(req, r);
  return r;
}

std::optional<http::Response> GatewayGuard::Admit(http::Request& req, const http::GuardTarget& target,
                                                  const http::ErrorRenderer& render) {
  // A client this system does not have: the logon fails (and what was sent never reaches a
  // cookie name or the realm, where `sap-client=100;Domain=…` would add cookie attributes).
  if (!ClientAvailable(req.sap_client)) return Unauthorized(req, render);
  const std::string cookie_name = SessionCookieName(req.sap_client);
  std::optional<Session> session;
  if (auto value = http::FindCookie(req.headers.GetAll("cookie"), cookie_name)) session = sessions_.Decode(*value);

  // 1. Who is it? A verified client certificate, else Basic, else the session cookie alone.
  std::string user;
  std::optional<UserView> view;
  // A logon proved without the slow hash (certificate, cached Basic) must still end a run of
  // failed logons, as CheckPassword's own success does.
  bool proved_without_hash = false;
  if (!req.client_cert_subject.empty() || !req.client_cert_fingerprint.empty()) {
    if (auto u = users_.UserForCertificate(req.client_cert_subject, req.client_cert_fingerprint)) {
      user = *u;
      proved_without_hash = true;
    }
  }
  if (user.empty()) {
    if (auto auth = req.headers.Get("authorization")) {
      uint64_t version = 0;
      auto cached = CachedBasicUser(*auth, &version);
      view = cached ? users_.Find(*cached) : std::nullopt;
      if (view && view->password_version == version && !view->locked) {
        user = view->name;
        proved_without_hash = true;
      } else {
        view.reset();
        auto creds = ParseBasic(*auth);
        if (!creds) return Unauthorized(req, render);
        switch (CheckPasswordOnce(CredentialKey(*auth), creds->user, creds->password)) {
          case UserDirectory::LogonResult::kOk: {
            auto v = users_.Find(creds->user);
            user = v->name;
            CacheBasicUser(*auth, user, v->password_version);
            break;
          }
          case UserDirectory::LogonResult::kLocked:
            spdlog::info("logon refused: user {} is locked", core::ToUpper(creds->user));
            return Unauthorized(req, render);
          case UserDirectory::LogonResult::kWrongPassword:
            spdlog::info("logon failed for user {}", core::ToUpper(creds->user));
            return Unauthorized(req, render);
          case UserDirectory::LogonResult::kUnknownUser:
            return Unauthorized(req, render);
        }
      }
    } else if (session) {
      user = session->user;
    }
  }
  if (user.empty()) return Unauthorized(req, render);
  if (!view) view = users_.Find(user);
  if (!view || view->locked) return Unauthorized(req, render);
  if (proved_without_hash && view->failed_logons > 0) users_.NoteSuccessfulLogon(view->name);

  // 2. Session: keep the cookie's session when it belongs to this user and client.
  const bool read = req.method == "GET" || req.method == "HEAD";
  const auto csrf_header = req.headers.Get("x-csrf-token");
  bool fresh = false;
  const IssuedSession* shared = nullptr;  // a plain read's shared session, cookie included
  if (!session || !core::IEquals(session->user, user) || session->client != req.sap_client) {
    fresh = true;
    if (read && !csrf_header) shared = &SharedReadSession(view->name, req.sap_client);
    else session = sessions_.NewSession(view->name, req.sap_client);
  }
  const Session& current = shared ? shared->session : *session;
  // The session's idle time starts again (a new session's cookie already says "now").
  if (!fresh) sessions_.NoteUse(current);
  req.user = view->name;
  req.session_id = current.id;
  req.scenarios = view->scenarios;

  // 3. CSRF for modifying requests (also $batch and POST function imports).
  if (target.csrf && IsModifying(req.method)) {
    if (fresh || !csrf_header || !sessions_.CsrfValid(current, core::Trim(*csrf_header))) {
      http::Response r(403, "text/plain; charset=utf-8", std::string(kCsrfFailed));
      r.headers.Add("x-csrf-token", "Required");
      return r;
    }
  }

  // 3b. Endpoints without CSRF tokens (SOAP, the control plane) serve programs, yet a browser
  // would add this site's session cookie, or Basic credentials it has cached, to a request a
  // page of another site makes (a form POST needs no preflight). Such requests are refused.
  if (!target.csrf && IsModifying(req.method) && IsCrossSite(req)) {
    return render.Error(req, core::MakeError(core::Code::kForbidden, "CAUSEWAY/HTTP", "403",
                                             "A modifying request from another site (Origin &1) is refused",
                                             {std::string(req.headers.Get("origin").value_or("?"))}));
  }

  // 4. Authorization by arrangement.
  if (target.authorize && !users_.MayCall(view->name, target.service)) {
    core::Error e = core::MakeError(core::Code::kForbidden, "/IWFND/CM_CONSUMER", "101",
                                    "User &1 has no authorization to call service &2", {view->name, target.service});
    return render.Error(req, e);
  }

  // What the response will carry, decided now so that Finish() needs no second decode.
  if (fresh || sessions_.NeedsRefresh(current)) {
    std::string cookie = shared ? shared->set_cookie : SessionSetCookie(sessions_.Touch(current));
    if (req.tls) cookie += "; secure";
    req.gate_response_headers.emplace_back("set-cookie", std::move(cookie));
    if (fresh) req.gate_response_headers.emplace_back("set-cookie", "sap-usercontext=sap-client=" + current.client + "; path=/");
  }
  if (target.csrf && read) {
    if (csrf_header && core::IEquals(core::Trim(*csrf_header), "fetch")) {
      req.gate_response_headers.emplace_back("x-csrf-token", sessions_.CsrfToken(current));
      req.gate_response_headers.emplace_back("cache-control", "no-store, no-cache");
    }
  }
  return std::nullopt;
}

void GatewayGuard::Finish(const http::Request& req, const http::GuardTarget&, http::Response& res) {
  for (const auto& [name, value] : req.gate_response_headers) {
    if (name == "set-cookie") res.headers.Add(name, value);
    else res.headers.Set(name, value);
  }
}

}  // namespace causeway::security
