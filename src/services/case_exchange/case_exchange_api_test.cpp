// The REST surface through the router, beyond the golden files: who may do what (the
// authorization matrix), token life (many at once, expiry, a changed password), the slow hash
// once per credential, and the push of outgoing operations through the outbox.
#include <gtest/gtest.h>
#include <unistd.h>

#include <boost/json.hpp>
#include <filesystem>

#include "core/blocking.h"
#include "domain/changes/change_desk.h"
#include "exchange/outbox.h"
#include "exchange/testing/fake_http_client.h"
#include "security/password_hash.h"
#include "services/case_exchange/outbox_publisher.h"
#include "services/case_exchange/testing/cx_stack.h"
#include "store/sqlite/sqlite_database.h"
#include "store/unit_of_work.h"

namespace causeway::services::case_exchange {
namespace {

namespace fs = std::filesystem;
namespace json = boost::json;
using testing::Call;

constexpr char kTenant[] = "100000002";
constexpr char kConfig[] = R"(
[case_exchange]
token_lifetime_s = 600
hash_iterations = 1000
[[case_exchange.tenants]]
id = "100000002"
[[case_exchange.tenants.external_systems]]
id = "SNOW"
authorized_user = "sx.snow"
url = "http://127.0.0.1:9/snow"
[[case_exchange.tenants.external_systems]]
id = "JIRA"
authorized_user = "sx.jira"
[[case_exchange.tenants.groups]]
id = "20001"
name = "Internal"
[[case_exchange.tenants.groups]]
id = "20003"
name = "ServiceNow"
external_system = "SNOW"
[[case_exchange.tenants.people]]
id = "10010"
login = "ana.agent"
password = "Welcome1!"
roles = ["agent"]
[[case_exchange.tenants.people]]
id = "10020"
login = "sx.snow"
password = "Welcome1!"
[[case_exchange.tenants.people]]
id = "10030"
login = "sx.jira"
password = "Welcome1!"
[[case_exchange.tenants.people]]
id = "10040"
login = "rita.requester"
password = "Welcome1!"
[[case_exchange.tenants]]
id = "200000003"
[[case_exchange.tenants.people]]
id = "10010"
login = "ana.agent"
password = "Welcome1!"
roles = ["agent"]
)";

class ApiTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() /
           ("cw_cxapi_" + std::to_string(::getpid()) + "_" + ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_);
    auto db = store::sqlite::SqliteDatabase::Open({.path = (dir_ / "a.db").string()});
    ASSERT_TRUE(db.ok());
    db_ = std::move(db).value();
  }
  void Start(exchange::Outbox* outbox = nullptr, std::string_view config = kConfig) {
    auto stack = testing::StartCaseExchange(*db_, clock_, config, outbox);
    ASSERT_TRUE(stack.ok()) << stack.error().text;
    stack_ = std::move(stack).value();
  }
  void TearDown() override {
    stack_ = {};
    db_.reset();
    fs::remove_all(dir_);
  }
  std::string Token(const char* login, const char* tenant = kTenant) {
    return testing::LogOn(*stack_.router, tenant, login, "Welcome1!");
  }
  // on_io_thread: as the server runs a request it keeps on an I/O thread (Router::RunsInline).
  http::Response As(const std::string& token, std::string method, std::string target, std::string body = {},
                    std::vector<std::pair<std::string, std::string>> headers = {}, bool on_io_thread = false) {
    headers.emplace_back("Cookie", "LWSSO_COOKIE_KEY=" + token);
    http::Response r =
        Call(*stack_.router, std::move(method), std::move(target), std::move(body), std::move(headers), on_io_thread);
    if (r.after) {
      core::Status st = r.after->Wait();
      if (!st.ok()) r = r.on_failure(st.error());
    }
    return r;
  }
  std::string CreateChange(const std::string& agent_token, const char* group) {
    http::Response r = As(agent_token, "POST", std::string("/rest/") + kTenant + "/ems/bulk",
                          R"({"operation":"CREATE","entities":[{"entity_type":"Change","properties":{"DisplayLabel":"x","OwningGroup":")" +
                              std::string(group) + R"("}}]})");
    EXPECT_EQ(r.status, 200);
    return std::string(json::parse(r.body_view()).at("entity_result_list").at(0).at("entity").at("properties").at("Id").as_string());
  }

  fs::path dir_;
  core::ManualClock clock_{core::FromUnixMillis(1714550400000)};
  std::unique_ptr<store::sqlite::SqliteDatabase> db_;
  testing::CxStack stack_;
};

