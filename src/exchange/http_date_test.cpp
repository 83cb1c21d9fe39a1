#include "exchange/http_date.h"

#include <gtest/gtest.h>

#include "core/time_format.h"

namespace causeway::exchange {
namespace {

TEST(ParseHttpDate, AcceptsTheThreeFormsOfRfc9110) {
  const auto expected = core::ParseIso8601("1994-11-06T08:49:37Z");
  ASSERT_TRUE(expected.has_value());
  for (std::string_view text : {"Sun, 06 Nov 1994 08:49:37 GMT", "Sunday, 06-Nov-94 08:49:37 GMT",
                                "Sun Nov  6 08:49:37 1994", "  Sun, 06 Nov 1994 08:49:37 GMT  "}) {
    std::optional<core::SystemTime> t = ParseHttpDate(text);
    ASSERT_TRUE(t.has_value()) << text;
    EXPECT_EQ(*t, *expected) << text;
  }
}

TEST(ParseHttpDate, TwoDigitYearsOfRfc850) {
  EXPECT_EQ(ParseHttpDate("Thursday, 01-Jan-70 00:00:00 GMT"), core::SystemTime{});
  EXPECT_EQ(ParseHttpDate("Monday, 01-Jan-35 00:00:00 GMT"), core::ParseIso8601("2035-01-01T00:00:00Z"));
}

TEST(ParseHttpDate, RefusesWhatIsNotAnHttpDate) {
  for (std::string_view text : {"", "120", "2024-01-01T00:00:00Z", "Sun, 06 Nov 1994 08:49:37",
                                "Sun, 06 Nov 1994 08:49:37 CET", "Sun, 32 Nov 1994 08:49:37 GMT",
                                "Sun, 06 Foo 1994 08:49:37 GMT", "Sun, 06 Nov 1994 24:00:00 GMT",
                                "Thu, 29 Feb 2023 00:00:00 GMT", "Sun, 6 Nov 1994 08:49:37 GMT",
                                "Sun, 06 Nov 1994 08:49:37 GMT trailing"}) {
    EXPECT_FALSE(ParseHttpDate(text).has_value()) << text;
  }
  EXPECT_TRUE(ParseHttpDate("Thu, 29 Feb 2024 00:00:00 GMT").has_value());
}

}  // namespace
}  // namespace causeway::exchange
