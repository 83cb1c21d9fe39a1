#include "exchange/header_list.h"

#include <gtest/gtest.h>

namespace causeway::exchange {
namespace {

TEST(HeaderList, LooksUpAnyCaseAndKeepsOrder) {
  HeaderList h;
  h.Add("Content-Type", "application/json");
  h.Add("Set-Cookie", "a=1");
  h.Add("set-cookie", "b=2");
  EXPECT_EQ(h.Get("content-type"), "application/json");
  EXPECT_EQ(h.Get("CONTENT-TYPE"), "application/json");
  ASSERT_EQ(h.FindAll("SET-COOKIE").size(), 2u);
  EXPECT_EQ(h.FindAll("Set-Cookie")[1], "b=2");
  EXPECT_FALSE(h.Find("Retry-After").has_value());
  EXPECT_EQ(h.Get("Retry-After"), "");
}

TEST(HeaderList, SetReplacesEveryFieldOfThatName) {
  HeaderList h{{"X-A", "1"}, {"x-a", "2"}, {"X-B", "3"}};
  h.Set("X-A", "9");
  ASSERT_EQ(h.size(), 2u);
  EXPECT_EQ(h.entries()[0].first, "X-B");
  EXPECT_EQ(h.Get("x-a"), "9");
  EXPECT_EQ(h.Remove("X-B"), 1u);
  EXPECT_FALSE(h.Contains("X-B"));
}

TEST(HeaderList, NamesAndValues) {
  struct Case {
    std::string_view name;
    bool ok;
  } cases[] = {{"Content-Type", true}, {"X-Idempotency_Key.1", true}, {"", false},
               {"Bad Name", false},    {"Colon:", false},            {"Ümlaut", false}};
  for (const Case& c : cases) EXPECT_EQ(IsHeaderName(c.name), c.ok) << c.name;
  EXPECT_TRUE(IsHeaderValue("a value; with=stuff"));
  EXPECT_FALSE(IsHeaderValue("split\r\nX-Injected: 1"));
  EXPECT_FALSE(IsHeaderValue(std::string_view("nul\0", 4)));
}

}  // namespace
}  // namespace causeway::exchange