TEST_F(ApiTest, AuthorizationMatrix) {
  Start();
  const std::string agent = Token("ana.agent"), snow = Token("sx.snow"), jira = Token("sx.jira"),
                    rita = Token("rita.requester"), other = Token("ana.agent", "200000003");
  ASSERT_FALSE(agent.empty() || snow.empty() || jira.empty() || rita.empty() || other.empty());
  const std::string id = CreateChange(agent, "20001");
  const std::string base = std::string("/rest/") + kTenant;
  const std::string incoming =
      R"({"entities":[{"entity_type":"Change","properties":{"Id":")" + id +
      R"(","Description":"d"},"ext_properties":{"ExternalSystem":"SNOW","Operation":"Update"}}]})";
  struct Route {
    const char* name;
    std::string method, target, body;
    std::vector<std::pair<std::string, std::string>> headers;
  };
  const std::vector<Route> calls = {
      {"ems read", "GET", base + "/ems/Change/" + id, "", {}},
      {"ems bulk", "POST", base + "/ems/bulk",
       R"({"operation":"UPDATE","entities":[{"entity_type":"Change","properties":{"Id":")" + id + R"(","Description":"e"}}]})", {}},
      {"poll SNOW", "GET", base + "/ces?system=SNOW&time=0", "", {}},
      {"incoming SNOW", "POST", base + "/ces", incoming, {}},
      {"comment", "POST", base + "/collaboration/comments/Change/" + id, R"({"Body":"b"})", {}},
      {"comments read", "GET", base + "/collaboration/comments/Change/" + id + "/comments", "", {}},
      {"upload", "POST", base + "/frs/file-list", "data", {{"fs_filename", "a.txt"}}},
  };
  // Expected status per caller: agent, snow, jira, rita, other tenant's token, no token.
  const std::vector<std::vector<int>> expected = {
      {200, 200, 200, 200, 401, 401},  // ems read: any person of the tenant
      {200, 200, 200, 403, 401, 401},  // ems bulk: agents and integrations
      {403, 200, 403, 403, 401, 401},  // poll: the system's authorized user only
      {403, 200, 403, 403, 401, 401},  // incoming: the system's authorized user only
      {200, 200, 200, 403, 401, 401},  // comment
      {200, 200, 200, 200, 401, 401},  // comments read
      {200, 200, 200, 403, 401, 401},  // upload
  };
  const std::vector<std::pair<const char*, std::string>> callers = {
      {"agent", agent}, {"snow", snow}, {"jira", jira}, {"rita", rita}, {"other tenant", other}, {"none", ""}};
  for (size_t c = 0; c < calls.size(); ++c)
    for (size_t p = 0; p < callers.size(); ++p) {
      SCOPED_TRACE(std::string(calls[c].name) + " as " + callers[p].first);
      http::Response r = callers[p].second.empty()
                             ? Call(*stack_.router, calls[c].method, calls[c].target, calls[c].body, calls[c].headers)
                             : As(callers[p].second, calls[c].method, calls[c].target, calls[c].body, calls[c].headers);
      EXPECT_EQ(r.status, expected[c][p]) << r.body_view();
    }
}

