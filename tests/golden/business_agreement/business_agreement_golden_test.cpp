// Golden files of BusinessAgreementReplicationIn and the message monitor: every case in
// cases/*.txt runs, in file-name order, against ONE store (later cases see what earlier ones
// did), through the real router, security gate, SOAP engine, message store, processor, service
// and domain, on a fixed clock that moves one second per case. After every case the processor
// processes whatever is claimable (so a case that sends a message is followed by cases that
// look at its outcome through the control plane).
//
// Case format: ../golden_case.h, with the target as sent to the server ("#! contains" = the
// expected body is a substring, not all). Masked before comparison: change state IDs, UUIDs no
// earlier request contained (generated ones), fault transaction IDs (32 hex digits).
// CW_GOLDEN_UPDATE=1 rewrites the expected parts (review them!). Users: ../gated_router.h
// (BUAG_REPL the caller).
#include <gtest/gtest.h>

#include <filesystem>
#include <regex>

#include "gated_router.h"
#include "golden_case.h"
#include "scratch_store.h"
#include "services/business_agreement/testing/business_agreement_stack.h"
#include "soap/inbound_processor.h"

namespace causeway::services::business_agreement {
namespace {

namespace fs = std::filesystem;

std::string Mask(std::string body, const std::string& requests_so_far) {
  body = std::regex_replace(body, std::regex("\"change_state_id\":\"[^\"]*\""), "\"change_state_id\":\"*\"");
  // Fault transaction IDs (in fault texts, and as the monitor's IDs and cursors of faults).
  body = std::regex_replace(body, std::regex("[0-9A-F]{32}"), "*");
  std::regex uuid("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");
  std::string out;
  size_t last = 0;
  for (auto it = std::sregex_iterator(body.begin(), body.end(), uuid); it != std::sregex_iterator(); ++it) {
    out += body.substr(last, it->position() - last);
    out += requests_so_far.find(it->str()) == std::string::npos ? "*uuid*" : it->str();
    last = it->position() + it->length();
  }
  return out + body.substr(last);
}

class Golden : public ::testing::Test {
 protected:
  void SetUp() override {
    core::Status opened = store_.Open();
    ASSERT_TRUE(opened.ok()) << opened.error().text;
    auto stack = testing::StartBusinessAgreement(store_.db(), clock_, gate_.router(), &gate_.users());
    ASSERT_TRUE(stack.ok()) << stack.error().text;
    stack_ = std::move(stack).value();
  }

  core::ManualClock clock_{core::FromUnixMillis(1714550400000)};  // 2024-05-01T08:00:00Z
  golden::ScratchStore store_{"cw_buaggolden"};
  golden::GatedRouter gate_{clock_, "BUAG_REPL", kScenario, kGuardService};
  testing::BusinessAgreementStack stack_;
};

TEST_F(Golden, AllCasesInOrder) {
  const std::vector<std::string> files = golden::CaseFiles(CW_GOLDEN_DIR);
  ASSERT_GE(files.size(), 40u);
  std::string requests_so_far;
  for (const std::string& f : files) {
    SCOPED_TRACE(f);
    golden::GoldenCase c;
    ASSERT_EQ(golden::LoadCase(fs::path(CW_GOLDEN_DIR) / f, c, {.absolute_target = true}), "");
    c.request.headers.Add("Host", "causeway.test");
    requests_so_far += c.request.target + c.request.body;
    http::Response r = golden::AwaitAfter(gate_.router().Handle(c.request));
    auto drained = stack_.module->processor().Drain();
    ASSERT_TRUE(drained.ok()) << drained.error().text;
    clock_.Advance(std::chrono::seconds(1));
    golden::CheckResponse(c, r, Mask(std::string(r.body_view()), requests_so_far),
                          {"content-type", "www-authenticate"});
  }
}

}  // namespace
}  // namespace causeway::services::business_agreement
