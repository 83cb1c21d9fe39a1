// Which OData requests the mount keeps on the I/O thread (Endpoint::MayBlock false) and which
// it sends to the worker pool.
#include "services/common/odata_endpoint.h"

#include <gtest/gtest.h>

#include "odata/engine.h"

namespace causeway::services {
namespace {

// The smallest service the engine accepts: the mount reads only its service id.
class EmptyService : public odata::Service {
 public:
  odata::ServiceInfo Info() const override {
    odata::ServiceInfo i;
    i.service_id = "ZINLINE";
    return i;
  }
  odata::Schema DefineSchema() const override {
    odata::Schema s;
    s.namespace_name = "ZINLINE";
    return s;
  }
  core::Status RunChangeSet(odata::Context&, const std::function<core::Status()>& operations) const override {
    return operations();
  }
};

std::shared_ptr<const odata::Engine> SampleEngine() {
  auto e = odata::Engine::Create(std::make_shared<EmptyService>(), {});
  EXPECT_TRUE(e.ok()) << e.error().text;
  return std::shared_ptr<const odata::Engine>(std::move(e).value());
}

http::Request Req(std::string method, std::string target, size_t body_size = 0) {
  http::Request r;
  r.method = std::move(method);
  r.target = std::move(target);
  r.body.assign(body_size, ' ');
  return r;
}

TEST(ODataEndpointTest, LastPathSegmentIgnoresQueryAndTrailingSlash) {
  EXPECT_EQ(LastPathSegment(Req("POST", "/sap/opu/odata/sap/SVC/JobSchedule?JobTemplateName='X'")), "JobSchedule");
  EXPECT_EQ(LastPathSegment(Req("POST", "/sap/opu/odata/sap/SVC/$batch/")), "$batch");
  EXPECT_EQ(LastPathSegment(Req("PUT", "/x/StatusSet(Guid='AB')")), "StatusSet(Guid='AB')");
  EXPECT_EQ(LastPathSegment(Req("GET", "plain")), "plain");
}

struct Row {
  const char* method;
  const char* target;
  size_t body_size;
  bool may_block;
};

TEST(ODataEndpointTest, InlineWritesRunOnTheIoThreadOnlyWhereTheServiceSaysSo) {
  auto engine = SampleEngine();
  ODataMount mount{.engine = engine};
  mount.inline_writes = [](const http::Request& req) { return LastPathSegment(req) == "Inline"; };
  http::Endpoint e = ODataEndpoint(mount);
  const Row rows[] = {
      {"GET", "/svc/Things", 0, false},
      {"HEAD", "/svc/Things", 0, false},
      {"POST", "/svc/Inline", 100, false},
      {"POST", "/svc/Inline?x=1", http::kInlineBodyLimit, false},
      {"POST", "/svc/Inline", http::kInlineBodyLimit + 1, true},  // parsed on a worker
      {"POST", "/svc/Other", 10, true},
      {"POST", "/svc/$batch", 10, true},  // change sets commit where they end
      {"PUT", "/svc/Inline", 10, false},
  };
  for (const Row& row : rows)
    EXPECT_EQ(e.MayBlock(Req(row.method, row.target, row.body_size)), row.may_block) << row.method << " " << row.target;

  ODataMount plain{.engine = engine};
  http::Endpoint p = ODataEndpoint(plain);
  EXPECT_TRUE(p.MayBlock(Req("POST", "/svc/Inline", 10))) << "without inline_writes every write goes to a worker";
  EXPECT_FALSE(p.MayBlock(Req("GET", "/svc/Things")));

  // A store that waits on the network (PostgreSQL): reads go to workers unless inline_reads
  // takes them; inline writes stay inline (what would wait parks or hands over).
  ODataMount blocking{.engine = engine,
                      .blocking_reads = true,
                      .inline_reads = [](const http::Request& req) { return LastPathSegment(req) == "Parked"; },
                      .inline_writes = mount.inline_writes};
  http::Endpoint b = ODataEndpoint(blocking);
  EXPECT_FALSE(b.MayBlock(Req("POST", "/svc/Inline", 10)));
  EXPECT_TRUE(b.MayBlock(Req("POST", "/svc/Other", 10)));
  EXPECT_TRUE(b.MayBlock(Req("POST", "/svc/$batch", 10)));
  EXPECT_TRUE(b.MayBlock(Req("GET", "/svc/Things")));
  EXPECT_FALSE(b.MayBlock(Req("GET", "/svc/Parked")));
  EXPECT_FALSE(b.MayBlock(Req("HEAD", "/svc/Parked")));
  ODataMount no_inline_reads{.engine = engine, .blocking_reads = true};
  EXPECT_TRUE(ODataEndpoint(no_inline_reads).MayBlock(Req("GET", "/svc/Parked")));
  EXPECT_TRUE(ODataEndpoint(no_inline_reads).MayBlock(Req("POST", "/svc/Inline", 10)));
}

}  // namespace
}  // namespace causeway::services