TEST_F(ApiTest, IncomingOperationsRunOnTheIoThreadAndHandOverWhenTheyWouldWait) {
  Start();
  const std::string agent = Token("ana.agent"), snow = Token("sx.snow");
  const std::string id = CreateChange(agent, "20001");
  const std::string base = std::string("/rest/") + kTenant;
  const std::string incoming =
      R"({"entities":[{"entity_type":"Change","properties":{"Id":")" + id +
      R"(","Description":"from SNOW"},"ext_properties":{"ExternalSystem":"SNOW","Operation":"Update"}}]})";
  auto request = [&](std::string method, std::string target, std::string body = {}) {
    http::Request q;
    q.method = std::move(method);
    q.target = std::move(target);
    q.body = std::move(body);
    return q;
  };
  // On SQLite only incoming operations are tried where they arrive; polls, bulk edits, comments
  // and large bodies go to the pool.
  EXPECT_TRUE(stack_.router->RunsInline(request("POST", base + "/ces", incoming)));
  EXPECT_FALSE(stack_.router->RunsInline(request("GET", base + "/ces?system=SNOW")));
  EXPECT_FALSE(stack_.router->RunsInline(request("POST", base + "/ems/bulk", incoming)));
  EXPECT_FALSE(stack_.router->RunsInline(request("POST", base + "/collaboration/comments/Change/" + id, "{}")));
  EXPECT_FALSE(stack_.router->RunsInline(request("POST", base + "/ces", std::string(http::kInlineBodyLimit + 1, ' '))));

  // An agent's comment in flight holds the record: the try on the I/O thread hands the request
  // over and changes nothing (on a worker the same request would wait for the record).
  changes::ChangeDesk& desk = stack_.module->desk();
  store::UnitOfWork in_flight(*db_);
  {
    store::UnitOfWork::Scope scope(in_flight);
    auto c = desk.AddComment({kTenant, "10010", "ana.agent"}, id, {"", "agent's", "", std::nullopt, std::nullopt, ""});
    ASSERT_TRUE(c.ok() && c->status.ok());
  }
  {
    http::Response r = As(snow, "POST", base + "/ces", incoming, {}, /*on_io_thread=*/true);
    EXPECT_TRUE(r.to_workers) << r.status << " " << r.body_view();
    EXPECT_TRUE(core::MayBlock());  // the handler's scope ended with it
  }
  auto before = desk.Find(kTenant, id);
  ASSERT_TRUE(before.ok() && *before);
  EXPECT_NE((*before)->change.description, "from SNOW");
  ASSERT_TRUE(in_flight.CommitAsync()->Wait().ok());
  {
    // The record is free now: applied where it arrived.
    http::Response r = As(snow, "POST", base + "/ces", incoming, {}, /*on_io_thread=*/true);
    EXPECT_FALSE(r.to_workers);
    EXPECT_EQ(r.status, 200) << r.body_view();
  }
  auto after = desk.Find(kTenant, id);
  ASSERT_TRUE(after.ok() && *after);
  EXPECT_EQ((*after)->change.description, "from SNOW");
  EXPECT_EQ(desk.locks().held(), 0u);
}

TEST_F(ApiTest, ManyTokensExpiryAndPasswordChange) {
  Start();
  std::vector<std::string> tokens;
  for (int i = 0; i < 5; ++i) tokens.push_back(Token("sx.snow"));  // clients log on before every call
  const std::string poll = std::string("/rest/") + kTenant + "/ces?system=SNOW&time=0";
  for (const auto& t : tokens) EXPECT_EQ(As(t, "GET", poll).status, 200);
  // The slow hash ran once for the five logons.
  EXPECT_EQ(stack_.module->MetricsText().find("causeway_cx_password_checks_total 1\n") != std::string::npos, true)
      << stack_.module->MetricsText();
  clock_.Advance(std::chrono::seconds(599));
  EXPECT_EQ(As(tokens[0], "GET", poll).status, 200);
  clock_.Advance(std::chrono::seconds(1));
  EXPECT_EQ(As(tokens[0], "GET", poll).status, 401);  // token_lifetime_s = 600
  const std::string fresh = Token("sx.snow");
  EXPECT_EQ(As(fresh, "GET", poll).status, 200);
  // A new password ends the person's tokens at once.
  changes::Person p = *stack_.module->desk().directory()->FindTenant(kTenant)->FindPerson("10020");
  p.password_hash = security::HashPassword("Changed1!", 1000);
  ASSERT_TRUE(stack_.module->desk().PutPerson(kTenant, p).ok());
  EXPECT_EQ(As(fresh, "GET", poll).status, 401);
  EXPECT_TRUE(Token("sx.snow").empty());
  EXPECT_FALSE(testing::LogOn(*stack_.router, kTenant, "sx.snow", "Changed1!").empty());
}

