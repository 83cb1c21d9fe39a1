#include "services/appjob/template_json.h"

#include <gtest/gtest.h>

#include <boost/json.hpp>

namespace causeway::services::appjob {
namespace {

TEST(TemplateJson, ParsesTheConfigFieldNames) {
  auto t = TemplateFromJson(R"({"version":"1","text":"Nightly load","report":"ZLOAD","allowed_users":["PLANNER"],
      "supports_test_mode":true,
      "steps":[{"kind":"noop"},{"kind":"sleep","text":"Wait","catalog_entry":"ZWAIT"}],
      "parameters":[{"name":"P_SECONDS","step":2,"default":"1","mandatory":true}]})",
                            "ZNIGHTLY", false);
  ASSERT_TRUE(t.ok()) << t.error().text;
  EXPECT_EQ(t->name, "ZNIGHTLY");
  EXPECT_EQ(t->version, "1");
  EXPECT_EQ(t->text, "Nightly load");
  EXPECT_EQ(t->report_name, "ZLOAD");
  EXPECT_TRUE(t->supports_test_mode);
  ASSERT_EQ(t->steps.size(), 2u);
  EXPECT_EQ(t->steps[0].kind, jobs::StepKind::kNoop);
  EXPECT_EQ(t->steps[0].catalog_entry_name, "ZNIGHTLY");  // defaults to the template name
  EXPECT_EQ(t->steps[1].kind, jobs::StepKind::kSleep);
  EXPECT_EQ(t->steps[1].catalog_entry_name, "ZWAIT");
  ASSERT_EQ(t->parameters.size(), 1u);
  EXPECT_EQ(t->parameters[0].step_nr, 2);
  EXPECT_TRUE(t->parameters[0].mandatory);
  ASSERT_EQ(t->parameters[0].defaults.size(), 1u);
  EXPECT_EQ(t->parameters[0].defaults[0].low, "1");
}

TEST(TemplateJson, RoundTripsThroughItsOwnOutput) {
  auto t = TemplateFromJson(R"({"text":"X","steps":[{"kind":"command","argv":["/bin/true"],"env":{"A":"1"},
      "timeout_s":5}],"parameters":[{"name":"P","default":"v"}]})", "/Z/ROUND", true);
  ASSERT_TRUE(t.ok()) << t.error().text;
  std::string out = boost::json::serialize(TemplateToJson(*t));
  // Output-only fields are refused on input on purpose (they are the server's): drop them.
  auto v = boost::json::parse(out).as_object();
  for (const char* k : {"created_at", "created_by", "changed_at", "changed_by"}) v.erase(k);
  auto again = TemplateFromJson(boost::json::serialize(v), "/Z/ROUND", true);
  ASSERT_TRUE(again.ok()) << again.error().text;
  EXPECT_EQ(again->steps[0].argv, std::vector<std::string>{"/bin/true"});
  EXPECT_EQ(again->steps[0].env.at("A"), "1");
  EXPECT_EQ(again->steps[0].timeout.count(), 5);
  EXPECT_EQ(again->parameters[0].defaults[0].low, "v");
}

TEST(TemplateJson, CommandStepsNeedTheConfigSwitch) {
  auto t = TemplateFromJson(R"({"steps":[{"kind":"command","argv":["/bin/true"]}]})", "ZCMD", false);
  ASSERT_FALSE(t.ok());
  EXPECT_EQ(t.error().HttpStatus(), 403);
  // "kind" defaults to command, as in the config file: also refused.
  EXPECT_EQ(TemplateFromJson(R"({"steps":[{"argv":["/bin/true"]}]})", "ZCMD", false).error().HttpStatus(), 403);
}

