#include "client/job_parameters.h"

#include <gtest/gtest.h>

namespace causeway::client {
namespace {

TEST(JobParameters, ParseSpec) {
  auto p = ParseParamSpec("2:P_DATE=2024-01-01");
  ASSERT_TRUE(p.ok());
  EXPECT_EQ(p->step, 2);
  EXPECT_EQ(p->name, "P_DATE");
  EXPECT_EQ(p->value, "2024-01-01");
  auto q = ParseParamSpec("P_EXPR=a:b=c");
  ASSERT_TRUE(q.ok());
  EXPECT_EQ(q->step, 1);
  EXPECT_EQ(q->name, "P_EXPR");
  EXPECT_EQ(q->value, "a:b=c");
  for (const char* bad : {"P_X", "=v", "0:P=v", "x:P=v", "1:=v"}) {
    EXPECT_FALSE(ParseParamSpec(bad).ok()) << bad;
  }
}

TEST(JobParameters, BuildsSimpleJson) {
  auto json = BuildParameterValuesSimple(
      {{1, "P_PLAN", "BASE"}, {1, "P_PLAN", "UPSIDE"}, {2, "P_FLAG", "X"}}, "");
  ASSERT_TRUE(json.ok());
  EXPECT_EQ(*json,
            R"({"VALUES":[{"STEP_NR":1,"NAME":"P_PLAN","T_VALUE":[)"
            R"({"SIGN":"I","OPTION":"EQ","LOW":"BASE","HIGH":""},)"
            R"({"SIGN":"I","OPTION":"EQ","LOW":"UPSIDE","HIGH":""}]},)"
            R"({"STEP_NR":2,"NAME":"P_FLAG","T_VALUE":[{"SIGN":"I","OPTION":"EQ","LOW":"X","HIGH":""}]}]})");
}

TEST(JobParameters, EscapesValues) {
  auto json = BuildParameterValuesSimple({{1, "P_TXT", "say \"hi\" 'now'"}}, "");
  ASSERT_TRUE(json.ok());
  EXPECT_NE(json->find(R"("LOW":"say \"hi\" 'now'")"), std::string::npos) << *json;
}

TEST(JobParameters, MergesFileThenFlags) {
  auto json = BuildParameterValuesSimple(
      {{1, "P_B", "2"}},
      R"({"VALUES":[{"STEP_NR":1,"NAME":"P_A","T_VALUE":[{"SIGN":"I","OPTION":"BT","LOW":"1","HIGH":"9"}]}]})");
  ASSERT_TRUE(json.ok());
  EXPECT_LT(json->find("P_A"), json->find("P_B"));
  EXPECT_NE(json->find(R"("OPTION":"BT")"), std::string::npos);
}

// Parameter files written with a Windows editor start with a byte order mark.
TEST(JobParameters, AFileMayStartWithAByteOrderMark) {
  auto json = BuildParameterValuesSimple(
      {}, "\xEF\xBB\xBF" R"({"VALUES":[{"STEP_NR":1,"NAME":"P_A","T_VALUE":[{"SIGN":"I","OPTION":"EQ","LOW":"1"}]}]})");
  ASSERT_TRUE(json.ok()) << json.error().text;
  EXPECT_NE(json->find("P_A"), std::string::npos);
}

TEST(JobParameters, EmptyMeansTemplateDefaults) {
  EXPECT_EQ(*BuildParameterValuesSimple({}, ""), "");
}

TEST(JobParameters, RejectsBadFile) {
  EXPECT_FALSE(BuildParameterValuesSimple({}, "[1,2]").ok());
  EXPECT_FALSE(BuildParameterValuesSimple({}, "{\"VALUES\":[{\"X\":1}]}").ok());
  EXPECT_FALSE(BuildParameterValuesSimple({}, "{oops").ok());
}

}  // namespace
}  // namespace causeway::client