TEST_F(ApiTest, ARefusedLogonPaysTheSlowHashWhetherTheLoginExistsOrNot) {
  Start();
  security::VerifyAgainstDecoy("");  // the decoy's own hash is made once, at the first use
  for (auto [tenant, login] : {std::pair{kTenant, "nobody"}, {"999999999", "sx.snow"}, {kTenant, "sx.snow"}}) {
    SCOPED_TRACE(std::string(tenant) + " " + login);
    const uint64_t before = security::PasswordDerivations();
    EXPECT_EQ(testing::LogOn(*stack_.router, tenant, login, "wrong"), "");
    EXPECT_EQ(security::PasswordDerivations(), before + 1);
  }
}

TEST_F(ApiTest, PollDateIsTheReadMomentAndDecodesQueries) {
  Start();
  const std::string agent = Token("ana.agent"), snow = Token("sx.snow");
  const std::string id = CreateChange(agent, "20003");
  clock_.Advance(std::chrono::milliseconds(1750));
  http::Response r = As(snow, "GET", std::string("/rest/") + kTenant + "/ces?layout=Id%2CDisplayLabel&system=SN%4FW&time=0");
  ASSERT_EQ(r.status, 200) << r.body_view();
  EXPECT_EQ(r.headers.Get("date").value_or(""), "Wed, 01 May 2024 08:00:01 GMT");  // rounded down, never later
  auto doc = json::parse(r.body_view());
  EXPECT_EQ(doc.at("entities").at(0).at("properties").at("DisplayLabel").as_string(), "x");
  EXPECT_EQ(doc.at("entities").at(0).at("ext_properties").at("Operation").as_string(), "Assign");
  EXPECT_EQ(doc.at("meta").at("total_count").as_int64(), 1);
  // '+' is a space in query strings: a layout "Id,+DisplayLabel" still names DisplayLabel.
  r = As(snow, "GET", std::string("/rest/") + kTenant + "/ces?layout=Id,+DisplayLabel&system=SNOW&time=0&type=Incident");
  EXPECT_EQ(json::parse(r.body_view()).at("entities").as_array().size(), 0u);  // another record type: nothing
  EXPECT_EQ(As(snow, "GET", std::string("/rest/") + kTenant + "/ces?system=SNOW&time=x").status, 400);
  EXPECT_EQ(As(snow, "GET", std::string("/rest/") + kTenant + "/ces?system=SNOW&size=4001").status, 400);
}

TEST_F(ApiTest, ALoginInUseIsRefusedWhereverALoginIsSet) {
  Start();
  const std::vector<std::pair<std::string, std::string>> admin = {{"Authorization", "Basic QURNSU46QWRtaW4xIQ=="}};
  const std::string people = std::string("/_causeway/cx/tenants/") + kTenant + "/people/";
  // The tester's case: a second person with the integration's login (any case), created or renamed.
  for (const auto& [id, login] : std::vector<std::pair<std::string, std::string>>{{"50003", "sx.snow"}, {"50003", "SX.Snow"},
                                                                                  {"10040", "sx.snow"}}) {
    SCOPED_TRACE(id + " " + login);
    http::Response r = Call(*stack_.router, "PUT", people + id,
                            R"({"login":")" + login + R"(","password":"Welcome1!","roles":[]})", admin);
    EXPECT_EQ(r.status, 409) << r.body_view();
    auto error = json::parse(r.body_view()).at("error");
    EXPECT_EQ(error.at("code").as_string(), "CAUSEWAY/CX/051");
    EXPECT_NE(std::string(error.at("message").as_string()).find("person 10020"), std::string::npos) << r.body_view();
  }
  auto dir = stack_.module->desk().directory();
  EXPECT_EQ(dir->FindTenant(kTenant)->FindPerson("50003"), nullptr);
  EXPECT_EQ(dir->FindTenant(kTenant)->FindPerson("10040")->login, "rita.requester");
  // Renaming the holder frees the login, and nobody has taken over its system meanwhile.
  ASSERT_EQ(Call(*stack_.router, "PUT", people + "10020", R"({"login":"sx.snow.old","password":"Welcome1!"})", admin).status,
            200);
  EXPECT_TRUE(Token("sx.snow").empty());
  EXPECT_EQ(Call(*stack_.router, "PUT", people + "50003", R"({"login":"sx.snow","password":"Welcome1!"})", admin).status, 200);
  EXPECT_FALSE(Token("sx.snow").empty());
  // The same login in another tenant is that tenant's business.
  EXPECT_EQ(Call(*stack_.router, "PUT", "/_causeway/cx/tenants/200000003/people/10020",
                 R"({"login":"sx.snow","password":"Welcome1!"})", admin).status,
            200);
}

