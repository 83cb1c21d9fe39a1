#include "http/router.h"

#include <gtest/gtest.h>

namespace causeway::http {
namespace {

// A guard that admits user "ok" and denies everybody else, recording what it saw.
class FakeGuard final : public RequestGuard {
 public:
  bool IsCheap(const Request& req) const override {
    ++cheap_checks;
    return !req.headers.Has("x-expensive");
  }
  std::optional<Response> Admit(Request& req, const GuardTarget& target, const ErrorRenderer& render) override {
    last_service = target.service;
    if (req.headers.Get("x-user") == "ok") {
      req.user = "ok";
      return std::nullopt;
    }
    if (!target.authorize && req.headers.Has("x-user")) return std::nullopt;
    return render.Error(req, core::MakeError(core::Code::kForbidden, "X", "001", "denied"));
  }
  void Finish(const Request&, const GuardTarget&, Response& res) override { res.headers.Add("x-finished", "1"); }
  std::string last_service;
  mutable int cheap_checks = 0;
};

Response XmlError(const Request&, const core::Error& e) {
  return Response(e.HttpStatus(), "application/xml", "<error>" + e.GatewayCode() + "</error>");
}

class RouterTest : public ::testing::Test {
 protected:
  RouterTest() : router_(&guard_, "100", {"100", "200", "300", "400"}) {
    router_.Add({.kind = Endpoint::Kind::kSapOData,
                 .key = "BC_EXT_APPJOB_MANAGEMENT",
                 .guard = {"BC_EXT_APPJOB_MANAGEMENT"},
                 .handle = [](Request& req, const RouteMatch& m) {
                   return Response(200, "text/plain", m.odata->resource_path + "|" + m.odata->query + "|" +
                                                          req.sap_client + "|" + req.sap_language);
                 },
                 .render = {.error = XmlError}});
    router_.Add({.kind = Endpoint::Kind::kSapOData,
                 .key = "*",
                 .guard = {.service = "", .csrf = false, .authorize = false},
                 .handle = [](Request&, const RouteMatch& m) { return Response(404, "text/plain", "no " + m.odata->service); },
                 .render = {.error = XmlError}});
    router_.Add({.key = "/_causeway/", .guard = {"CONTROL", true, false},
                 .handle = [](Request&, const RouteMatch&) { return Response(200, "text/plain", "ctl"); },
                 .may_block = [](const Request&) { return true; }});
    router_.Add({.key = "/_causeway/users/", .guard = {"CONTROL", true, false},
                 .handle = [](Request&, const RouteMatch& m) { return Response(200, "text/plain", "users " + std::string(m.rest)); }});
    router_.Add({.key = "/sap/bc/srt/", .guard = {"SOAP", true, false}, .handle = [](Request& req, const RouteMatch&) {
                   return Response(200, "text/plain", req.sap_client + "|" + req.sap_language);
                 }});
    router_.Add({.key = "/_causeway/health", .guard = {"HEALTH", false, false},
                 .handle = [](Request&, const RouteMatch&) { return Response(200, "text/plain", "up"); },
                 .methods = {"GET", "HEAD"}});
  }
  Response Call(std::string method, std::string target, std::vector<std::pair<std::string, std::string>> headers = {}) {
    Request r;
    r.method = std::move(method);
    r.target = std::move(target);
    for (auto& [k, v] : headers) r.headers.Add(k, v);
    return router_.Handle(r);
  }
  FakeGuard guard_;
  Router router_;
};

TEST_F(RouterTest, RoutesODataCaseInsensitivelyWithSapOptions) {
  Response r = Call("GET", "/sap/opu/odata/SAP/bc_ext_appjob_management;v=0002/JobStatusGet?JobName='A'&sap-client=200",
                    {{"x-user", "ok"}, {"sap-language", "de"}});
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.body, "JobStatusGet|JobName='A'|200|DE");
  EXPECT_EQ(r.label, "BC_EXT_APPJOB_MANAGEMENT");
  EXPECT_TRUE(r.headers.Has("x-finished"));
}

TEST_F(RouterTest, HeaderClientWinsAndDefaultsApply) {
  EXPECT_EQ(Call("GET", "/sap/opu/odata/sap/BC_EXT_APPJOB_MANAGEMENT/?sap-client=200", {{"x-user", "ok"}, {"sap-client", "300"}}).body,
            "||300|EN");
  EXPECT_EQ(Call("GET", "/sap/opu/odata/sap/BC_EXT_APPJOB_MANAGEMENT/", {{"x-user", "ok"}}).body, "||100|EN");
}

// ICF reads sap-client at logon for every service: a SOAP URL's "?sap-client=200" (as
// SOAMANAGER writes them) counts as an OData URL's does; the sap-usercontext cookie of the logon
// keeps a client that named its client once in it.
TEST_F(RouterTest, EveryEndpointTakesTheClientFromHeaderUrlCookieThenDefault) {
  const std::string soap = "/sap/bc/srt/scs/sap/managetaskactivityin";
  EXPECT_EQ(Call("POST", soap + "?sap-client=200", {{"x-user", "ok"}}).body, "200|EN");
  EXPECT_EQ(Call("POST", soap + "?sap-client=%32%30%30&sap-language=de", {{"x-user", "ok"}}).body, "200|DE");
  EXPECT_EQ(Call("POST", soap, {{"x-user", "ok"}, {"cookie", "sap-usercontext=sap-language=FR&sap-client=300"}}).body,
            "300|FR");
  EXPECT_EQ(Call("POST", soap + "?sap-client=200",
                 {{"x-user", "ok"}, {"cookie", "sap-usercontext=sap-client=300"}, {"sap-language", "es"}})
                .body,
            "200|ES");
  EXPECT_EQ(Call("POST", soap + "?sap-client=200", {{"x-user", "ok"}, {"sap-client", "400"}}).body, "400|EN");
  EXPECT_EQ(Call("GET", "/sap/opu/odata/sap/BC_EXT_APPJOB_MANAGEMENT/",
                 {{"x-user", "ok"}, {"cookie", "sap-usercontext=sap-client=300"}})
                .body,
            "||300|EN");
  EXPECT_EQ(Call("POST", soap, {{"x-user", "ok"}}).body, "100|EN");
  // Another system's cookie (browsers send a host's cookies to every port) is not this one's.
  EXPECT_EQ(Call("POST", soap, {{"x-user", "ok"}, {"cookie", "sap-usercontext=sap-client=800"}}).body, "100|EN");
  EXPECT_EQ(Call("POST", soap, {{"x-user", "ok"}, {"cookie", "sap-usercontext=sap-client%3D200"}}).body, "200|EN");
  // The first language an Accept-Language list names, not its first two characters.
  EXPECT_EQ(Call("POST", soap, {{"x-user", "ok"}, {"accept-language", "*;q=0.1, fr-CH;q=0.9"}}).body, "100|FR");
  EXPECT_EQ(Call("POST", soap, {{"x-user", "ok"}, {"accept-language", "*"}}).body, "100|EN");
}

TEST_F(RouterTest, DeniedRequestsUseTheServiceErrorFormat) {
  Response r = Call("GET", "/sap/opu/odata/sap/BC_EXT_APPJOB_MANAGEMENT/");
  EXPECT_EQ(r.status, 403);
  EXPECT_EQ(r.body, "<error>X/001</error>");
  EXPECT_EQ(guard_.last_service, "BC_EXT_APPJOB_MANAGEMENT");
}

TEST_F(RouterTest, UnknownServiceAndPathAre404) {
  EXPECT_EQ(Call("GET", "/sap/opu/odata/sap/NOPE/", {{"x-user", "ok"}}).status, 404);
  EXPECT_EQ(Call("GET", "/elsewhere").status, 404);
}

// The catch-all answers in its own format, after authentication but without authorization.
TEST_F(RouterTest, UnknownServiceGoesToTheCatchAllAfterTheGate) {
  Response r = Call("GET", "/sap/opu/odata/sap/NOPE/", {{"x-user", "someone"}});
  EXPECT_EQ(r.body, "no NOPE");
  EXPECT_TRUE(r.headers.Has("x-finished"));
  EXPECT_EQ(Call("GET", "/sap/opu/odata/sap/NOPE/").status, 403);  // the fake's "not logged on"
}

TEST_F(RouterTest, MethodsAnEndpointDoesNotServeAre405WithAllow) {
  for (const char* m : {"TRACE", "DELETE", "POST", "BREW"}) {
    Response r = Call(m, "/_causeway/health");
    EXPECT_EQ(r.status, 405) << m;
    EXPECT_EQ(r.headers.Get("allow"), "GET, HEAD") << m;
  }
  EXPECT_EQ(Call("HEAD", "/_causeway/health").status, 200);
}

// The lookup is made once per request and kept on it (Request::routed), but a request whose
// target changed since is looked up again.
TEST_F(RouterTest, ARequestIsRoutedOnceUnlessItsTargetChanges) {
  Request r;
  r.method = "GET";
  r.target = "/sap/opu/odata/sap/BC_EXT_APPJOB_MANAGEMENT/JobStatusGet?JobName='A'";
  r.headers.Add("x-user", "ok");
  EXPECT_TRUE(router_.RunsInline(r));
  ASSERT_TRUE(r.routed.has_value());
  const SapODataPath* parsed = &*r.routed->path;
  EXPECT_EQ(router_.Handle(r).body, "JobStatusGet|JobName='A'|100|EN");
  EXPECT_EQ(&*r.routed->path, parsed);
  r.target = "/_causeway/users/X/lock";
  r.admitted = false;
  EXPECT_EQ(router_.Handle(r).body, "users X/lock");
  EXPECT_FALSE(r.routed->path.has_value());
}

TEST_F(RouterTest, PrefixEndpointsSeeTheRestOfThePath) {
  EXPECT_EQ(Call("GET", "/_causeway/users/X/lock?a=1", {{"x-user", "ok"}}).body, "users X/lock");
}

// A request that blocks anyway is not credential-checked on the I/O thread first.
TEST_F(RouterTest, BlockingRequestsSkipTheCheapCheck) {
  Request post;
  post.method = "POST";
  post.target = "/sap/opu/odata/sap/BC_EXT_APPJOB_MANAGEMENT/JobSchedule";
  EXPECT_FALSE(router_.RunsInline(post));
  Request ctl;
  ctl.method = "GET";
  ctl.target = "/_causeway/metrics";
  EXPECT_FALSE(router_.RunsInline(ctl));
  EXPECT_EQ(guard_.cheap_checks, 0);
}

// Before the body only "not logged on" is final; other refusals come from Handle(), body read.
TEST_F(RouterTest, HeadAdmissionRefusesOnlyUnauthenticatedSenders) {
  Request anonymous;
  anonymous.method = "POST";
  anonymous.target = "/sap/opu/odata/sap/NOPE/";
  auto denied = router_.Admit(anonymous);
  EXPECT_FALSE(denied) << "the fake answers 403 for anonymous callers of an authorized endpoint";
  Request forbidden;
  forbidden.method = "POST";
  forbidden.target = "/sap/opu/odata/sap/BC_EXT_APPJOB_MANAGEMENT/JobSchedule";
  forbidden.headers.Add("x-user", "other");
  EXPECT_FALSE(router_.Admit(forbidden));
  EXPECT_FALSE(forbidden.admitted);
  EXPECT_TRUE(forbidden.gate_response_headers.empty());
  forbidden.body = "the body";
  Response r = router_.Handle(forbidden);
  EXPECT_EQ(r.status, 403);
  EXPECT_EQ(r.body, "<error>X/001</error>");
}

TEST_F(RouterTest, AFailedCommitIsAnsweredInTheEndpointFormatWithTheGateHeaders) {
  Router router(&guard_);
  auto pending = std::make_shared<core::Completion>();
  router.Add({.kind = Endpoint::Kind::kSapOData,
              .key = "S",
              .guard = {"S"},
              .handle = [pending](Request&, const RouteMatch&) {
                Response r(201, "text/plain", "created");
                r.after = pending;
                return r;
              },
              .render = {.error = XmlError}});
  Request req;
  req.method = "POST";
  req.target = "/sap/opu/odata/sap/S/Set";
  req.headers.Add("x-user", "ok");
  Response r = router.Handle(req);
  ASSERT_TRUE(r.after);
  ASSERT_TRUE(r.on_failure);
  Response failed = r.on_failure(core::MakeError(core::Code::kInternal, "CAUSEWAY/STORE", "006", "disk"));
  EXPECT_EQ(failed.status, 500);
  EXPECT_EQ(failed.body, "<error>CAUSEWAY/STORE/006</error>");
  EXPECT_TRUE(failed.headers.Has("x-finished"));
  EXPECT_EQ(failed.label, "S");
}

TEST_F(RouterTest, LongestPrefixWinsAndPublicEndpointsSkipTheGuard) {
  EXPECT_EQ(Call("GET", "/_causeway/health").body, "up");
  EXPECT_EQ(Call("GET", "/_causeway/metrics").status, 403);
  EXPECT_EQ(Call("GET", "/_causeway/metrics", {{"x-user", "ok"}}).body, "ctl");
}

TEST_F(RouterTest, ModifyingAndExpensiveRequestsLeaveTheIoThread) {
  Request get;
  get.method = "GET";
  get.target = "/sap/opu/odata/sap/BC_EXT_APPJOB_MANAGEMENT/JobStatusGet";
  EXPECT_TRUE(router_.RunsInline(get));
  Request post = get;
  post.method = "POST";
  EXPECT_FALSE(router_.RunsInline(post));
  get.headers.Add("x-expensive", "1");
  EXPECT_FALSE(router_.RunsInline(get));
}

}  // namespace
}  // namespace causeway::http
