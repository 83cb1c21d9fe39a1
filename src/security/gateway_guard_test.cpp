#include "security/gateway_guard.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <latch>
#include <thread>

#include "core/crypto.h"
#include "security/password_hash.h"
#include "store/sqlite/sqlite_database.h"

namespace causeway::security {
namespace {

constexpr char kService[] = "BC_EXT_APPJOB_MANAGEMENT";

ScenarioCatalog TestCatalog() { return {{"SAP_COM_0064", {kService}}}; }

std::string Basic(std::string_view user, std::string_view pw) {
  return "Basic " + core::Base64Encode(std::string(user) + ":" + std::string(pw));
}

class GatewayGuardTest : public ::testing::Test {
 protected:
  GatewayGuardTest()
      : clock_(core::FromUnixMillis(1'700'000'000'000)),
        users_({{.name = "job_scheduler", .password_hash = HashPassword("pw", 1000), .scenarios = {"SAP_COM_0064"}},
                {.name = "OTHER", .password_hash = HashPassword("pw", 1000), .scenarios = {}},
                {.name = "CERTUSER", .scenarios = {"SAP_COM_0064"}, .cert_fingerprints = {"ABCDEF"}}},
               TestCatalog(), 3),
        codec_("secret", SessionPolicy{}, clock_),
        guard_(users_, codec_, clock_, {}) {}

  struct Outcome {
    std::optional<http::Response> denied;
    http::Request req;
    http::Response res;
  };
  Outcome Call(std::string method, std::vector<std::pair<std::string, std::string>> headers, bool csrf = true) {
    Outcome o;
    o.req.method = std::move(method);
    o.req.target = "/sap/opu/odata/sap/BC_EXT_APPJOB_MANAGEMENT/";
    o.req.sap_client = "100";
    for (auto& [k, v] : headers) o.req.headers.Add(k, v);
    http::GuardTarget target{kService, true, csrf};
    o.denied = guard_.Admit(o.req, target, {.error = [](const http::Request&, const core::Error& e) {
                              return http::Response(e.HttpStatus(), "application/xml", "<error>" + e.GatewayCode() + "</error>");
                            }});
    if (!o.denied) {
      o.res = http::Response(200, "text/plain", "ok");
      guard_.Finish(o.req, target, o.res);
    }
    return o;
  }
  // The session cookie ("name=value") set on a response.
  static std::string SessionCookie(const http::Response& r) {
    for (auto v : r.headers.GetAll("set-cookie"))
      if (v.rfind("SAP_SESSIONID_CWY_100=", 0) == 0) return std::string(v.substr(0, v.find(';')));
    return "";
  }

