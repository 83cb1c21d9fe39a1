#include "soap/engine.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <atomic>
#include <filesystem>
#include <future>
#include <regex>
#include <thread>

#include "core/crypto.h"
#include "core/sha256.h"
#include "soap/testing/echo_wsdl.h"
#include "store/migration.h"
#include "store/sqlite/sqlite_database.h"

namespace causeway::soap {
namespace {

using namespace std::chrono_literals;

// Answers EchoRequest with the number of Items; an Item named "fail" makes Invoke fail, and
// `gate`, when set, holds Invoke until released (concurrency tests).
class EchoService final : public Service {
 public:
  EchoService() {
    d_.interface_name = "Echo";
    d_.interface_namespace = "urn:test:iface";
    d_.wsdl = testing::kEchoWsdl;
    d_.address_placeholder = "https://causeway.invalid/echo";
    d_.operations = {{"Echo", "urn:test:msg", "EchoRequest", false, true},
                     {"Other", "urn:test:msg", "OtherRequest", true, false}};
  }
  const ServiceDescription& Description() const override { return d_; }
  core::Result<Reply> Invoke(const Operation& op, XmlElement payload, const CallContext& ctx) const override {
    ++calls;
    last_user = ctx.user;
    if (entered) entered->set_value();
    if (gate) gate->wait();
    int items = 0;
    for (XmlElement c : payload.Children()) {
      if (c.LocalName() != "Item") continue;
      ++items;
      if (c.ChildText("Name") == "fail")
        return core::MakeError(core::Code::kBadRequest, "TEST", "001", "the service failed");
    }
    if (op.one_way) return Reply{};
    return Reply{"<n1:EchoResponse xmlns:n1=\"urn:test:msg\"><Count>" + std::to_string(items) + "</Count></n1:EchoResponse>"};
  }

  mutable std::atomic<int> calls{0};
  mutable std::string last_user;
  mutable std::promise<void>* entered = nullptr;
  std::shared_future<void>* gate = nullptr;

 private:
  ServiceDescription d_;
};

constexpr char kEnv11[] = "<s:Envelope xmlns:s=\"http://schemas.xmlsoap.org/soap/envelope/\"><s:Body>";
constexpr char kEnd11[] = "</s:Body></s:Envelope>";

std::string Echo(const std::string& uuid, const std::string& name = "a", const std::string& root = "EchoRequest") {
  std::string header = uuid.empty() ? "<BasicMessageHeader/>" : "<BasicMessageHeader><UUID>" + uuid + "</UUID></BasicMessageHeader>";
  return "<m:" + root + " xmlns:m=\"urn:test:msg\">" + header + "<Item actionCode=\"01\"><Name>" + name +
         "</Name></Item></m:" + root + ">";
}

class EngineTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("cw_soap_" + std::to_string(::getpid()) + "_" + ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
    Open();
  }
  void TearDown() override {
    engine_.reset();
    db_.reset();
    std::filesystem::remove_all(dir_);
  }
  void Open() {
    engine_.reset();
    db_.reset();
    auto db = store::sqlite::SqliteDatabase::Open({.path = (dir_ / "soap.db").string()});
    ASSERT_TRUE(db.ok()) << db.error().text;
    db_ = std::move(db).value();
    ASSERT_TRUE(store::Migrate(*db_, SoapMigrations()).ok());
    EngineOptions options;
    options.clock = &clock_;
    options.idempotency.response_retention = 1h;
    options.idempotency.id_retention = 2h;
    auto e = Engine::Create(service_, *db_, options);
    ASSERT_TRUE(e.ok()) << e.error().text;
    engine_ = std::move(e).value();
  }
  http::Response Post(const std::string& body, const std::string& content_type = "text/xml; charset=utf-8") {
    http::Request req;
    req.method = "POST";
    req.target = "/echo";
    req.headers.Add("Content-Type", content_type);
    req.body = body;
    return engine_->Handle(req, ctx_);
  }
  http::Response Get(const std::string& target) {
    http::Request req;
    req.method = "GET";
    req.target = target;
    return engine_->Handle(req, ctx_);
  }
  // The transaction ID of a generic fault (SOAP 1.1 or 1.2), checking its exact shape.
  std::string FaultId(const http::Response& r) {
    EXPECT_EQ(r.status, 500);
    static const std::regex k11(
        "^<soap-env:Envelope xmlns:soap-env=\"http://schemas.xmlsoap.org/soap/envelope/\"><soap-env:Header/>"
        "<soap-env:Body><soap-env:Fault><faultcode>soap-env:Server</faultcode><faultstring xml:lang=\"en\">"
        "Web service processing error; more details in the web service error log on provider side "
        "\\(UTC timestamp 20240501080000; Transaction ID ([0-9A-F]{32})\\)</faultstring><detail/>"
        "</soap-env:Fault></soap-env:Body></soap-env:Envelope>$");
    static const std::regex k12(
        "^<env:Envelope xmlns:env=\"http://www.w3.org/2003/05/soap-envelope\"><env:Header/><env:Body>"
        "<env:Fault><env:Code><env:Value>env:Receiver</env:Value></env:Code><env:Reason>"
        "<env:Text xml:lang=\"en\">Web service processing error; more details in the web service error "
        "log on provider side \\(UTC timestamp 20240501080000; Transaction ID ([0-9A-F]{32})\\)"
        "</env:Text></env:Reason><env:Detail/></env:Fault></env:Body></env:Envelope>$");
    std::smatch m;
    if (std::regex_match(r.body, m, k11) || std::regex_match(r.body, m, k12)) return m[1].str();
    ADD_FAILURE() << "not a generic fault: " << r.body;
    return "";
  }
  ErrorLogEntry Logged(const std::string& txid) {
    auto e = engine_->error_log().Find(txid);
    EXPECT_TRUE(e.ok());
    EXPECT_TRUE(e->has_value()) << txid;
    return e->value_or(ErrorLogEntry{});
  }

