// Golden files of ManageTaskActivityIn: every case in cases/*.txt runs, in file-name order,
// against ONE store (later cases see what earlier ones created), through the real router,
// security gate, SOAP engine, service and domain, on a fixed clock.
//
// Case format: ../golden_case.h, with the target as sent to the server ("#! contains" = the
// expected body is a substring, not all). Masked before comparison: ChangeStateID values, UUIDs
// the request did not contain (generated ones), fault Transaction IDs. CW_GOLDEN_UPDATE=1
// rewrites the expected parts (review them!). Users: ../gated_router.h (TASK_SYNC the caller).
#include <gtest/gtest.h>

#include <filesystem>
#include <regex>

#include "gated_router.h"
#include "golden_case.h"
#include "scratch_store.h"
#include "services/task_activity/testing/task_activity_stack.h"

namespace causeway::services::task_activity {
namespace {

namespace fs = std::filesystem;

std::string Mask(std::string body, const std::string& request_body) {
  body = std::regex_replace(body, std::regex("<ChangeStateID>[^<]*</ChangeStateID>"), "<ChangeStateID>*</ChangeStateID>");
  body = std::regex_replace(body, std::regex("Transaction ID [0-9A-F]{32}"), "Transaction ID *");
  std::regex uuid("<UUID>([0-9a-f-]{36})</UUID>");
  std::string out;
  auto begin = std::sregex_iterator(body.begin(), body.end(), uuid);
  size_t last = 0;
  for (auto it = begin; it != std::sregex_iterator(); ++it) {
    out += body.substr(last, it->position() - last);
    out += request_body.find((*it)[1].str()) == std::string::npos ? "<UUID>*</UUID>" : it->str();
    last = it->position() + it->length();
  }
  return out + body.substr(last);
}

class Golden : public ::testing::Test {
 protected:
  void SetUp() override {
    core::Status opened = store_.Open();
    ASSERT_TRUE(opened.ok()) << opened.error().text;
    auto stack = testing::StartTaskActivity(store_.db(), clock_, gate_.router(), &gate_.users());
    ASSERT_TRUE(stack.ok()) << stack.error().text;
    stack_ = std::move(stack).value();
  }

  core::ManualClock clock_{core::FromUnixMillis(1714550400000)};  // 2024-05-01T08:00:00Z
  golden::ScratchStore store_{"cw_tagolden"};
  golden::GatedRouter gate_{clock_, "TASK_SYNC", kScenario, kGuardService};
  testing::TaskActivityStack stack_;
};

TEST_F(Golden, AllCasesInOrder) {
  const std::vector<std::string> files = golden::CaseFiles(CW_GOLDEN_DIR);
  ASSERT_GE(files.size(), 20u);
  for (const std::string& f : files) {
    SCOPED_TRACE(f);
    golden::GoldenCase c;
    ASSERT_EQ(golden::LoadCase(fs::path(CW_GOLDEN_DIR) / f, c, {.absolute_target = true}), "");
    c.request.headers.Add("Host", "causeway.test");
    http::Response r = golden::AwaitAfter(gate_.router().Handle(c.request));
    clock_.Advance(std::chrono::seconds(1));
    golden::CheckResponse(c, r, Mask(std::string(r.body_view()), c.request.body), {"content-type", "www-authenticate"});
  }
}

}  // namespace
}  // namespace causeway::services::task_activity