  core::ManualClock clock_;
  UserDirectory users_;
  SessionCodec codec_;
  GatewayGuard guard_;
};

TEST_F(GatewayGuardTest, NoCredentialsGivesSapStyle401) {
  auto o = Call("GET", {});
  ASSERT_TRUE(o.denied);
  EXPECT_EQ(o.denied->status, 401);
  EXPECT_EQ(o.denied->headers.Get("www-authenticate"), "Basic realm=\"SAP NetWeaver Application Server [CWY/100]\"");
  EXPECT_EQ(o.denied->headers.Get("set-cookie"), "sap-usercontext=sap-client=100; path=/");
  EXPECT_EQ(o.denied->headers.Get("content-type"), "text/html; charset=utf-8");
}

// The client travels into cookie names and the realm: only this system's clients get there.
TEST_F(GatewayGuardTest, ClientsThisSystemDoesNotHaveFailTheLogonAndNeverReachACookie) {
  for (const char* client : {"100;Domain=evil.example;Max-Age=99999", "1\"2", "200", "", "10"}) {
    Outcome o;
    o.req.method = "GET";
    o.req.sap_client = client;
    o.req.headers.Add("Authorization", Basic("JOB_SCHEDULER", "pw"));
    o.denied = guard_.Admit(o.req, {kService, true, true}, {});
    ASSERT_TRUE(o.denied) << client;
    EXPECT_EQ(o.denied->status, 401) << client;
    EXPECT_EQ(o.denied->headers.Get("www-authenticate"), "Basic realm=\"SAP NetWeaver Application Server [CWY/100]\"");
    EXPECT_EQ(o.denied->headers.Get("set-cookie"), "sap-usercontext=sap-client=100; path=/");
  }
  EXPECT_EQ(users_.Find("JOB_SCHEDULER")->failed_logons, 0) << "a wrong client is not a wrong password";
}

TEST_F(GatewayGuardTest, FetchThenPostWithCookieAndToken) {
  auto fetch = Call("HEAD", {{"Authorization", Basic("JOB_SCHEDULER", "pw")}, {"X-CSRF-Token", "Fetch"}});
  ASSERT_FALSE(fetch.denied);
  auto token = fetch.res.headers.Get("x-csrf-token");
  ASSERT_TRUE(token);
  EXPECT_EQ(token->size(), 24u);
  EXPECT_EQ(fetch.res.headers.Get("cache-control"), "no-store, no-cache");
  std::string cookie = SessionCookie(fetch.res);
  ASSERT_FALSE(cookie.empty());
  EXPECT_NE(fetch.res.headers.GetAll("set-cookie")[0].find("HttpOnly"), std::string_view::npos);

  auto post = Call("POST", {{"Authorization", Basic("JOB_SCHEDULER", "pw")}, {"Cookie", cookie},
                            {"x-csrf-token", std::string(*token)}});
  EXPECT_FALSE(post.denied);
  EXPECT_EQ(post.req.user, "JOB_SCHEDULER");
  // Cookie alone authenticates too.
  auto cookie_only = Call("POST", {{"Cookie", cookie}, {"X-CSRF-Token", std::string(*token)}});
  EXPECT_FALSE(cookie_only.denied);
}

TEST_F(GatewayGuardTest, CookielessReadsInOneSecondShareTheirSession) {
  auto basic = Basic("JOB_SCHEDULER", "pw");
  auto a = Call("GET", {{"Authorization", basic}});
  auto b = Call("GET", {{"Authorization", basic}});
  ASSERT_FALSE(a.denied);
  ASSERT_FALSE(b.denied);
  ASSERT_FALSE(SessionCookie(a.res).empty());
  EXPECT_EQ(SessionCookie(b.res), SessionCookie(a.res));  // every logon still gets its cookie
  EXPECT_EQ(b.req.session_id, a.req.session_id);
  // The shared cookie is a real session: it alone logs the user on.
  auto with_cookie = Call("GET", {{"Cookie", SessionCookie(a.res)}});
  ASSERT_FALSE(with_cookie.denied);
  EXPECT_EQ(with_cookie.req.user, "JOB_SCHEDULER");
  // Another second, another user or a token fetch: a session of its own.
  auto other_user = Call("GET", {{"Authorization", Basic("OTHER", "pw")}});
  EXPECT_NE(other_user.req.session_id, a.req.session_id);
  auto fetch = Call("GET", {{"Authorization", basic}, {"X-CSRF-Token", "Fetch"}});
  EXPECT_NE(fetch.req.session_id, a.req.session_id);
  auto post = Call("POST", {{"Authorization", basic}});
  EXPECT_NE(post.req.session_id, a.req.session_id);
  clock_.Advance(std::chrono::seconds(1));
  auto later = Call("GET", {{"Authorization", basic}});
  EXPECT_NE(later.req.session_id, a.req.session_id);
  EXPECT_NE(SessionCookie(later.res), SessionCookie(a.res));
}

TEST_F(GatewayGuardTest, SessionsAreNotSharedAcrossGuards) {
  SessionCodec other_codec("other secret", SessionPolicy{}, clock_);
  GatewayGuard other(users_, other_codec, clock_, {});
  auto a = Call("GET", {{"Authorization", Basic("JOB_SCHEDULER", "pw")}});
  http::Request req;
  req.method = "GET";
  req.sap_client = "100";
  req.headers.Add("Authorization", Basic("JOB_SCHEDULER", "pw"));
  http::GuardTarget target{kService, true, true};
  ASSERT_FALSE(other.Admit(req, target, {}));
  EXPECT_NE(req.session_id, a.req.session_id);
}

// Many connections presenting the same credentials at once (a scheduler after a restart) share
// one slow hash; failures are still checked and counted one by one.
class GatewayGuardLogonStormTest : public ::testing::Test {
 protected:
  GatewayGuardLogonStormTest()
      : clock_(core::FromUnixMillis(1'700'000'000'000)),
        // A hash slow enough (tens of milliseconds) that simultaneous requests overlap.
        users_({{.name = "JOB_SCHEDULER", .password_hash = HashPassword("pw", 100'000), .scenarios = {"SAP_COM_0064"}}},
               TestCatalog(), 3),
        codec_("secret", SessionPolicy{}, clock_),
        guard_(users_, codec_, clock_, {}) {}

  // Runs `n` Admit calls with `authorization` released together; returns how many were admitted.
  int Storm(int n, const std::string& authorization) {
    std::latch start(n);
    std::atomic<int> admitted{0};
    std::vector<std::thread> threads;
    for (int i = 0; i < n; ++i)
      threads.emplace_back([&] {
        http::Request req;
        req.method = "GET";
        req.sap_client = "100";
        req.headers.Add("Authorization", authorization);
        start.arrive_and_wait();
        if (!guard_.Admit(req, {kService, true, true}, {}))
          ++admitted;
      });
    for (auto& t : threads) t.join();
    return admitted.load();
  }

  core::ManualClock clock_;
  UserDirectory users_;
  SessionCodec codec_;
  GatewayGuard guard_;
};

TEST_F(GatewayGuardLogonStormTest, SimultaneousLogonsShareOneHash) {
  EXPECT_EQ(Storm(8, Basic("JOB_SCHEDULER", "pw")), 8);
  EXPECT_GE(users_.password_checks(), 1u);
  EXPECT_LT(users_.password_checks(), 8u);
  // Afterwards the credential cache answers without any hash.
  uint64_t checks = users_.password_checks();
  EXPECT_EQ(Storm(4, Basic("JOB_SCHEDULER", "pw")), 4);
  EXPECT_EQ(users_.password_checks(), checks);
}

TEST_F(GatewayGuardLogonStormTest, SimultaneousFailuresEachCountTowardsTheLockout) {
  EXPECT_EQ(Storm(4, Basic("JOB_SCHEDULER", "wrong")), 0);
  // Shared failures would have counted once and left the user unlocked. (A request that starts
  // after the third failure finds the user locked and runs no hash, hence at least three.)
  EXPECT_GE(users_.password_checks(), 3u);
  EXPECT_EQ(Storm(1, Basic("JOB_SCHEDULER", "pw")), 0);  // locked after three failures
}

TEST_F(GatewayGuardTest, CsrfFailuresAre403Required) {
  auto fetch = Call("GET", {{"Authorization", Basic("JOB_SCHEDULER", "pw")}, {"X-CSRF-Token", "fetch"}});
  std::string token(*fetch.res.headers.Get("x-csrf-token"));
  std::string cookie = SessionCookie(fetch.res);
  auto other = Call("GET", {{"Authorization", Basic("JOB_SCHEDULER", "pw")}, {"X-CSRF-Token", "fetch"}});
  std::string other_cookie = SessionCookie(other.res);

  struct Case {
    const char* name;
    std::vector<std::pair<std::string, std::string>> headers;
  } cases[] = {
      {"missing token", {{"Cookie", cookie}}},
      {"wrong token", {{"Cookie", cookie}, {"X-CSRF-Token", "AAAAAAAAAAAAAAAAAAAAAA=="}}},
      {"token without cookie", {{"Authorization", Basic("JOB_SCHEDULER", "pw")}, {"X-CSRF-Token", token}}},
      {"other session's cookie", {{"Cookie", other_cookie}, {"X-CSRF-Token", token}}},
  };
  for (auto& c : cases) {
    for (const char* method : {"POST", "PUT", "PATCH", "MERGE", "DELETE"}) {
      auto o = Call(method, c.headers);
      ASSERT_TRUE(o.denied) << c.name << " " << method;
      EXPECT_EQ(o.denied->status, 403) << c.name;
      EXPECT_EQ(o.denied->headers.Get("x-csrf-token"), "Required");
      EXPECT_EQ(o.denied->body, "CSRF token validation failed");
      EXPECT_EQ(o.denied->headers.Get("content-type"), "text/plain; charset=utf-8");
    }
  }
}

// Endpoints without CSRF tokens (SOAP, the control plane): what a browser sends for a page of
// another site is refused, whatever credentials it adds; programs and same-site pages pass.
TEST_F(GatewayGuardTest, WithoutCsrfTokensCrossSiteModifyingRequestsAreRefused) {
  const auto basic = std::pair<std::string, std::string>{"Authorization", Basic("JOB_SCHEDULER", "pw")};
  const auto host = std::pair<std::string, std::string>{"Host", "causeway.example:8443"};
  struct Case {
    const char* name;
    std::vector<std::pair<std::string, std::string>> extra;
    bool refused;
  } cases[] = {
      {"a program: no Origin", {}, false},
      {"same host, other port (a proxy)", {{"Origin", "https://CAUSEWAY.example"}}, false},
      {"same-origin fetch", {{"Origin", "https://causeway.example:8443"}, {"Sec-Fetch-Site", "same-origin"}}, false},
      {"another site's form", {{"Origin", "http://evil.example"}}, true},
      {"a sandboxed page", {{"Origin", "null"}}, true},
      {"cross-site without Origin", {{"Sec-Fetch-Site", "cross-site"}}, true},
  };
  for (const Case& c : cases) {
    std::vector<std::pair<std::string, std::string>> headers = {basic, host};
    headers.insert(headers.end(), c.extra.begin(), c.extra.end());
    for (const char* method : {"POST", "PUT", "DELETE"}) {
      auto o = Call(method, headers, /*csrf=*/false);
      EXPECT_EQ(o.denied.has_value(), c.refused) << c.name << " " << method;
      if (o.denied) {
        EXPECT_EQ(o.denied->body, "<error>CAUSEWAY/HTTP/403</error>") << c.name;
      }
    }
    // Reads change nothing: never refused for their origin.
    EXPECT_FALSE(Call("GET", headers, /*csrf=*/false).denied) << c.name;
  }
}

TEST_F(GatewayGuardTest, LockoutAfterThreeFailuresEvenWithTheRightPassword) {
  for (int i = 0; i < 3; ++i) EXPECT_EQ(Call("GET", {{"Authorization", Basic("JOB_SCHEDULER", "bad")}}).denied->status, 401);
  auto o = Call("GET", {{"Authorization", Basic("JOB_SCHEDULER", "pw")}});
  ASSERT_TRUE(o.denied);
  EXPECT_EQ(o.denied->status, 401);
  ASSERT_TRUE(users_.Unlock("job_scheduler").ok());
  EXPECT_FALSE(Call("GET", {{"Authorization", Basic("JOB_SCHEDULER", "pw")}}).denied);
}

TEST_F(GatewayGuardTest, SuccessResetsTheFailureCounter) {
  Call("GET", {{"Authorization", Basic("JOB_SCHEDULER", "bad")}});
  Call("GET", {{"Authorization", Basic("JOB_SCHEDULER", "bad")}});
  EXPECT_FALSE(Call("GET", {{"Authorization", Basic("JOB_SCHEDULER", "pw")}}).denied);
  guard_.ClearCredentialCache();
  Call("GET", {{"Authorization", Basic("JOB_SCHEDULER", "bad")}});
  EXPECT_FALSE(Call("GET", {{"Authorization", Basic("JOB_SCHEDULER", "pw")}}).denied);
}

// The credential cache answers a right password without the slow hash; that logon must still
// end the run of failures, or right/wrong alternations would lock the user.
TEST_F(GatewayGuardTest, CachedSuccessResetsTheFailureCounter) {
  const auto right = Basic("JOB_SCHEDULER", "pw");
  const auto wrong = Basic("JOB_SCHEDULER", "bad");
  for (int round = 0; round < 4; ++round) {
    auto ok = Call("GET", {{"Authorization", right}});
    ASSERT_FALSE(ok.denied) << "round " << round;
    auto bad = Call("GET", {{"Authorization", wrong}});
    ASSERT_TRUE(bad.denied);
    EXPECT_EQ(bad.denied->status, 401);
  }
  EXPECT_FALSE(users_.Find("JOB_SCHEDULER")->locked);
  EXPECT_FALSE(Call("GET", {{"Authorization", right}}).denied);
  EXPECT_EQ(users_.Find("JOB_SCHEDULER")->failed_logons, 0);
}

// With a failure pending, a cached success writes the reset: not a cheap (I/O-thread) request.
TEST_F(GatewayGuardTest, PendingFailureMakesACachedCredentialNotCheap) {
  auto ok = Call("GET", {{"Authorization", Basic("JOB_SCHEDULER", "pw")}});
  EXPECT_TRUE(guard_.IsCheap(ok.req));
  Call("GET", {{"Authorization", Basic("JOB_SCHEDULER", "bad")}});
  EXPECT_FALSE(guard_.IsCheap(ok.req));
  Call("GET", {{"Authorization", Basic("JOB_SCHEDULER", "pw")}});
  EXPECT_TRUE(guard_.IsCheap(ok.req));
}

TEST_F(GatewayGuardTest, CertificateLogonResetsTheFailureCounter) {
  // CERTUSER has no password: a wrong Basic attempt still counts against it.
  Call("GET", {{"Authorization", Basic("CERTUSER", "x")}});
  Call("GET", {{"Authorization", Basic("CERTUSER", "x")}});
  ASSERT_EQ(users_.Find("CERTUSER")->failed_logons, 2);
  Outcome o;
  o.req.method = "GET";
  o.req.sap_client = "100";
  o.req.client_cert_fingerprint = "abcdef";
  o.denied = guard_.Admit(o.req, {kService, true, true}, {});
  ASSERT_FALSE(o.denied);
  EXPECT_EQ(users_.Find("CERTUSER")->failed_logons, 0);
}

TEST_F(GatewayGuardTest, LockedUserCannotUseItsCachedCredentialsOrSession) {
  auto ok = Call("GET", {{"Authorization", Basic("JOB_SCHEDULER", "pw")}});
  std::string cookie = SessionCookie(ok.res);
  EXPECT_TRUE(guard_.IsCheap(ok.req));
  ASSERT_TRUE(users_.Lock("JOB_SCHEDULER").ok());
  EXPECT_EQ(Call("GET", {{"Authorization", Basic("JOB_SCHEDULER", "pw")}}).denied->status, 401);
  EXPECT_EQ(Call("GET", {{"Cookie", cookie}}).denied->status, 401);
}

TEST_F(GatewayGuardTest, ExpiredSessionCookieIsNotEnough) {
  auto ok = Call("GET", {{"Authorization", Basic("JOB_SCHEDULER", "pw")}});
  std::string cookie = SessionCookie(ok.res);
  clock_.Advance(std::chrono::hours(1));
  EXPECT_EQ(Call("GET", {{"Cookie", cookie}}).denied->status, 401);
}

TEST_F(GatewayGuardTest, UnarrangedServiceIs403InServiceFormat) {
  auto o = Call("GET", {{"Authorization", Basic("OTHER", "pw")}});
  ASSERT_TRUE(o.denied);
  EXPECT_EQ(o.denied->status, 403);
  EXPECT_EQ(o.denied->body, "<error>/IWFND/CM_CONSUMER/101</error>");
}

TEST_F(GatewayGuardTest, ClientCertificateLogsOnItsUser) {
  http::Request req;
  auto o = [&] {
    Outcome out;
    out.req.method = "GET";
    out.req.sap_client = "100";
    out.req.client_cert_fingerprint = "abcdef";
    out.denied = guard_.Admit(out.req, {kService, true, true}, {});
    return out;
  }();
  EXPECT_FALSE(o.denied);
  EXPECT_EQ(o.req.user, "CERTUSER");
}

TEST(UserDirectoryStoreTest, LockStateSurvivesRestart) {
  auto dir = std::filesystem::temp_directory_path() / ("cw_users_" + std::to_string(::getpid()));
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  std::vector<UserConfig> cfg = {{.name = "U", .password_hash = HashPassword("pw", 1000)}};
  {
    auto db = store::sqlite::SqliteDatabase::Open({.path = (dir / "s.db").string()});
    ASSERT_TRUE(store::Migrate(**db, UserDirectory::Migrations()).ok());
    UserDirectory users(cfg, TestCatalog(), 2);
    ASSERT_TRUE(users.AttachStore(db->get()).ok());
    users.CheckPassword("U", "x");
    users.CheckPassword("U", "x");
    EXPECT_TRUE(users.Find("U")->locked);
  }
  {
    auto db = store::sqlite::SqliteDatabase::Open({.path = (dir / "s.db").string()});
    UserDirectory users(cfg, TestCatalog(), 2);
    ASSERT_TRUE(users.AttachStore(db->get()).ok());
    EXPECT_TRUE(users.Find("u")->locked);
    EXPECT_EQ(users.CheckPassword("U", "pw"), UserDirectory::LogonResult::kLocked);
  }
  std::filesystem::remove_all(dir);
}

// Unknown, locked and wrong: each refusal pays one slow hash, so its timing names no user.
TEST(UserDirectoryTest, EveryRefusedLogonPaysOneSlowHash) {
  UserDirectory users({{.name = "U", .password_hash = HashPassword("pw", 1000)}}, TestCatalog(), 2);
  VerifyAgainstDecoy("");  // the decoy's own hash is made once, at the first use
  uint64_t before = PasswordDerivations();
  EXPECT_EQ(users.CheckPassword("NOBODY", "pw"), UserDirectory::LogonResult::kUnknownUser);
  EXPECT_EQ(PasswordDerivations(), before + 1);
  EXPECT_EQ(users.CheckPassword("U", "x"), UserDirectory::LogonResult::kWrongPassword);
  EXPECT_EQ(users.CheckPassword("U", "x"), UserDirectory::LogonResult::kWrongPassword);
  EXPECT_EQ(PasswordDerivations(), before + 3);
  EXPECT_EQ(users.CheckPassword("U", "pw"), UserDirectory::LogonResult::kLocked);
  EXPECT_EQ(PasswordDerivations(), before + 4);
}

// Nodes sharing one store count one series of failed logons and see each other's locks.
TEST(UserDirectoryStoreTest, NodesSharingAStoreShareCountsAndLocks) {
  auto dir = std::filesystem::temp_directory_path() / ("cw_users_nodes_" + std::to_string(::getpid()));
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  std::vector<UserConfig> cfg = {{.name = "U", .password_hash = HashPassword("pw", 1000)},
                                 {.name = "V", .password_hash = HashPassword("pw", 1000)},
                                 {.name = "W", .password_hash = HashPassword("pw", 1000)}};
  {
    auto db = store::sqlite::SqliteDatabase::Open({.path = (dir / "s.db").string()});
    ASSERT_TRUE(store::Migrate(**db, UserDirectory::Migrations()).ok());
    UserDirectory a(cfg, TestCatalog(), 3), b(cfg, TestCatalog(), 3);
    ASSERT_TRUE(a.AttachStore(db->get(), /*shared=*/true).ok());
    ASSERT_TRUE(b.AttachStore(db->get(), /*shared=*/true).ok());
    // Two failures on A, one on B: three consecutive failures of one user.
    EXPECT_EQ(a.CheckPassword("U", "x"), UserDirectory::LogonResult::kWrongPassword);
    EXPECT_EQ(a.CheckPassword("U", "x"), UserDirectory::LogonResult::kWrongPassword);
    EXPECT_EQ(b.CheckPassword("U", "x"), UserDirectory::LogonResult::kWrongPassword);
    EXPECT_TRUE(b.Find("U")->locked);
    ASSERT_TRUE(a.Refresh().ok());
    EXPECT_TRUE(a.Find("U")->locked);
    EXPECT_EQ(a.CheckPassword("U", "pw"), UserDirectory::LogonResult::kLocked);
    // An unlock on one node reaches the other, and a cached credential of a locked user stops.
    ASSERT_TRUE(a.Unlock("U").ok());
    ASSERT_TRUE(b.Refresh().ok());
    EXPECT_EQ(b.CheckPassword("U", "pw"), UserDirectory::LogonResult::kOk);
    uint64_t version = b.Find("U")->password_version;
    EXPECT_TRUE(b.IsCurrent("U", version));
    ASSERT_TRUE(a.Lock("U").ok());
    ASSERT_TRUE(b.Refresh().ok());
    EXPECT_FALSE(b.IsCurrent("U", version));
    // A success on one node ends the other node's series.
    EXPECT_EQ(a.CheckPassword("V", "x"), UserDirectory::LogonResult::kWrongPassword);
    EXPECT_EQ(a.CheckPassword("V", "x"), UserDirectory::LogonResult::kWrongPassword);
    ASSERT_TRUE(b.Refresh().ok());
    EXPECT_EQ(b.CheckPassword("V", "pw"), UserDirectory::LogonResult::kOk);
    ASSERT_TRUE(a.Refresh().ok());
    EXPECT_EQ(a.CheckPassword("V", "x"), UserDirectory::LogonResult::kWrongPassword);
    EXPECT_FALSE(a.Find("V")->locked) << "only one failure since the success";
    // The same when the node that sees the success has not yet seen the failures (no refresh
    // in between): its password check resets the stored count all the same.
    EXPECT_EQ(a.CheckPassword("W", "x"), UserDirectory::LogonResult::kWrongPassword);
    EXPECT_EQ(a.CheckPassword("W", "x"), UserDirectory::LogonResult::kWrongPassword);
    EXPECT_EQ(b.CheckPassword("W", "pw"), UserDirectory::LogonResult::kOk);
    EXPECT_EQ(a.CheckPassword("W", "x"), UserDirectory::LogonResult::kWrongPassword);
    EXPECT_FALSE(a.Find("W")->locked) << "the failures before b's success still counted";
  }
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace causeway::security
