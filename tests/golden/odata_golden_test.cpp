// Runs every tests/golden/odata/*.txt case against the demo service (demo_service.cpp).
// Case file format, masking and CW_GOLDEN_UPDATE: golden_case.h.
#include <gtest/gtest.h>

#include "core/clock.h"
#include "demo_service.h"
#include "golden_case.h"
#include "odata/engine.h"

namespace causeway::odata {
namespace {

constexpr char kRoot[] = "http://127.0.0.1:8080/sap/opu/odata/sap/ZDEMO_SRV/";

class GoldenTest : public ::testing::TestWithParam<std::string> {};

TEST_P(GoldenTest, Matches) {
  golden::GoldenCase c;
  std::string problem = golden::LoadCase(std::filesystem::path(CW_GOLDEN_DIR) / GetParam(), c);
  ASSERT_EQ(problem, "");
  c.request.user = "TESTER";

  RoutedRequest routed;
  routed.service_root_url = kRoot;
  routed.resource_path = c.resource_path;
  routed.query = c.query;

  core::ManualClock clock(core::FromUnixMillis(1704110400000));  // 2024-01-01T12:00:00Z
  EngineOptions options;
  options.clock = &clock;
  options.max_batch_parts = 20;
  auto engine = Engine::Create(demo::MakeDemoService(), options);
  ASSERT_TRUE(engine.ok()) << engine.error().text;
  http::Response resp = (*engine)->Handle(c.request, routed);
  golden::CheckResponse(c, resp, golden::MaskVolatile(resp.body));
}

INSTANTIATE_TEST_SUITE_P(Odata, GoldenTest, ::testing::ValuesIn(golden::CaseFiles(CW_GOLDEN_DIR)),
                         [](const auto& param_info) { return golden::CaseTestName(param_info.param); });

}  // namespace
}  // namespace causeway::odata