  std::filesystem::path dir_;
  core::ManualClock clock_{core::FromUnixMillis(1714550400000)};  // 2024-05-01T08:00:00Z
  std::shared_ptr<EchoService> service_ = std::make_shared<EchoService>();
  std::unique_ptr<store::sqlite::SqliteDatabase> db_;
  std::unique_ptr<Engine> engine_;
  CallContext ctx_{"TASK_SYNC", "100", "EN", "https://host.example:8443"};
};

TEST_F(EngineTest, ServesTheWsdlWithTheAddressTheClientUsed) {
  for (const char* q : {"/echo?wsdl", "/echo?WSDL", "/echo?sap-client=100&Wsdl="}) {
    http::Response r = Get(q);
    EXPECT_EQ(r.status, 200) << q;
    EXPECT_EQ(r.headers.Get("content-type").value_or(""), "text/xml; charset=utf-8");
    EXPECT_NE(r.body.find("location=\"https://host.example:8443/echo?sap-vhost=host.example\""), std::string::npos) << r.body;
    EXPECT_EQ(r.body.find("causeway.invalid"), std::string::npos);
  }
  http::Response v = Get("/echo?sap-vhost=my.tenant.example&wsdl");
  EXPECT_NE(v.body.find("location=\"https://host.example:8443/echo?sap-vhost=my.tenant.example\""), std::string::npos);
  EXPECT_EQ(Get("/echo").status, 405);
}

// A Host may carry '&' (an RFC 3986 sub-delim): the address is an attribute value, escaped.
TEST_F(EngineTest, TheWsdlAddressIsEscapedForItsAttribute) {
  ctx_.base_url = "http://o'k&co.example:8080";
  http::Response r = Get("/echo?wsdl");
  EXPECT_NE(r.body.find("location=\"http://o'k&amp;co.example:8080/echo?sap-vhost=o'k&amp;co.example\""),
            std::string::npos)
      << r.body;
  EXPECT_EQ(r.body.find("k&co"), std::string::npos);
}

TEST_F(EngineTest, Soap11AndSoap12OnTheSameUrl) {
  http::Response r11 = Post(kEnv11 + Echo("") + kEnd11);
  EXPECT_EQ(r11.status, 200);
  EXPECT_EQ(r11.headers.Get("content-type").value_or(""), "text/xml; charset=utf-8");
  EXPECT_EQ(r11.body,
            "<soap-env:Envelope xmlns:soap-env=\"http://schemas.xmlsoap.org/soap/envelope/\"><soap-env:Header/>"
            "<soap-env:Body><n1:EchoResponse xmlns:n1=\"urn:test:msg\"><Count>1</Count></n1:EchoResponse>"
            "</soap-env:Body></soap-env:Envelope>");
  http::Response r12 = Post("<e:Envelope xmlns:e=\"http://www.w3.org/2003/05/soap-envelope\"><e:Body>" + Echo("") + "</e:Body></e:Envelope>",
                            "application/soap+xml;charset=UTF-8;action=\"anything\"");
  EXPECT_EQ(r12.status, 200);
  EXPECT_EQ(r12.headers.Get("content-type").value_or(""), "application/soap+xml; charset=utf-8");
  EXPECT_EQ(r12.body.rfind("<env:Envelope xmlns:env=\"http://www.w3.org/2003/05/soap-envelope\"><env:Header/><env:Body>"
                           "<n1:EchoResponse",
                           0),
            0u);
  EXPECT_EQ(service_->calls, 2);
  EXPECT_EQ(service_->last_user, "TASK_SYNC");
}

TEST_F(EngineTest, OneWayOperationsAreAcceptedWithoutBody) {
  http::Response r = Post(kEnv11 + Echo("", "a", "OtherRequest") + kEnd11);
  EXPECT_EQ(r.status, 202);
  EXPECT_TRUE(r.body.empty());
}

struct FaultCase {
  const char* name;
  std::string body;
  std::string content_type;
  const char* category;
  const char* code;
};

class EngineFaults : public EngineTest, public ::testing::WithParamInterface<FaultCase> {};

TEST_P(EngineFaults, AreGenericFaultsWithTheDetailsInTheErrorLog) {
  const FaultCase& c = GetParam();
  http::Response r = Post(c.body, c.content_type);
  std::string txid = FaultId(r);
  ErrorLogEntry e = Logged(txid);
  EXPECT_EQ(e.category, c.category);
  EXPECT_EQ(e.error_code, c.code) << e.detail;
  EXPECT_EQ(e.service, "Echo");
  EXPECT_EQ(e.user, "TASK_SYNC");
  EXPECT_FALSE(e.detail.empty());
}

INSTANTIATE_TEST_SUITE_P(
    Cases, EngineFaults,
    ::testing::Values(
        FaultCase{"not_xml", "<s:Envelope", "text/xml", "parse", "CAUSEWAY/SOAP/001"},
        FaultCase{"doctype", "<!DOCTYPE x [<!ENTITY e \"x\">]><x/>", "text/xml", "parse", "CAUSEWAY/SOAP/002"},
        FaultCase{"not_xml_12", "garbage", "application/soap+xml", "parse", "CAUSEWAY/SOAP/001"},
        FaultCase{"json", "{}", "application/json", "envelope", "CAUSEWAY/SOAP/011"},
        FaultCase{"version_mismatch", kEnv11 + Echo("") + kEnd11, "application/soap+xml", "envelope", "CAUSEWAY/SOAP/012"},
        FaultCase{"wrong_root_namespace",
                  std::string(kEnv11) + "<m:EchoRequest xmlns:m=\"urn:wrong\"/>" + kEnd11, "text/xml", "dispatch",
                  "CAUSEWAY/SOAP/013"},
        FaultCase{"schema", std::string(kEnv11) + "<m:EchoRequest xmlns:m=\"urn:test:msg\"><Item/></m:EchoRequest>" + kEnd11,
                  "text/xml", "schema", "CAUSEWAY/SOAP/010"},
        FaultCase{"application", kEnv11 + Echo("", "fail") + kEnd11, "text/xml", "application", "TEST/001"}),
    [](const auto& test_case) { return std::string(test_case.param.name); });

TEST_F(EngineTest, ExtensionFieldsInForeignNamespacesAreIgnored) {
  std::string body = std::string(kEnv11) +
                     "<m:EchoRequest xmlns:m=\"urn:test:msg\" xmlns:x=\"http://1234-one-off.sap.com/Y6SAJ0KGY_\">"
                     "<BasicMessageHeader/><Item><Name>a</Name><x:Field>1</x:Field></Item></m:EchoRequest>" + kEnd11;
  http::Response r = Post(body);
  EXPECT_EQ(r.status, 200) << r.body;
}

TEST_F(EngineTest, RepeatWithTheSameUuidGetsTheStoredResponse) {
  const std::string uuid = "0b9e1f2a-4c3d-4e5f-8a7b-6c5d4e3f2a10";
  http::Response first = Post(kEnv11 + Echo(uuid) + kEnd11);
  ASSERT_EQ(first.status, 200);
  // Other prefixes and SOAP 1.2: the same message.
  http::Response again = Post("<e:Envelope xmlns:e=\"http://www.w3.org/2003/05/soap-envelope\"><e:Body>"
                              "<q:EchoRequest xmlns:q=\"urn:test:msg\"><BasicMessageHeader><UUID>" + uuid +
                                  "</UUID></BasicMessageHeader><Item actionCode=\"01\"><Name>a</Name></Item>"
                                  "</q:EchoRequest></e:Body></e:Envelope>",
                              "application/soap+xml");
  EXPECT_EQ(again.status, 200);
  EXPECT_NE(again.body.find("<Count>1</Count>"), std::string::npos);
  EXPECT_EQ(service_->calls, 1);

  // A different payload under the same UUID is refused.
  std::string txid = FaultId(Post(kEnv11 + Echo(uuid, "b") + kEnd11));
  EXPECT_EQ(Logged(txid).error_code, "CAUSEWAY/SOAP/030");
  EXPECT_EQ(Logged(txid).category, "idempotency");
  EXPECT_EQ(service_->calls, 1);
}

TEST_F(EngineTest, StoredResponsesSurviveARestart) {
  const std::string uuid = "11111111-2222-3333-4444-555555555555";
  ASSERT_EQ(Post(kEnv11 + Echo(uuid) + kEnd11).status, 200);
  Open();
  EXPECT_EQ(Post(kEnv11 + Echo(uuid) + kEnd11).status, 200);
  EXPECT_EQ(service_->calls, 1);
}

TEST_F(EngineTest, RetentionWindows) {
  const std::string uuid = "11111111-2222-3333-4444-555555555555";
  ASSERT_EQ(Post(kEnv11 + Echo(uuid) + kEnd11).status, 200);
  clock_.Advance(90min);  // the response is dropped, the ID still registered: an error
  http::Response again = Post(kEnv11 + Echo(uuid) + kEnd11);
  EXPECT_EQ(again.status, 500);
  std::smatch m;
  ASSERT_TRUE(std::regex_search(again.body, m, std::regex("Transaction ID ([0-9A-F]{32})")));
  EXPECT_EQ(Logged(m[1].str()).error_code, "CAUSEWAY/SOAP/031");
  EXPECT_EQ(service_->calls, 1);
  clock_.Advance(1h);  // past the ID window: a new message
  EXPECT_EQ(Post(kEnv11 + Echo(uuid) + kEnd11).status, 200);
  EXPECT_EQ(service_->calls, 2);
}

TEST_F(EngineTest, ARepeatWhileTheFirstRunsWaitsForIt) {
  const std::string uuid = "aaaaaaaa-2222-3333-4444-555555555555";
  std::promise<void> entered, release;
  std::shared_future<void> gate = release.get_future().share();
  service_->entered = &entered;
  service_->gate = &gate;
  auto first = std::async(std::launch::async, [&] { return Post(kEnv11 + Echo(uuid) + kEnd11); });
  entered.get_future().wait();
  service_->entered = nullptr;
  auto second = std::async(std::launch::async, [&] { return Post(kEnv11 + Echo(uuid) + kEnd11); });
  release.set_value();
  http::Response a = first.get(), b = second.get();
  EXPECT_EQ(a.status, 200);
  EXPECT_EQ(b.status, 200);
  EXPECT_EQ(a.body, b.body);
  EXPECT_EQ(service_->calls, 1);
}

TEST_F(EngineTest, AFaultIsNotStoredSoARetryIsProcessed) {
  const std::string uuid = "bbbbbbbb-2222-3333-4444-555555555555";
  EXPECT_EQ(Post(kEnv11 + Echo(uuid, "fail") + kEnd11).status, 500);
  EXPECT_EQ(Post(kEnv11 + Echo(uuid, "fail") + kEnd11).status, 500);
  EXPECT_EQ(service_->calls, 2);
}

// The digest stored with an idempotent request is SHA-256 over a fixed rendering of the tree
// (stored digests must keep matching across versions): namespace URIs, names, attributes and
// non-blank text, each followed by 0x1f; prefixes and blank-only text do not count.
TEST(PayloadDigestTest, HashesTheTreesFixedRendering) {
  auto env = ParseEnvelope(std::string(kEnv11) + "<p:R xmlns:p=\"urn:x\" a=\"1\">\n  <C>t</C> <q:D xmlns:q=\"urn:y\"/></p:R>" + kEnd11, {});
  ASSERT_TRUE(env.ok()) << env.error().text;
  std::string input;
  for (std::string_view part : {"<", "urn:x", "R", "@", "", "a", "1", "<", "", "C", "T", "t", ">", "<", "urn:y", "D", ">", ">"}) {
    input += part;
    input += '\x1f';
  }
  auto d = core::Sha256::Hash(input);
  EXPECT_EQ(PayloadDigest(env->payload), core::HexEncode(std::string_view(reinterpret_cast<const char*>(d.data()), d.size())));
  auto other_prefixes =
      ParseEnvelope(std::string(kEnv11) + "<R xmlns=\"urn:x\" a=\"1\"><C xmlns=\"\">t</C><D xmlns=\"urn:y\"/></R>" + kEnd11, {});
  ASSERT_TRUE(other_prefixes.ok());
  EXPECT_EQ(PayloadDigest(other_prefixes->payload), PayloadDigest(env->payload));
}

TEST_F(EngineTest, GateRefusalsInSoapForm) {
  http::Request req;
  req.method = "POST";
  req.target = "/echo";
  req.user = "NOARR";
  req.headers.Add("content-type", "text/xml");
  req.body = kEnv11 + Echo("") + kEnd11;
  http::Response forbidden = engine_->FaultResponse(
      req, core::MakeError(core::Code::kForbidden, "/IWFND/CM_CONSUMER", "101", "no arrangement"));
  EXPECT_EQ(forbidden.status, 500);
  std::smatch m;
  ASSERT_TRUE(std::regex_search(
      forbidden.body, m,
      std::regex("<faultstring xml:lang=\"en\">Authorization role missing for service \"ServiceInterface "
                 "urn:test:iface Echo &lt;default&gt; &lt;default&gt;\", operation \"Operation urn:test:iface "
                 "Echo\" \\(UTC timestamp 20240501080000; Transaction ID ([0-9A-F]{32})\\)</faultstring>")))
      << forbidden.body;
  EXPECT_EQ(Logged(m[1].str()).category, "authorization");
  EXPECT_EQ(Logged(m[1].str()).user, "NOARR");

  http::Response unauthorized =
      engine_->FaultResponse(req, core::MakeError(core::Code::kUnauthorized, "", "", "Logon failed"));
  EXPECT_EQ(unauthorized.status, 401);
  EXPECT_EQ(unauthorized.headers.Get("www-authenticate").value_or(""),
            "Basic realm=\"SAP NetWeaver Application Server [CWY/100]\"");
}

}  // namespace
}  // namespace causeway::soap
