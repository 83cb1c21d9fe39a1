#include "services/common/query_params.h"

#include <gtest/gtest.h>

namespace causeway::services {
namespace {

constexpr QueryMessages kMessages{"CAUSEWAY/TEST", "100", "101"};

TEST(QueryParamsTest, DecodesPairs) {
  struct Row {
    const char* query;
    QueryParams::Map expected;
  };
  const Row rows[] = {
      {"", {}},
      {"a=1", {{"a", "1"}}},
      {"a=1&b=x%20y", {{"a", "1"}, {"b", "x y"}}},
      {"login=J+Doe", {{"login", "J Doe"}}},          // '+' is a space, as URLEncoder writes it
      {"a%2Bb=c%2B", {{"a+b", "c+"}}},                // an escaped '+' stays one
      {"a=1&&b=2&", {{"a", "1"}, {"b", "2"}}},        // empty items are skipped
      {"flag&x=", {{"flag", ""}, {"x", ""}}},         // no '=' or nothing after it: ""
      {"a=1&a=2", {{"a", "2"}}},                      // the last of a repeated name wins
      {"f=Id%3D%2710%27", {{"f", "Id='10'"}}},
  };
  for (const Row& row : rows) {
    auto q = QueryParams::Parse(row.query, kMessages);
    ASSERT_TRUE(q.ok()) << row.query;
    EXPECT_EQ(q->values(), row.expected) << row.query;
  }
}

TEST(QueryParamsTest, RefusesMalformedEscapesWithTheCallersMessage) {
  for (const char* query : {"a=%zz", "a%2=1", "ok=1&b=%4"}) {
    auto q = QueryParams::Parse(query, kMessages);
    ASSERT_FALSE(q.ok()) << query;
    EXPECT_EQ(q.error().code, core::Code::kBadRequest);
    EXPECT_EQ(q.error().GatewayCode(), "CAUSEWAY/TEST/100") << query;
    EXPECT_EQ(q.error().text, "Malformed query string");
  }
}

TEST(QueryParamsTest, GetAndGetOr) {
  auto q = QueryParams::Parse("a=1&empty=", kMessages);
  ASSERT_TRUE(q.ok());
  EXPECT_EQ(q->Get("a"), "1");
  EXPECT_EQ(q->Get("empty"), "");
  EXPECT_EQ(q->Get("missing"), std::nullopt);
  EXPECT_EQ(q->GetOr("a", "x"), "1");
  EXPECT_EQ(q->GetOr("missing", "x"), "x");
}

TEST(QueryParamsTest, IntTable) {
  struct Row {
    const char* query;
    bool ok;
    int64_t expected;
  };
  const Row rows[] = {
      {"", true, 7},             // absent: fallback
      {"n=", true, 7},           // empty: fallback
      {"n=0", false, 0},         // below min
      {"n=1", true, 1},
      {"n=1000", true, 1000},
      {"n=1001", false, 0},      // above max
      {"n=-5", false, 0},
      {"n=12abc", false, 0},     // not all digits
      {"n=abc", false, 0},
      {"n=99999999999999999999", false, 0},  // out of int64_t
  };
  for (const Row& row : rows) {
    auto q = QueryParams::Parse(row.query, kMessages);
    ASSERT_TRUE(q.ok()) << row.query;
    auto n = q->Int("n", 7, 1, 1000);
    ASSERT_EQ(n.ok(), row.ok) << row.query;
    if (row.ok) {
      EXPECT_EQ(*n, row.expected) << row.query;
    } else {
      EXPECT_EQ(n.error().code, core::Code::kBadRequest);
      EXPECT_EQ(n.error().GatewayCode(), "CAUSEWAY/TEST/101") << row.query;
      EXPECT_EQ(n.error().target, "n");
      EXPECT_EQ(n.error().text, "Query parameter n must be a whole number from 1 to 1000");
    }
  }
}

}  // namespace
}  // namespace causeway::services