TEST_F(ApiTest, AFileThatMovesALoginIsAppliedInAnyOrderButAConflictStopsTheStart) {
  Start();
  stack_ = {};
  // Person 10050, listed first, takes the login 10040 gives up in the same file.
  std::string moved = kConfig;
  const std::string rita = "[[case_exchange.tenants.people]]\nid = \"10040\"\nlogin = \"rita.requester\"";
  ASSERT_NE(moved.find(rita), std::string::npos);
  moved.replace(moved.find(rita), rita.size(),
                "[[case_exchange.tenants.people]]\nid = \"10050\"\nlogin = \"rita.requester\"\n"
                "[[case_exchange.tenants.people]]\nid = \"10040\"\nlogin = \"rita.r\"");
  Start(nullptr, moved);
  auto dir = stack_.module->desk().directory();
  EXPECT_EQ(dir->FindTenant(kTenant)->FindPersonByLogin("rita.requester")->id, "10050");
  EXPECT_EQ(dir->FindTenant(kTenant)->FindPersonByLogin("rita.r")->id, "10040");
  stack_ = {};
  // Two people swapping logins cannot be applied one by one: the start fails naming the conflict.
  std::string swapped = kConfig;
  swapped.replace(swapped.find("login = \"sx.snow\""), 17, "login = \"sx.tmp\"");
  swapped.replace(swapped.find("login = \"sx.jira\""), 17, "login = \"sx.snow\"");
  swapped.replace(swapped.find("login = \"sx.tmp\""), 16, "login = \"sx.jira\"");
  swapped.replace(swapped.find("authorized_user = \"sx.snow\""), 27, "authorized_user = \"sx.tmp\"");
  swapped.replace(swapped.find("authorized_user = \"sx.jira\""), 27, "authorized_user = \"sx.snow\"");
  swapped.replace(swapped.find("authorized_user = \"sx.tmp\""), 26, "authorized_user = \"sx.jira\"");
  auto stack = testing::StartCaseExchange(*db_, clock_, swapped);
  ASSERT_FALSE(stack.ok());
  EXPECT_EQ(stack.error().GatewayCode(), "CAUSEWAY/CX/051") << stack.error().text;
}

