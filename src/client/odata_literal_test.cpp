#include "client/odata_literal.h"

#include <gtest/gtest.h>

#include "client/duration_flag.h"

namespace causeway::client {
namespace {

TEST(ODataLiteral, StringDoublesQuotesAndEncodes) {
  EXPECT_EQ(StringLiteral("JOB1"), "'JOB1'");
  EXPECT_EQ(StringLiteral("It's a test"), "'It%27%27s%20a%20test'");
  EXPECT_EQ(StringLiteral("a&b=c#d"), "'a%26b%3Dc%23d'");
  EXPECT_EQ(StringLiteral(R"({"VALUES":[]})"), "'%7B%22VALUES%22%3A%5B%5D%7D'");
  EXPECT_EQ(StringLiteral("\xC3\xA4"), "'%C3%A4'");  // UTF-8 bytes
  EXPECT_EQ(StringLiteral(""), "''");
}

TEST(ODataLiteral, DateTime) {
  EXPECT_EQ(*DateTimeLiteral("2024-01-31"), "datetime'2024-01-31T00:00:00'");
  EXPECT_EQ(*DateTimeLiteral("2024-01-31T08:15"), "datetime'2024-01-31T08:15:00'");
  EXPECT_EQ(*DateTimeLiteral("2024-01-31 08:15:30"), "datetime'2024-01-31T08:15:30'");
  for (const char* bad : {"", "2024-1-31", "2024-13-01", "2024-01-31T25:00", "yesterday",
                          "2024-01-31T08:15:30Z'"}) {
    EXPECT_FALSE(DateTimeLiteral(bad).ok()) << bad;
  }
}

TEST(ODataLiteral, FormatsJsonDates) {
  EXPECT_EQ(FormatODataDateTime("/Date(1492098664000)/"), "2017-04-13T15:51:04Z");
  EXPECT_EQ(FormatODataDateTime("/Date(1492098664000+0000)/"), "2017-04-13T15:51:04Z");
  EXPECT_EQ(FormatODataDateTime("2017-04-13T15:51:04"), "2017-04-13T15:51:04");
}

TEST(DurationFlag, Units) {
  EXPECT_EQ(ParseDuration("90")->count(), 90000);
  EXPECT_EQ(ParseDuration("500ms")->count(), 500);
  EXPECT_EQ(ParseDuration("5m")->count(), 300000);
  EXPECT_EQ(ParseDuration("2h")->count(), 7200000);
  EXPECT_FALSE(ParseDuration("-1s").ok());
  EXPECT_FALSE(ParseDuration("5 days").ok());
  EXPECT_FALSE(ParseDuration("").ok());
}

}  // namespace
}  // namespace causeway::client
