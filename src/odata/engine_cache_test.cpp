// The engine's read cache (Service::ReadVersion): repeated identical reads are answered without
// the service, and nothing that changes the answer can reuse an entry.
#include <gtest/gtest.h>

#include <atomic>

#include "core/clock.h"
#include "odata/engine.h"
#include "odata/query_memory.h"

namespace causeway::odata {
namespace {

class CountingService : public Service {
 public:
  mutable std::atomic<int> set_reads{0};
  mutable std::atomic<int> entity_reads{0};
  std::atomic<uint64_t> version{1};
  std::atomic<bool> versioned{true};
  std::atomic<bool> with_message{false};
  std::string text = "first";

  ServiceInfo Info() const override {
    ServiceInfo i;
    i.service_id = "ZCACHE";
    return i;
  }
  // Read-only service: a change set has nothing to make atomic.
  core::Status RunChangeSet(Context&, const std::function<core::Status()>& operations) const override {
    return operations();
  }
  Schema DefineSchema() const override {
    Schema s;
    s.namespace_name = "ZCACHE";
    EntityType t;
    t.name = "Item";
    Property id;
    id.name = "Id";
    id.nullable = false;
    Property text_prop;
    text_prop.name = "Text";
    t.properties = {id, text_prop};
    t.keys = {"Id"};
    NavigationProperty self;
    self.name = "Self";
    self.relationship = "ItemSelf";
    self.from_role = "From";
    self.to_role = "To";
    t.navigation = {self};
    s.entity_types = {t};
    Association a;
    a.name = "ItemSelf";
    a.end1 = {"Item", "0..1", "From"};
    a.end2 = {"Item", "0..1", "To"};
    s.associations = {a};
    EntitySet set;
    set.name = "Items";
    set.entity_type = "Item";
    s.entity_sets = {set};
    return s;
  }
  std::vector<Entity> Rows() const {
    return {Entity{{Value("A"), Value(text)}, {}}, Entity{{Value("B"), Value("other")}, {}}};
  }
  core::Result<EntityCollection> ReadEntitySet(const EntitySet& set, const QueryOptions& q, Context& ctx) const override {
    ++set_reads;
    if (with_message) ctx.messages.push_back(core::ErrorDetail{"Z/001", "note", "", core::Severity::kInfo});
    return ApplyQueryInMemory(set, DefineSchema().entity_types[0], Rows(), q);
  }
  core::Result<std::optional<Entity>> ReadEntity(const EntitySet&, const KeyValues& key, Context&) const override {
    ++entity_reads;
    for (auto& e : Rows())
      if (e.values[0] == key[0]) return std::optional(e);
    return std::optional<Entity>();
  }
  core::Result<EntityCollection> ReadNavigation(const EntitySet&, const KeyValues&, const NavigationTarget&,
                                                const QueryOptions&, Context&) const override {
    return EntityCollection{};
  }
  std::optional<uint64_t> ReadVersion(const EntitySet&) const override {
    if (!versioned) return std::nullopt;
    return version.load();
  }
};

class EngineCacheTest : public ::testing::Test {
 protected:
  EngineCacheTest() : clock_(core::SystemTime(std::chrono::seconds(1700000000))) {
    service_ = std::make_shared<CountingService>();
    EngineOptions o;
    o.clock = &clock_;
    engine_ = std::move(Engine::Create(service_, o)).value();
  }

  http::Response Get(std::string path, std::string query, std::string language = "EN", std::string host = "h") {
    http::Request req;
    req.method = "GET";
    req.sap_language = language;
    RoutedRequest r;
    r.service_root_url = "http://" + host + "/sap/opu/odata/sap/ZCACHE/";
    r.resource_path = std::move(path);
    r.query = std::move(query);
    return engine_->Handle(req, r);
  }