TEST(TemplateJson, RejectsBadInputWithTheFieldNamed) {
  struct Case {
    const char* body;
    const char* says;
  } cases[] = {
      {"not json", "not valid JSON"},
      {"[]", "must be a JSON object"},
      {R"({"steps":[]})", "steps must be a non-empty array"},
      {R"({})", "steps must be a non-empty array"},
      {R"({"steps":[{"kind":"teleport"}]})", "kind 'teleport'"},
      {R"({"steps":[{"kind":"noop","colour":1}]})", "unknown field 'steps[0].colour'"},
      {R"({"stepz":[]})", "unknown field 'stepz'"},
      {R"({"version":"12","steps":[{"kind":"noop"}]})", "version must be one character"},
      {R"({"text":5,"steps":[{"kind":"noop"}]})", "text must be a string"},
      {R"({"name":"OTHER","steps":[{"kind":"noop"}]})", "differs from the URL"},
      {R"({"steps":[{"kind":"noop","timeout_s":-1}]})", "steps[0].timeout_s must be from 0 to 31622400 (366 days)"},
      {R"({"steps":[{"kind":"noop","timeout_s":1000000000000}]})", "timeout_s must be from 0 to 31622400"},
      // Larger than int64: refused, not wrapped (it once threw out of the parser: a 500).
      {R"({"steps":[{"kind":"noop","timeout_s":18446744073709551615}]})", "steps[0].timeout_s must be an integer"},
      // A step number is cut to int nowhere: out of range is refused.
      {R"({"steps":[{"kind":"noop"}],"parameters":[{"name":"P","step":4294967297}]})", "parameters[0].step must be from 1 to 9999"},
      {R"({"steps":[{"kind":"noop"}],"parameters":[{"name":"P","step":0}]})", "parameters[0].step must be from 1 to 9999"},
      {R"({"steps":[{"kind":"noop"}],"parameters":[{"name":"P","step":"one"}]})", "parameters[0].step must be an integer"},
  };
  for (const auto& c : cases) {
    auto t = TemplateFromJson(c.body, "ZBAD", true);
    ASSERT_FALSE(t.ok()) << c.body;
    EXPECT_EQ(t.error().HttpStatus(), 400) << c.body;
    EXPECT_EQ(t.error().GatewayCode(), "CAUSEWAY/CONTROL/010") << c.body;
    EXPECT_NE(t.error().text.find(c.says), std::string::npos) << c.body << " -> " << t.error().text;
  }
}

// The engine's template rules come back as the control plane's malformed input, with its code
// (they once left with an empty one).
TEST(TemplateJson, RefusesWhatTheEngineWouldWithTheControlCode) {
  struct Case {
    std::string name;
    const char* body;
    const char* says;
  } cases[] = {
      {"/Z/T6", R"({"text":"x","steps":[{"kind":"sleep"}],"parameters":[{"name":"P","step":99}]})",
       "invalid name or step number"},
      {"/Z/T6", R"({"steps":[{"kind":"noop"}],"parameters":[{"name":"P\u0001","step":1}]})",
       "invalid name or step number"},
      {std::string(41, 'Z'), R"({"steps":[{"kind":"noop"}]})", "1 to 40 characters"},
      {std::string(1, '\0'), R"({"steps":[{"kind":"noop"}]})", "without control characters"},
      {"Z\tT", R"({"steps":[{"kind":"noop"}]})", "without control characters"},
      {"Z\x7F", R"({"steps":[{"kind":"noop"}]})", "without control characters"},
      {"Z\xC2\x85", R"({"steps":[{"kind":"noop"}]})", "without control characters"},  // NEL, a C1 control
      {"Z\xFF", R"({"steps":[{"kind":"noop"}]})", "without control characters"},      // not UTF-8
      {"Z\xC3", R"({"steps":[{"kind":"noop"}]})", "without control characters"},      // truncated sequence
  };
  for (const auto& c : cases) {
    auto t = TemplateFromJson(c.body, c.name, true);
    ASSERT_FALSE(t.ok()) << c.body;
    EXPECT_EQ(t.error().HttpStatus(), 400) << c.body;
    EXPECT_EQ(t.error().GatewayCode(), "CAUSEWAY/CONTROL/010") << c.body;
    EXPECT_NE(t.error().text.find(c.says), std::string::npos) << c.body << " -> " << t.error().text;
  }
  // Letters beyond ASCII are characters, not bytes: 40 of them are a valid name.
  std::string forty;
  for (int i = 0; i < 40; ++i) forty += "\xC3\x84";  // Ä
  EXPECT_TRUE(TemplateFromJson(R"({"steps":[{"kind":"noop"}]})", forty, true).ok());
  EXPECT_TRUE(TemplateFromJson(R"({"steps":[{"kind":"noop"}]})", "/IBP/LOG_DELETION", true).ok());
}

}  // namespace
}  // namespace causeway::services::appjob
