#include "http/router.h"

#include <gtest/gtest.h>

namespace causeway::http {
namespace {

// A guard that admits user "ok" and denies everybody else, recording what it saw.
class FakeGuard final : public RequestGuard {
 public:
  bool IsCheap(const Request& req) const override { return !req.headers.Has("x-expensive"); }
  std::optional<Response> Admit(Request& req, const GuardTarget& target,
                                const std::function<Response(const core::Error&)>& fail) override {
    last_service = target.service;
    if (req.headers.Get("x-user") == "ok") {
      req.user = "ok";
      return std::nullopt;
    }
    return fail(core::MakeError(core::Code::kForbidden, "X", "001", "denied"));
  }
  void Finish(const Request&, const GuardTarget&, Response& res) override { res.headers.Add("x-finished", "1"); }
  std::string last_service;
};

class RouterTest : public ::testing::Test {
 protected:
  RouterTest() : router_(&guard_) {
    router_.AddOData({"BC_EXT_APPJOB_MANAGEMENT",
                      [](Request& req, const SapODataPath& p) {
                        return Response(200, "text/plain",
                                        p.resource_path + "|" + p.query + "|" + req.sap_client + "|" + req.sap_language);
                      },
                      [](const Request&, const core::Error& e) {
                        return Response(e.HttpStatus(), "application/xml", "<error>" + e.GatewayCode() + "</error>");
                      }});
    router_.AddPrefix({"/_causeway/", {"CONTROL", true, false}, [](Request&) { return Response(200, "text/plain", "ctl"); }});
    router_.AddPrefix({"/_causeway/health", {"HEALTH", false, false}, [](Request&) { return Response(200, "text/plain", "up"); }});
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
