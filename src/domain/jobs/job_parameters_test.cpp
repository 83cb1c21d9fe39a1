#include "domain/jobs/job_parameters.h"

#include <gtest/gtest.h>

#include "domain/jobs/parameter_resolution.h"

namespace causeway::jobs {
namespace {

TEST(JobParametersTest, ParsesSimpleShapeWithStepNumbers) {
  auto r = ParseParameterValues(
      R"({"VALUES":[{"STEP_NR":2,"NAME":"P_DAYS","T_VALUE":[{"SIGN":"I","OPTION":"EQ","LOW":"7","HIGH":""}]}]})");
  ASSERT_TRUE(r.ok()) << r.error().text;
  ASSERT_EQ(r->size(), 1u);
  EXPECT_EQ((*r)[0].step_nr, 2);
  EXPECT_EQ((*r)[0].name, "P_DAYS");
  ASSERT_EQ((*r)[0].ranges.size(), 1u);
  EXPECT_EQ((*r)[0].ranges[0], (ParameterRange{"I", "EQ", "7", ""}));
}

TEST(JobParametersTest, ParsesValuesShapeWithoutStepNumber) {
  auto r = ParseParameterValues(
      R"({"VALUES":[{"NAME":"P_X","T_VALUE":[{"SIGN":"I","OPTION":"BT","LOW":"1","HIGH":"9"},)"
      R"({"SIGN":"E","OPTION":"EQ","LOW":"5","HIGH":""}]}]})");
  ASSERT_TRUE(r.ok()) << r.error().text;
  ASSERT_EQ(r->size(), 1u);
  EXPECT_EQ((*r)[0].step_nr, 0);
  ASSERT_EQ((*r)[0].ranges.size(), 2u);
  EXPECT_EQ((*r)[0].ranges[0].high, "9");
  EXPECT_EQ((*r)[0].ranges[1].sign, "E");
}

TEST(JobParametersTest, ParsesStructArrayShapeAndMergesRows) {
  auto r = ParseParameterValues(
      R"([{"StepNr":1,"JobParameterName":"P_A","Sign":"I","Option":"EQ","Low":"x","High":""},)"
      R"({"StepNr":1,"JobParameterName":"P_A","Sign":"I","Option":"EQ","Low":"y","High":""},)"
      R"({"StepNr":"2","JobParameterName":"P_B","Sign":"I","Option":"EQ","Low":"z","High":""}]})");
  ASSERT_FALSE(r.ok());  // trailing brace: not JSON
  r = ParseParameterValues(
      R"([{"StepNr":1,"JobParameterName":"P_A","Sign":"I","Option":"EQ","Low":"x","High":""},)"
      R"({"StepNr":1,"JobParameterName":"P_A","Sign":"I","Option":"EQ","Low":"y","High":""},)"
      R"({"StepNr":"2","JobParameterName":"P_B","Sign":"I","Option":"EQ","Low":"z","High":""}])");
  ASSERT_TRUE(r.ok()) << r.error().text;
  ASSERT_EQ(r->size(), 2u);
  EXPECT_EQ((*r)[0].ranges.size(), 2u);
  EXPECT_EQ((*r)[1].step_nr, 2);
  EXPECT_EQ((*r)[1].ranges[0].low, "z");
}

TEST(JobParametersTest, BlankAndEmptyValuesYieldNothing) {
  for (const char* s : {"", "  ", R"({"VALUES":[]})", "{}", "[]"}) {
    auto r = ParseParameterValues(s);
    ASSERT_TRUE(r.ok()) << s;
    EXPECT_TRUE(r->empty()) << s;
  }
}

TEST(JobParametersTest, RejectsMalformedInputWithApjError) {
  for (const char* s : {"{", R"({"VALUES":{}})", R"({"VALUES":[{"T_VALUE":[]}]})",
                        R"({"VALUES":[{"NAME":"P","T_VALUE":[{"SIGN":"X"}]}]})", R"("text")"}) {
    auto r = ParseParameterValues(s);
    ASSERT_FALSE(r.ok()) << s;
    EXPECT_EQ(r.error().GatewayCode(), "APJ_RT/032") << s;
    EXPECT_EQ(r.error().HttpStatus(), 400);
  }
}

TEST(JobParametersTest, FormatRoundTrips) {
  std::vector<ParameterValue> v = {{1, "P_A", {{"I", "EQ", "it's", ""}}}, {2, "P_B", {{"I", "BT", "1", "5"}}}};
  auto text = FormatParameterValues(v);
  auto back = ParseParameterValues(text);
  ASSERT_TRUE(back.ok());
  EXPECT_EQ(*back, v);
}

TEST(JobParametersTest, EnvironmentNaming) {
  EXPECT_EQ(ParameterEnvName("p_days"), "CW_PARAM_P_DAYS");
  EXPECT_EQ(ParameterEnvName("/IBP/P-X"), "CW_PARAM__IBP_P_X");
  auto env = ParameterEnvironment({{1, "P_A", {{"I", "EQ", "a", ""}, {"E", "BT", "b", "c"}}}});
  auto get = [&](const std::string& k) {
    for (auto& [n, v] : env)
      if (n == k) return v;
    return std::string("<missing>");
  };
  EXPECT_EQ(get("CW_PARAM_P_A"), "a");
  EXPECT_EQ(get("CW_PARAM_P_A_COUNT"), "2");
  EXPECT_EQ(get("CW_PARAM_P_A_2_SIGN"), "E");
  EXPECT_EQ(get("CW_PARAM_P_A_2_HIGH"), "c");
  EXPECT_EQ(get("CW_PARAM_P_A_HIGH"), "<missing>");
}

JobTemplate TwoStepTemplate() {
  JobTemplate t;
  t.name = "T";
  t.steps.resize(2);
  t.parameters = {{.name = "P_DAYS", .step_nr = 1, .mandatory = true, .defaults = {{"I", "EQ", "30", ""}}},
                  {.name = "P_MODE", .step_nr = 2, .read_only = true, .defaults = {{"I", "EQ", "FULL", ""}}},
                  {.name = "P_DAYS", .step_nr = 2}};
  return t;
}

TEST(ParameterResolutionTest, ValueWithoutStepAppliesToEveryStepDefiningIt) {
  auto r = ResolveParameters(TwoStepTemplate(), {{0, "P_DAYS", {{"I", "EQ", "7", ""}}}});
  EXPECT_TRUE(r.errors.empty());
  EXPECT_EQ(r.values[0].ranges[0].low, "7");
  EXPECT_EQ(r.values[2].ranges[0].low, "7");
  EXPECT_EQ(r.values[1].ranges[0].low, "FULL");
}

TEST(ParameterResolutionTest, ReadOnlyChangesAreDroppedUnknownAndMissingMandatoryAreErrors) {
  auto r = ResolveParameters(TwoStepTemplate(), {{2, "P_MODE", {{"I", "EQ", "DELTA", ""}}},
                                                 {1, "P_DAYS", {{"I", "EQ", "", ""}}},
                                                 {0, "P_NOPE", {}}});
  EXPECT_EQ(r.values[1].ranges[0].low, "FULL");
  ASSERT_EQ(r.removed_read_only.size(), 1u);
  EXPECT_EQ(r.removed_read_only[0], "P_MODE");
  ASSERT_EQ(r.errors.size(), 2u);
  EXPECT_NE(r.errors[0].find("P_NOPE"), std::string::npos);
  EXPECT_NE(r.errors[1].find("Mandatory parameter P_DAYS"), std::string::npos);
}

TEST(ParameterResolutionTest, TemplateDefaultsCanBeScheduledAsIs) {
  JobTemplate t = TwoStepTemplate();
  auto defaults = TemplateDefaults(t);
  ASSERT_EQ(defaults.size(), 3u);
  EXPECT_EQ(defaults[2].ranges.size(), 1u);  // empty row for a parameter without default
  auto back = ParseParameterValues(FormatParameterValues(defaults));
  ASSERT_TRUE(back.ok());
  auto r = ResolveParameters(t, *back);
  EXPECT_TRUE(r.errors.empty());
  EXPECT_TRUE(r.removed_read_only.empty());
}

}  // namespace
}  // namespace causeway::jobs
