// ManageTaskActivityIn in process: router → endpoint → engine → service → domain → SQLite.
#include <gtest/gtest.h>
#include <unistd.h>

#include <atomic>
#include <filesystem>
#include <regex>

#include "domain/activities/task_activities.h"
#include "services/task_activity/testing/task_activity_stack.h"
#include "soap/engine.h"
#include "soap/envelope.h"
#include "store/sqlite/sqlite_database.h"

namespace causeway::services::task_activity {
namespace {

constexpr char kPath[] = "/sap/bc/srt/scs/sap/managetaskactivityin";

std::string Envelope(const std::string& payload) {
  return "<soapenv:Envelope xmlns:soapenv=\"http://schemas.xmlsoap.org/soap/envelope/\"><soapenv:Header/><soapenv:Body>" +
         payload + "</soapenv:Body></soapenv:Envelope>";
}

std::string Request(const std::string& tasks, const std::string& root = "TaskActivityBundleMaintainRequest_sync_V1",
                    const std::string& header = "<BasicMessageHeader><ID>00000000000102dcade9bcb0aa000c68</ID></BasicMessageHeader>") {
  return Envelope("<n0:" + root + " xmlns:n0=\"http://sap.com/xi/SAPGlobal20/Global\">" + header + tasks + "</n0:" + root + ">");
}

// The store as the module sees it: passes everything through until writes are switched to fail
// at commit (a disk that stopped).
class SwitchableWrites final : public store::Database {
 public:
  explicit SwitchableWrites(store::Database& inner) : inner_(inner) {}
  void WriteAsync(store::TxFn fn, store::WriteDone done) override {
    if (failing) return done(core::MakeError(core::Code::kInternal, "CAUSEWAY/STORE", "006", "commit failed"));
    inner_.WriteAsync(std::move(fn), std::move(done));
  }
  store::Status Read(store::TxFn fn) override { return inner_.Read(std::move(fn)); }
  std::string Health() override { return inner_.Health(); }
  std::string Kind() const override { return inner_.Kind(); }

  std::atomic<bool> failing{false};

 private:
  store::Database& inner_;
};

class TaskActivityServiceTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("cw_tas_" + std::to_string(::getpid()) + "_" + ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
    auto db = store::sqlite::SqliteDatabase::Open({.path = (dir_ / "t.db").string()});
    ASSERT_TRUE(db.ok());
    db_ = std::move(db).value();
    store_ = std::make_unique<SwitchableWrites>(*db_);
    auto stack = testing::StartTaskActivity(*store_, clock_, router_);
    ASSERT_TRUE(stack.ok()) << stack.error().text;
    stack_ = std::move(stack).value();
    module_ = stack_.module.get();
  }
  void TearDown() override {
    stack_ = {};
    store_.reset();
    db_.reset();
    std::filesystem::remove_all(dir_);
  }
  http::Response Call(const std::string& method, const std::string& target, const std::string& body = "",
                      const std::string& content_type = "text/xml; charset=utf-8") {
    http::Request req;
    req.method = method;
    req.target = target;
    req.headers.Add("Host", "causeway.test:8443");
    req.headers.Add("Content-Type", content_type);
    req.headers.Add("SOAPAction", "\"\"");
    req.tls = true;
    req.user = "TASK_SYNC";
    req.body = body;
    return Answered(router_.Handle(req));
  }
  // What the server sends: once `after` completed (replaced by on_failure if that failed), the
  // bytes of a shared body as the body.
  static http::Response Answered(http::Response r) {
    if (r.after) {
      core::Status st = r.after->Wait();
      r.after.reset();
      if (!st.ok()) {
        auto on_failure = std::move(r.on_failure);
        r = on_failure(st.error());
      }
    }
    if (r.shared_body) {
      r.body = *r.shared_body;
      r.shared_body.reset();
    }
    return r;
  }
  // The response payload validates against the WSDL's own schema: schema order, nothing undeclared.
  void ExpectValidResponse(const http::Response& r) {
    auto env = soap::ParseEnvelope(r.body, {});
    ASSERT_TRUE(env.ok()) << r.body;
    auto schemas = module_->engine().Schemas();
    ASSERT_TRUE(schemas.ok()) << schemas.error().text;
    core::Status st = (*schemas)->Validate(env->payload);
    EXPECT_TRUE(st.ok()) << st.error().text << "\n" << r.body;
  }