// The control plane reads master data strictly: what GET shows can be PUT back as it is; a field
// an item does not have, a value of the wrong type or an id other than the URL's is refused
// naming it (nothing half-applied); a system acts as a person of its tenant, and renaming that
// person's login through the control plane takes the system along.
TEST_F(ApiTest, TheControlPlaneStoresWhatWasSentOrRefusesIt) {
  Start();
  const std::vector<std::pair<std::string, std::string>> admin = {{"Authorization", "Basic QURNSU46QWRtaW4xIQ=="}};
  const std::string base = std::string("/_causeway/cx/tenants/") + kTenant;
  http::Response tenant = Call(*stack_.router, "GET", base, "", admin);
  ASSERT_EQ(tenant.status, 200);
  auto doc = json::parse(tenant.body_view());
  for (const char* kind : {"people", "groups", "systems"})
    for (const auto& item : doc.at(kind).as_array()) {
      const std::string id(item.at("id").as_string());
      http::Response back = Call(*stack_.router, "PUT", base + "/" + kind + "/" + id, json::serialize(item), admin);
      EXPECT_EQ(back.status, 200) << kind << " " << id << ": " << back.body_view();
      EXPECT_EQ(json::parse(back.body_view()), item) << kind << " " << id;
    }
  struct Refusal {
    std::string target, body, code, says;
  };
  for (const Refusal& r : std::vector<Refusal>{
           {base + "/people/10040", R"({"login":"rita.requester","frist_name":"Rita"})", "CAUSEWAY/CONTROL/010",
            "unknown field 'frist_name'"},
           {base + "/people/10040", R"({"login":"rita.requester","roles":"agent"})", "CAUSEWAY/CONTROL/010",
            "roles must be an array of strings"},
           {base + "/people/10040", R"({"id":"10041","login":"rita.requester"})", "CAUSEWAY/CONTROL/010",
            "differs from the URL's '10040'"},
           {base + "/systems/SNOW", R"({"description":"x","authorised_user":"sx.snow"})", "CAUSEWAY/CONTROL/010",
            "unknown field 'authorised_user'"},
           {base + "/systems/ZEN", R"({"description":"Zendesk","authorized_user":"nobody"})", "CAUSEWAY/CX/050",
            "No person of tenant"},
           // Credentials in the URL would be shown by every GET and the system never pushed to.
           {base + "/systems/ZEN", R"({"description":"Zendesk","authorized_user":"sx.snow","url":"http://u:pw@h/cx"})",
            "CAUSEWAY/CX/050", "url: must not contain credentials"},
           {base + "/systems/ZEN",
            R"({"description":"Zendesk","authorized_user":"sx.snow","url":"http://h/cx","password":"pw"})",
            "CAUSEWAY/CX/050", "password: is set without a user"},
           {base, R"({"name":"x","people":[]})", "CAUSEWAY/CONTROL/010", "unknown field 'people'"},
           {"/_causeway/cx/workflows/Normal", R"({"phases":[{"id":"Log","metaphase":"Logging","colour":1}]})",
            "CAUSEWAY/CONTROL/010", "unknown field 'phases[0].colour'"},
       }) {
    SCOPED_TRACE(r.target + " " + r.body);
    http::Response res = Call(*stack_.router, "PUT", r.target, r.body, admin);
    EXPECT_EQ(res.status, 400) << res.body_view();
    EXPECT_NE(res.body_view().find(r.code), std::string::npos) << res.body_view();
    EXPECT_NE(res.body_view().find(r.says), std::string::npos) << res.body_view();
  }
  auto dir = stack_.module->desk().directory();
  EXPECT_EQ(dir->FindTenant(kTenant)->FindPerson("10040")->login, "rita.requester");
  EXPECT_EQ(dir->FindTenant(kTenant)->FindSystem("ZEN"), nullptr);
  // A renamed login takes its system along: the integration logs on with the new login and
  // still polls its system.
  ASSERT_EQ(Call(*stack_.router, "PUT", base + "/people/10020", R"({"login":"sx.servicenow","password":"Welcome1!"})", admin)
                .status,
            200);
  EXPECT_EQ(stack_.module->desk().directory()->FindTenant(kTenant)->FindSystem("SNOW")->authorized_user, "sx.servicenow");
  const std::string snow = Token("sx.servicenow");
  ASSERT_FALSE(snow.empty());
  EXPECT_EQ(As(snow, "GET", std::string("/rest/") + kTenant + "/ces?system=SNOW&time=0").status, 200);
  // Taking the login away while the system acts as it is refused.
  http::Response gone = Call(*stack_.router, "PUT", base + "/people/10020", R"({"login":""})", admin);
  EXPECT_EQ(gone.status, 409) << gone.body_view();
  EXPECT_NE(gone.body_view().find("CAUSEWAY/CX/052"), std::string::npos) << gone.body_view();
}

