#include <gtest/gtest.h>

#include "odata/engine_internal.h"

namespace causeway::odata {
namespace {

EntityType Status() {
  EntityType t;
  t.name = "Status";
  t.keys = {"Guid"};
  t.properties = {{.name = "Guid", .nullable = false, .max_length = 32}, {.name = "ExtStatus"}};
  return t;
}

// RFC 8259 §8.1 lets a parser ignore a byte order mark; a body saved by a Windows editor and
// sent with curl --data-binary @file carries one.
TEST(RequestBodyTest, AJsonBodyMayStartWithAByteOrderMark) {
  const std::string bodies[] = {R"({"ExtStatus":"E0002"})", "\xEF\xBB\xBF" R"({"ExtStatus":"E0002"})",
                                "\xEF\xBB\xBF" R"(  {"d":{"ExtStatus":"E0002"}})"};
  for (const std::string& body : bodies) {
    auto p = ParseEntityBody(Status(), "application/json", body);
    ASSERT_TRUE(p.ok()) << body << ": " << p.error().text;
    ASSERT_TRUE(p->present[1]);
  }
  // Only a whole mark: a stray first byte stays an error.
  auto bad = ParseEntityBody(Status(), "application/json", "\xEF" R"({"ExtStatus":"E0002"})");
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().text, "Malformed JSON request body");
}

}  // namespace
}  // namespace causeway::odata
