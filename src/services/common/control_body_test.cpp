#include "services/common/control_body.h"

#include <gtest/gtest.h>

namespace causeway::services::control {
namespace {

namespace json = boost::json;

std::string Refusal(const core::Status& st) { return st.ok() ? "ok" : st.error().GatewayCode() + " " + st.error().text; }

TEST(ControlBodyTest, AnUnknownFieldIsRefusedNamingItAndTheKnownOnes) {
  auto o = ParseObject(R"({"login":"ana","frist_name":"Ana"})");
  ASSERT_TRUE(o.ok());
  EXPECT_EQ(Refusal(CheckKeys(*o, {"login", "first_name"})),
            "CAUSEWAY/CONTROL/010 unknown field 'frist_name' (known: login, first_name)");
  EXPECT_EQ(Refusal(CheckKeys(*o, {"login", "frist_name"})), "ok");
  EXPECT_EQ(Refusal(CheckKeys(json::object{{"x", 1}}, {"a"}, "steps[2].")),
            "CAUSEWAY/CONTROL/010 unknown field 'steps[2].x' (known: a)");
}

TEST(ControlBodyTest, FieldsAreTypedAndAbsentOrNullLeaveTheTarget) {
  auto o = ParseObject("\xEF\xBB\xBF" R"({"s":"x","b":true,"i":-5,"big":18446744073709551615,"roles":["a","b"],"n":null})");
  ASSERT_TRUE(o.ok());
  std::string s = "kept";
  bool b = false;
  int64_t i = 0;
  std::vector<std::string> roles;
  EXPECT_EQ(Refusal(Field(*o, "s", &s)), "ok");
  EXPECT_EQ(s, "x");
  EXPECT_EQ(Refusal(Field(*o, "b", &b)), "ok");
  EXPECT_TRUE(b);
  EXPECT_EQ(Refusal(Field(*o, "i", &i)), "ok");
  EXPECT_EQ(i, -5);
  EXPECT_EQ(Refusal(Field(*o, "roles", &roles)), "ok");
  EXPECT_EQ(roles, (std::vector<std::string>{"a", "b"}));
  std::string untouched = "kept";
  EXPECT_EQ(Refusal(Field(*o, "n", &untouched)), "ok");
  EXPECT_EQ(Refusal(Field(*o, "missing", &untouched)), "ok");
  EXPECT_EQ(untouched, "kept");
  // Wrong types are refused, not read as "" or false.
  EXPECT_EQ(Refusal(Field(*o, "i", &s)), "CAUSEWAY/CONTROL/010 i must be a string");
  EXPECT_EQ(Refusal(Field(*o, "s", &b)), "CAUSEWAY/CONTROL/010 s must be true or false");
  EXPECT_EQ(Refusal(Field(*o, "s", &roles)), "CAUSEWAY/CONTROL/010 s must be an array of strings");
  EXPECT_EQ(Refusal(Field(*o, "big", &i, "steps[0].")),
            "CAUSEWAY/CONTROL/010 steps[0].big must be an integer from -9223372036854775808 to 9223372036854775807");
  EXPECT_EQ(Refusal(Field(json::object{{"r", json::array{"a", 1}}}, "r", &roles)),
            "CAUSEWAY/CONTROL/010 r must be an array of strings");
}

TEST(ControlBodyTest, AKeyFieldMayRepeatTheUrlsButNotDiffer) {
  EXPECT_EQ(Refusal(SameAsUrl(json::object{}, "id", "10010")), "ok");
  EXPECT_EQ(Refusal(SameAsUrl(json::object{{"id", "10010"}}, "id", "10010")), "ok");
  EXPECT_EQ(Refusal(SameAsUrl(json::object{{"id", "10011"}}, "id", "10010")),
            "CAUSEWAY/CONTROL/010 id '10011' in the body differs from the URL's '10010'");
}

TEST(ControlBodyTest, OnlyAnObjectIsABody) {
  for (const char* body : {"", "[]", "\"x\"", "{", "{\"a\":1}x"}) EXPECT_FALSE(ParseObject(body).ok()) << body;
}

}  // namespace
}  // namespace causeway::services::control