TEST_F(ApiTest, EveryGetRouteAnswersHeadAsGet) {
  Start();
  const std::string agent = Token("ana.agent"), snow = Token("sx.snow");
  const std::string id = CreateChange(agent, "20003");
  const std::string base = std::string("/rest/") + kTenant;
  http::Response up = As(agent, "POST", base + "/frs/file-list", "data", {{"fs_filename", "a.txt"}});
  ASSERT_EQ(up.status, 200) << up.body_view();
  const std::string guid(json::parse(up.body_view()).at("guid").as_string());
  const std::vector<std::string> reads = {
      base + "/ces?system=SNOW&time=0",
      base + "/ems/Change",
      base + "/ems/Change/" + id,
      base + "/ems/ExternalReference",
      base + "/ems/Person?layout=Id,Name",
      base + "/ems/PersonGroup",
      base + "/collaboration/comments/Change/" + id + "/comments",
      base + "/collaboration/comments/Change/" + id,
      base + "/frs/file-list/" + guid,
      base + "/ems/Change/99999",  // a refusal is the same too
  };
  for (const std::string& target : reads) {
    SCOPED_TRACE(target);
    http::Response get = As(snow, "GET", target), head = As(snow, "HEAD", target);
    EXPECT_EQ(head.status, get.status) << head.body_view();
    EXPECT_EQ(head.headers.items(), get.headers.items());
    // The handler answers the body a GET gets; the server sends only its length (http/server.cpp).
    EXPECT_EQ(head.body_view(), get.body_view());
  }
  // 405 for what a route truly does not serve, with HEAD in `allow` where GET is.
  struct Refused {
    std::string method, target, allow;
  };
  const std::vector<Refused> refused = {
      {"DELETE", base + "/ces", "GET, HEAD, POST"},
      {"PUT", base + "/ems/Change/" + id, "GET, HEAD"},
      {"POST", base + "/ems/Person", "GET, HEAD"},
      {"HEAD", base + "/ems/bulk", "POST"},
      {"DELETE", base + "/collaboration/comments/Change/" + id + "/comments", "GET, HEAD, POST"},
      {"HEAD", base + "/frs/file-list", "POST"},
      {"DELETE", base + "/frs/file-list/" + guid, "GET, HEAD"},
  };
  for (const Refused& r : refused) {
    SCOPED_TRACE(r.method + " " + r.target);
    http::Response a = As(snow, r.method, r.target);
    EXPECT_EQ(a.status, 405) << a.body_view();
    EXPECT_EQ(a.headers.Get("allow").value_or(""), r.allow);
  }
  // The legacy logon and the control plane's reads likewise.
  const std::string logon = "/auth/authentication-endpoint/authenticate/login?login=sx.snow&password=Welcome1!&TENANTID=100000002";
  http::Response head_logon = Call(*stack_.router, "HEAD", logon);
  EXPECT_EQ(head_logon.status, 200);
  EXPECT_NE(head_logon.headers.Get("set-cookie").value_or("").find("LWSSO_COOKIE_KEY="), std::string::npos);
  EXPECT_EQ(Call(*stack_.router, "DELETE", logon).headers.Get("allow").value_or(""), "GET, HEAD, POST");
  EXPECT_EQ(Call(*stack_.router, "HEAD", "/auth/authentication-endpoint/authenticate/token").headers.Get("allow").value_or(""),
            "POST");
  const std::vector<std::pair<std::string, std::string>> admin = {{"Authorization", "Basic QURNSU46QWRtaW4xIQ=="}};
  for (const std::string& target : {std::string("/_causeway/cx/tenants"), std::string("/_causeway/cx/tenants/") + kTenant,
                                    std::string("/_causeway/cx/workflows"),
                                    std::string("/_causeway/cx/tenants/") + kTenant + "/changes/" + id,
                                    std::string("/_causeway/cx/tenants/") + kTenant + "/changes/" + id + "/operations"}) {
    SCOPED_TRACE(target);
    http::Response get = Call(*stack_.router, "GET", target, "", admin), head = Call(*stack_.router, "HEAD", target, "", admin);
    EXPECT_EQ(get.status, 200) << get.body_view();
    EXPECT_EQ(head.status, 200) << head.body_view();
    EXPECT_EQ(head.body_view().size(), get.body_view().size());
    EXPECT_EQ(Call(*stack_.router, "DELETE", target, "", admin).headers.Get("allow").value_or("").find("GET, HEAD"), 0u);
  }
  http::Response put_only = Call(*stack_.router, "HEAD", "/_causeway/cx/workflows/Normal", "", admin);
  EXPECT_EQ(put_only.status, 405);
  EXPECT_EQ(put_only.headers.Get("allow").value_or(""), "PUT");
}

