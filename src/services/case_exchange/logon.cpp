#include "services/case_exchange/logon.h"

#include <boost/json.hpp>

#include "core/crypto.h"
#include "core/utf8.h"
#include "http/cookies.h"
#include "security/password_hash.h"
#include "services/case_exchange/query_params.h"

namespace causeway::services::case_exchange {
namespace {

constexpr size_t kMaxCached = 10000;

http::Response Unauthorized() {
  http::Response r;
  r.status = 401;
  return r;
}

core::Error AuthError(const char* number, std::string text) {
  return core::MakeError(core::Code::kUnauthorized, "CAUSEWAY/CX", number, std::move(text));
}

http::Response TokenAnswer(const std::string& token) {
  http::Response r(200, "text/plain; charset=utf-8", token);
  r.headers.Add("set-cookie", "LWSSO_COOKIE_KEY=" + token + "; Path=/; HttpOnly");
  return r;
}

}  // namespace

std::string Logon::TenantOf(const http::Request& req, const std::optional<std::string>& query_tenant) const {
  if (query_tenant && !query_tenant->empty()) return *query_tenant;
  if (auto c = http::FindCookie(req.headers.GetAll("cookie"), "TENANTID"); c && !c->empty()) return *c;
  if (!options_.default_tenant.empty()) return options_.default_tenant;
  auto dir = desk_.directory();
  if (dir->tenants.size() == 1) return dir->tenants.begin()->first;
  return {};
}

std::optional<std::string> Logon::Check(std::string_view tenant_id, std::string_view login, std::string_view password) {
  if (login.empty() || password.empty() || login.size() > 256 || password.size() > 1024) return std::nullopt;
  auto dir = desk_.directory();
  const changes::Tenant* tenant = dir->FindTenant(tenant_id);
  const changes::Person* p = tenant ? tenant->FindPersonByLogin(login) : nullptr;
  if (!p || p->password_hash.empty()) {
    security::VerifyAgainstDecoy(password);  // as late as a wrong password: the timing names no login
    return std::nullopt;
  }
  std::string digest = core::Sha256Hex(std::string(tenant_id) + '\0' + p->id + '\0' + std::string(password));
  {
    std::lock_guard lock(mu_);
    auto it = verified_.find(digest);
    if (it != verified_.end() && it->second == p->password_hash)
      return tokens_.Issue(tenant->id, p->id, p->login, p->password_hash);
  }
  password_checks_.fetch_add(1);
  if (!security::VerifyPassword(password, p->password_hash)) return std::nullopt;
  {
    std::lock_guard lock(mu_);
    if (verified_.size() >= kMaxCached) verified_.clear();
    verified_[digest] = p->password_hash;
  }
  return tokens_.Issue(tenant->id, p->id, p->login, p->password_hash);
}

http::Response Logon::Handle(const http::Request& req, std::string_view rest) {
  auto query = QueryParams::Parse(req.Query(), kQueryMessages);
  if (!query.ok()) return Unauthorized();
  // HEAD as GET (RFC 9110 §9.3.2): the server sends the head only, the cookie with the token.
  if (rest == "login" && (req.method == "GET" || req.method == "HEAD" || req.method == "POST")) {
    auto token = Check(TenantOf(req, query->Get("TENANTID")), query->GetOr("login", ""), query->GetOr("password", ""));
    return token ? TokenAnswer(*token) : Unauthorized();
  }
  if (rest == "token" && req.method == "POST") {
    boost::json::error_code ec;
    boost::json::value body = boost::json::parse(core::WithoutUtf8Bom(req.body), ec);
    if (ec || !body.is_object()) {
      http::Response r;
      r.status = 400;
      return r;
    }
    auto str = [&](const char* key) {
      const boost::json::value* v = body.as_object().if_contains(key);
      return v && v->is_string() ? std::string(v->as_string()) : std::string();
    };
    auto token = Check(TenantOf(req, query->Get("TENANTID")), str("Login"), str("Password"));
    return token ? TokenAnswer(*token) : Unauthorized();
  }
  if (rest == "login" || rest == "token") {
    http::Response r;
    r.status = 405;
    r.headers.Add("allow", rest == "login" ? "GET, HEAD, POST" : "POST");
    return r;
  }
  http::Response r;
  r.status = 404;
  return r;
}

core::Result<changes::Caller> Logon::Authenticate(const http::Request& req, std::string_view tenant_id) const {
  const auto cookies = req.headers.GetAll("cookie");
  std::optional<std::string> token = http::FindCookie(cookies, "LWSSO_COOKIE_KEY");
  if (!token || token->empty()) token = http::FindCookie(cookies, "SMAX_AUTH_TOKEN");
  if (!token || token->empty()) return AuthError("131", "Authentication required: send the token as the LWSSO_COOKIE_KEY or SMAX_AUTH_TOKEN cookie");
  auto claims = tokens_.Verify(*token);
  if (!claims) return AuthError("132", "The token is invalid or expired; log on again");
  if (claims->tenant != tenant_id) return AuthError("133", "The token was issued for another tenant");
  auto dir = desk_.directory();
  const changes::Tenant* tenant = dir->FindTenant(tenant_id);
  const changes::Person* p = tenant ? tenant->FindPerson(claims->person_id) : nullptr;
  if (!p || p->login != claims->login || TokenCodec::Fingerprint(p->password_hash) != claims->password_fingerprint)
    return AuthError("132", "The token is invalid or expired; log on again");
  return changes::Caller{std::string(tenant_id), p->id, p->login};
}

}  // namespace causeway::services::case_exchange