  core::ManualClock clock_;
  std::shared_ptr<CountingService> service_;
  std::unique_ptr<Engine> engine_;
};

TEST_F(EngineCacheTest, RepeatedReadIsServedWithoutTheService) {
  auto first = Get("Items", "$format=json");
  auto second = Get("Items", "$format=json");
  EXPECT_EQ(service_->set_reads, 1);
  EXPECT_EQ(first.status, 200);
  EXPECT_EQ(second.body_view(), first.body_view());
  EXPECT_EQ(second.headers.items(), first.headers.items());
  // Hits share the stored bytes instead of copying them.
  auto third = Get("Items", "$format=json");
  ASSERT_NE(second.shared_body, nullptr);
  EXPECT_EQ(third.shared_body, second.shared_body);
  EXPECT_TRUE(third.body.empty());
  Get("Items('A')", "$format=json");
  Get("Items('A')", "$format=json");
  EXPECT_EQ(service_->entity_reads, 1);
}

TEST_F(EngineCacheTest, NewVersionReachesTheServiceAndShowsNewData) {
  auto before = Get("Items", "$format=json");
  service_->text = "second";
  service_->version = 2;
  auto after = Get("Items", "$format=json");
  EXPECT_EQ(service_->set_reads, 2);
  EXPECT_NE(after.body_view().find("second"), std::string_view::npos);
  EXPECT_EQ(before.body_view().find("second"), std::string_view::npos);
}

TEST_F(EngineCacheTest, EverythingTheAnswerDependsOnIsInTheKey) {
  Get("Items", "$format=json");
  Get("Items", "");                      // Atom
  Get("Items", "$format=json&$top=1");   // other options
  Get("Items", "$format=json", "DE");    // language
  Get("Items", "$format=json", "EN", "other-host");  // absolute URLs in the body
  EXPECT_EQ(service_->set_reads, 5);
  auto other_host = Get("Items", "$format=json", "EN", "other-host");
  EXPECT_NE(other_host.body_view().find("http://other-host/"), std::string_view::npos);
  EXPECT_EQ(service_->set_reads, 5);
}

TEST_F(EngineCacheTest, AtomIsReusedOnlyWithinItsUpdatedSecond) {
  auto a = Get("Items", "");
  Get("Items", "");
  EXPECT_EQ(service_->set_reads, 1);
  clock_.Advance(std::chrono::seconds(1));
  auto b = Get("Items", "");
  EXPECT_EQ(service_->set_reads, 2);
  EXPECT_NE(a.body_view(), b.body_view());  // <updated> moved on
}

TEST_F(EngineCacheTest, BatchPartAnsweredFromTheCacheCarriesTheBody) {
  auto direct = Get("Items", "$format=json");
  http::Request req;
  req.method = "POST";
  req.sap_language = "EN";
  req.headers.Add("content-type", "multipart/mixed; boundary=b1");
  req.body = "--b1\r\ncontent-type: application/http\r\ncontent-transfer-encoding: binary\r\n\r\n"
             "GET Items?$format=json HTTP/1.1\r\n\r\n\r\n--b1--\r\n";
  RoutedRequest r;
  r.service_root_url = "http://h/sap/opu/odata/sap/ZCACHE/";
  r.resource_path = "$batch";
  auto batch = engine_->Handle(req, r);
  EXPECT_EQ(service_->set_reads, 1);  // the part was a hit
  EXPECT_EQ(batch.status, 202);
  std::string expected_length = "content-length: " + std::to_string(direct.body_view().size()) + "\r\n\r\n";
  EXPECT_NE(batch.body.find(expected_length + std::string(direct.body_view())), std::string::npos) << batch.body;
}

TEST_F(EngineCacheTest, NotCachedWithoutVersionExpandErrorsOrMessages) {
  service_->versioned = false;
  Get("Items", "$format=json");
  Get("Items", "$format=json");
  EXPECT_EQ(service_->set_reads, 2);
  service_->versioned = true;
  Get("Items", "$format=json&$expand=Self");
  Get("Items", "$format=json&$expand=Self");
  EXPECT_EQ(service_->set_reads, 4);
  EXPECT_EQ(Get("Items('Z')", "$format=json").status, 404);
  EXPECT_EQ(Get("Items('Z')", "$format=json").status, 404);
  EXPECT_EQ(service_->entity_reads, 2);
  service_->with_message = true;
  auto m1 = Get("Items", "$format=json&$skip=1");
  auto m2 = Get("Items", "$format=json&$skip=1");
  EXPECT_EQ(service_->set_reads, 6);
  EXPECT_TRUE(m2.headers.Has("sap-message"));
}

TEST(ResponseCacheTest, BoundedOldestFirst) {
  ResponseCache::Limits limits;
  limits.max_entries = 2;
  limits.max_body_bytes = 100;
  limits.max_total_bytes = 1000;
  ResponseCache cache(limits);
  http::Response r(200, "text/plain", "x");
  cache.Store("a", r);
  cache.Store("b", r);
  cache.Store("c", r);
  EXPECT_EQ(cache.entries(), 2u);
  EXPECT_EQ(cache.Find("a"), nullptr);
  EXPECT_NE(cache.Find("b"), nullptr);
  EXPECT_NE(cache.Find("c"), nullptr);
  http::Response big(200, "text/plain", std::string(101, 'x'));
  cache.Store("big", big);
  EXPECT_EQ(cache.Find("big"), nullptr);
  http::Response bulky(200, "text/plain", std::string(90, 'x'));
  limits.max_entries = 100;
  limits.max_total_bytes = 250;
  ResponseCache small(limits);
  for (const char* k : {"1", "2", "3", "4"}) small.Store(k, bulky);
  EXPECT_LE(small.total_bytes(), 250u);
  EXPECT_NE(small.Find("4"), nullptr);
  EXPECT_EQ(small.Find("1"), nullptr);
}

}  // namespace
}  // namespace causeway::odata