TEST_F(ApiTest, OperationsArePushedThroughTheOutboxInOrder) {
  exchange::testing::FakeHttpClient http;
  exchange::OutboxOptions options;
  AddCaseExchangeKinds(options.kinds);
  auto outbox = exchange::Outbox::Open(*db_, clock_, http, std::move(options));
  ASSERT_TRUE(outbox.ok()) << outbox.error().text;
  Start(outbox->get());
  const std::string agent = Token("ana.agent");
  const std::string id = CreateChange(agent, "20003");  // Assign
  ASSERT_EQ(As(agent, "POST", std::string("/rest/") + kTenant + "/collaboration/comments/Change/" + id, R"({"Body":"b"})").status,
            200);  // Update
  ASSERT_TRUE(http.WaitForRequests(2, std::chrono::seconds(10)));
  auto requests = http.Requests();
  ASSERT_EQ(requests.size(), 2u);
  const char* ops[] = {"Assign", "Update"};
  for (size_t i = 0; i < 2; ++i) {
    EXPECT_EQ(requests[i].destination->base_url, "http://127.0.0.1:9/snow");
    EXPECT_EQ(requests[i].method, "POST");
    EXPECT_EQ(requests[i].idempotency_key, std::string("cx-") + kTenant + "-" + id + "-" + std::to_string(i + 1));
    auto body = json::parse(requests[i].body);
    EXPECT_EQ(body.at("entities").at(0).at("ext_properties").at("Operation").as_string(), ops[i]);
    EXPECT_EQ(body.at("entities").at(0).at("properties").at("Id").as_string(), id);
  }
  auto log = stack_.module->desk().Operations(kTenant, id);
  ASSERT_TRUE(log.ok());
  EXPECT_TRUE(log->outgoing[0].pushed);
  (*outbox)->Stop();
  stack_ = {};
}

// A system's new URL reaches the outbox destinations of this node at once and, through the
// refresh a shared store's nodes run every second, those of a node that took no part in the
// change: a message another node accepted is delivered to the URL that is current, whichever
// node claims it, and without waiting for an edit on that node.
TEST_F(ApiTest, ASystemsNewUrlReachesTheOutboxOfEveryNode) {
  exchange::testing::FakeHttpClient http_a, http_b;
  auto open_outbox = [&](exchange::testing::FakeHttpClient& http) {
    exchange::OutboxOptions options;
    AddCaseExchangeKinds(options.kinds);
    return exchange::Outbox::Open(*db_, clock_, http, std::move(options));
  };
  auto outbox_a = open_outbox(http_a);
  auto outbox_b = open_outbox(http_b);
  ASSERT_TRUE(outbox_a.ok() && outbox_b.ok());
  Start(outbox_a->get());
  auto node_b = testing::StartCaseExchange(*db_, clock_, kConfig, outbox_b->get());
  ASSERT_TRUE(node_b.ok()) << node_b.error().text;
  auto url_of = [](exchange::Outbox& outbox) {
    for (const auto& d : outbox.Destinations())
      if (d.name == DestinationName(kTenant, "SNOW")) return d.base_url;
    return std::string("(none)");
  };
  ASSERT_EQ(url_of(**outbox_b), "http://127.0.0.1:9/snow");

  auto dir = stack_.module->desk().directory();
  changes::ExternalSystem snow = *dir->FindTenant(kTenant)->FindSystem("SNOW");
  snow.url = "http://127.0.0.1:9/moved";
  ASSERT_TRUE(stack_.module->desk().PutSystem(kTenant, snow).ok());
  EXPECT_EQ(url_of(**outbox_a), "http://127.0.0.1:9/moved");  // the node that took the change

  node_b->module->Refresh();  // within the same second: node B has not looked yet
  EXPECT_EQ(url_of(**outbox_b), "http://127.0.0.1:9/snow");
  clock_.Advance(std::chrono::milliseconds(1000));
  node_b->module->Refresh();
  EXPECT_EQ(url_of(**outbox_b), "http://127.0.0.1:9/moved");

  (*outbox_a)->Stop();
  (*outbox_b)->Stop();
  *node_b = {};
  stack_ = {};
}

}  // namespace
}  // namespace causeway::services::case_exchange