  std::filesystem::path dir_;
  core::ManualClock clock_{core::FromUnixMillis(1714550400000)};
  std::unique_ptr<store::sqlite::SqliteDatabase> db_;
  std::unique_ptr<SwitchableWrites> store_;
  http::Router router_{nullptr};
  testing::TaskActivityStack stack_;
  TaskActivityModule* module_ = nullptr;
};

TEST_F(TaskActivityServiceTest, WsdlAtTheEndpointAndItsSuffix) {
  for (std::string path : {std::string(kPath), std::string(kPath) + "1"}) {
    http::Response r = Call("GET", path + "?sap-vhost=my.tenant.example&WSDL");
    EXPECT_EQ(r.status, 200) << path;
    EXPECT_NE(r.body.find("<soap:address location=\"https://causeway.test:8443" + path + "?sap-vhost=my.tenant.example\"/>"),
              std::string::npos);
  }
  EXPECT_EQ(Call("GET", std::string(kPath) + "2?wsdl").status, 404);
}

TEST_F(TaskActivityServiceTest, SapExampleCreatesATask) {
  http::Response r = Call(
      "POST", kPath,
      Request(
          "<ActivityTask actionCode=\"01\"><ObjectNodeSenderTechnicalID>1</ObjectNodeSenderTechnicalID>"
          "<Name>Meeting "
          "Preperation</Name><PriorityCode>1</PriorityCode><InformationSensitivityCode>1</InformationSensitivityCode>"
          "<ScheduledPeriod><StartDateTime timeZoneCode=\"CET\">2012-06-28T12:00:00.0000000Z</StartDateTime>"
          "<EndDateTime timeZoneCode=\"CET\">2012-06-30T12:00:00.0000000Z</EndDateTime></ScheduledPeriod>"
          "<Text actionCode=\"01\"><TextTypeCode>10002</TextTypeCode><ContentText>Meeting Preparation for a new "
          "customer</ContentText>"
          "<CreationDateTime>2006-03-28T12:00:00.1234567Z</CreationDateTime></Text>"
          "<ProcessorParty><BusinessPartnerInternalID>MC2471</BusinessPartnerInternalID></ProcessorParty>"
          "<EmployeeResponsibleParty><BusinessPartnerInternalID>MC2471</BusinessPartnerInternalID></"
          "EmployeeResponsibleParty>"
          "<MainActivityParty><BusinessPartnerInternalID>MC9785</BusinessPartnerInternalID></MainActivityParty></"
          "ActivityTask>"));
  ASSERT_EQ(r.status, 200) << r.body;
  std::regex shape(
      "^<soap-env:Envelope xmlns:soap-env=\"http://schemas.xmlsoap.org/soap/envelope/\"><soap-env:Header/><soap-env:Body>"
      "<n0:TaskActivityBundleMaintainConfirmation_sync_V1 xmlns:n0=\"http://sap.com/xi/SAPGlobal20/Global\" "
      "xmlns:prx=\"urn:sap.com:proxy:CWY:/1SAI/[0-9A-Z]+:804\"><ActivityTask><ReferenceObjectNodeSenderTechnicalID>1"
      "</ReferenceObjectNodeSenderTechnicalID><ChangeStateID>20240501080000\\.[0-9]{7}</ChangeStateID><UUID>[0-9a-f-]{36}</UUID>"
      "<ID>1</ID></ActivityTask><Log><BusinessDocumentProcessingResultCode>3</BusinessDocumentProcessingResultCode></Log>"
      "</n0:TaskActivityBundleMaintainConfirmation_sync_V1></soap-env:Body></soap-env:Envelope>$");
  EXPECT_TRUE(std::regex_match(r.body, shape)) << r.body;
  ExpectValidResponse(r);
  auto t = module_->activities().FindTask("1");
  ASSERT_TRUE(t.ok() && t->has_value());
  EXPECT_EQ((*t)->name, "Meeting Preperation");
  EXPECT_EQ((*t)->texts.at(0).content, "Meeting Preparation for a new customer");
  EXPECT_EQ((*t)->period->start_time_zone, "CET");
}

TEST_F(TaskActivityServiceTest, BusinessErrorsAreLogItemsWithHttp200) {
  http::Response r = Call("POST", std::string(kPath) + "1",
                          Request("<ActivityTask><ObjectNodeSenderTechnicalID>A</ObjectNodeSenderTechnicalID>"
                                  "<MainActivityParty><BusinessPartnerInternalID>NOPE</BusinessPartnerInternalID></MainActivityParty>"
                                  "</ActivityTask>"));
  ASSERT_EQ(r.status, 200);
  EXPECT_NE(r.body.find("<Log><BusinessDocumentProcessingResultCode>5</BusinessDocumentProcessingResultCode>"
                        "<MaximumLogItemSeverityCode>3</MaximumLogItemSeverityCode><Item><TypeID>004(CAUSEWAY/ACTIVITY)</TypeID>"
                        "<SeverityCode>3</SeverityCode><ReferenceObjectNodeSenderTechnicalID>A</ReferenceObjectNodeSenderTechnicalID>"
                        "<Note>Business partner NOPE does not exist</Note></Item></Log>"),
            std::string::npos)
      << r.body;
  ExpectValidResponse(r);
}

TEST_F(TaskActivityServiceTest, CheckMaintainBundleWritesNothing) {
  http::Response r = Call("POST", kPath,
                          Request("<ActivityTask actionCode=\"01\"><Name>x</Name></ActivityTask>",
                                  "TaskActivityRequestBundleCheckMaintainQuery_sync_V1"),
                          "application/soap+xml; charset=utf-8");
  EXPECT_EQ(r.status, 400 + 100) << "a 1.1 envelope sent as SOAP 1.2 is a fault";
  r = Call("POST", kPath,
           "<env:Envelope xmlns:env=\"http://www.w3.org/2003/05/soap-envelope\"><env:Body>"
           "<n0:TaskActivityRequestBundleCheckMaintainQuery_sync_V1 xmlns:n0=\"http://sap.com/xi/SAPGlobal20/Global\">"
           "<ActivityTask actionCode=\"01\"><Name>x</Name></ActivityTask></n0:TaskActivityRequestBundleCheckMaintainQuery_sync_V1>"
           "</env:Body></env:Envelope>",
           "application/soap+xml; charset=utf-8; action=\"http://sap.com/xi/A1S/Global/ManageTaskActivityIn/CheckMaintainBundleRequest\"");
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_NE(r.body.find("<n0:TaskActivityConfirmationBundleCheckMaintainResponse_sync_V1 "), std::string::npos);
  EXPECT_EQ(r.body.find("<ID>"), std::string::npos);
  ExpectValidResponse(r);
  EXPECT_TRUE(module_->activities().ListTasks(0, 10)->empty());
}

TEST_F(TaskActivityServiceTest, SchemaViolationsAreFaultsExplainedInTheErrorLog) {
  http::Response r = Call("POST", kPath, Request("<ActivityTask actionCode=\"07\"><Name>x</Name></ActivityTask>"));
  ASSERT_EQ(r.status, 500);
  std::smatch m;
  ASSERT_TRUE(std::regex_search(r.body, m, std::regex("Transaction ID ([0-9A-F]{32})")));
  http::Request get;
  get.method = "GET";
  get.target = "/_causeway/task-activity/errors/" + m[1].str();
  http::Response e = router_.Handle(get);
  EXPECT_EQ(e.status, 200);
  EXPECT_NE(e.body.find("\"category\":\"schema\""), std::string::npos) << e.body;
  EXPECT_NE(e.body.find("actionCode"), std::string::npos) << e.body;
}

TEST_F(TaskActivityServiceTest, ControlPlaneListsTasksAndAddsPartners) {
  http::Request put;
  put.method = "PUT";
  put.target = "/_causeway/task-activity/partners/ZNEW1";
  put.body = R"({"kind":"account","name":"New Account"})";
  EXPECT_EQ(router_.Handle(put).status, 200);
  http::Response r = Call("POST", kPath,
                          Request("<ActivityTask><MainActivityParty><BusinessPartnerInternalID>ZNEW1</BusinessPartnerInternalID>"
                                  "</MainActivityParty></ActivityTask>"));
  EXPECT_NE(r.body.find("<BusinessDocumentProcessingResultCode>3<"), std::string::npos) << r.body;
  http::Request list;
  list.method = "GET";
  list.target = "/_causeway/task-activity/tasks?limit=5";
  http::Response l = router_.Handle(list);
  EXPECT_EQ(l.status, 200);
  EXPECT_NE(l.body.find("\"business_partner_id\":\"ZNEW1\""), std::string::npos) << l.body;
  list.target = "/_causeway/task-activity/tasks/99";
  EXPECT_EQ(router_.Handle(list).status, 404);
  // An ID with a space travels percent-encoded in the path and is stored decoded.
  http::Request spaced = put;
  spaced.target = "/_causeway/task-activity/partners/Z%20SPACE";
  spaced.body = R"({"id":"Z SPACE","kind":"account","name":"Spaced"})";
  http::Response s = router_.Handle(spaced);
  EXPECT_EQ(s.status, 200) << s.body;
  EXPECT_NE(s.body.find("\"id\":\"Z SPACE\""), std::string::npos) << s.body;
  // What the control plane shows can be sent back; a field a partner does not have, a value of
  // the wrong type or another id is refused naming it, not dropped.
  put.body = R"({"id":"ZNEW1","kind":"account","name":"Renamed","email":"","employee_id":""})";
  EXPECT_EQ(router_.Handle(put).status, 200);
  for (const auto& [body, says] : std::vector<std::pair<std::string, std::string>>{
           {R"({"kind":"account","nmae":"Typo"})", "unknown field 'nmae'"},
           {R"({"kind":"account","name":7})", "name must be a string"},
           {R"({"id":"ZOTHER","kind":"account"})", "id 'ZOTHER' in the body differs from the URL's 'ZNEW1'"}}) {
    put.body = body;
    http::Response refused = router_.Handle(put);
    EXPECT_EQ(refused.status, 400) << body;
    EXPECT_NE(refused.body.find("CAUSEWAY/CONTROL/010"), std::string::npos) << refused.body;
    EXPECT_NE(refused.body.find(says), std::string::npos) << refused.body;
  }
}

// A bundle is committed with its idempotency row: a repeat of the message UUID gets the same
// confirmation and creates nothing; small requests are answered without blocking a thread.
TEST_F(TaskActivityServiceTest, RepeatsOfAMessageUuidAreAnsweredFromTheSameCommit) {
  const std::string header = "<BasicMessageHeader><UUID>00163e02-8b2e-1ed1-aeaa-6d7e616e72aa</UUID></BasicMessageHeader>";
  const std::string body =
      Request("<ActivityTask actionCode=\"01\"><Name>A</Name></ActivityTask><ActivityTask actionCode=\"01\"><Name>B</Name>"
              "</ActivityTask>",
              "TaskActivityBundleMaintainRequest_sync_V1", header);
  http::Request req;
  req.method = "POST";
  req.body = body;
  EXPECT_TRUE(module_->engine().MayBlock(req)) << "the first POST compiles the schemas, on a worker";
  ASSERT_TRUE(module_->engine().Schemas().ok());
  EXPECT_FALSE(module_->engine().MayBlock(req)) << "answered on the I/O thread";
  req.body.append(20 * 1024, ' ');
  EXPECT_TRUE(module_->engine().MayBlock(req)) << "large bodies go to the worker pool";

  http::Response first = Call("POST", kPath, body);
  ASSERT_EQ(first.status, 200) << first.body;
  EXPECT_NE(first.body.find("<ID>2</ID>"), std::string::npos) << first.body;
  http::Response again = Call("POST", kPath, body);
  EXPECT_EQ(again.status, 200);
  EXPECT_EQ(again.body, first.body);
  EXPECT_EQ(module_->activities().ListTasks(0, 10)->size(), 2u);
  // The same UUID with another payload: the fault, explained in the error log.
  http::Response other = Call("POST", kPath,
                              Request("<ActivityTask actionCode=\"01\"><Name>C</Name></ActivityTask>",
                                      "TaskActivityBundleMaintainRequest_sync_V1", header));
  EXPECT_EQ(other.status, 500);
  std::smatch m;
  ASSERT_TRUE(std::regex_search(other.body, m, std::regex("Transaction ID ([0-9A-F]{32})")));
  auto logged = module_->engine().error_log().Find(m[1].str());
  ASSERT_TRUE(logged.ok() && logged->has_value());
  EXPECT_EQ((*logged)->error_code, "CAUSEWAY/SOAP/030");
  EXPECT_EQ(module_->activities().ListTasks(0, 10)->size(), 2u);
}

// A bundle whose transaction does not commit is answered as before: a confirmation whose Log
// has a technical error for every task; nothing is stored, so a repeat is processed again.
TEST_F(TaskActivityServiceTest, ABundleThatIsNotSavedIsATechnicalErrorPerTask) {
  const std::string body =
      Request("<ActivityTask actionCode=\"01\"><ObjectNodeSenderTechnicalID>1</ObjectNodeSenderTechnicalID><Name>A</Name>"
              "</ActivityTask><ActivityTask actionCode=\"01\"><ObjectNodeSenderTechnicalID>2</ObjectNodeSenderTechnicalID>"
              "<Name>B</Name></ActivityTask>",
              "TaskActivityBundleMaintainRequest_sync_V1",
              "<BasicMessageHeader><UUID>00163e02-8b2e-1ed1-aeaa-6d7e616e72bb</UUID></BasicMessageHeader>");
  store_->failing = true;
  http::Response r = Call("POST", kPath, body);
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_NE(r.body.find("<Log><BusinessDocumentProcessingResultCode>5</BusinessDocumentProcessingResultCode>"
                        "<MaximumLogItemSeverityCode>3</MaximumLogItemSeverityCode><Item><TypeID>CAUSEWAY/STORE/006</TypeID>"
                        "<SeverityCode>3</SeverityCode><ReferenceObjectNodeSenderTechnicalID>1</ReferenceObjectNodeSenderTechnicalID>"
                        "<Note>Technical error; the activity task was not saved: commit failed</Note></Item><Item>"),
            std::string::npos)
      << r.body;
  EXPECT_EQ(r.body.find("<ActivityTask>"), std::string::npos) << "no confirmation";
  store_->failing = false;
  http::Response again = Call("POST", kPath, body);
  EXPECT_NE(again.body.find("<BusinessDocumentProcessingResultCode>3<"), std::string::npos) << again.body;
  EXPECT_EQ(module_->activities().ListTasks(0, 10)->size(), 2u);
}

}  // namespace
}  // namespace causeway::services::task_activity
