#include "core/time_format.h"

#include <gtest/gtest.h>

namespace causeway::core {
namespace {

TEST(TimeFormatTest, FormatsKnownInstant) {
  SystemTime t = FromUnixMillis(1492098664123);  // 2017-04-13T15:51:04.123Z
  EXPECT_EQ(FormatIso8601(t), "2017-04-13T15:51:04Z");
  EXPECT_EQ(FormatIsoLocal(t), "2017-04-13T15:51:04");
  EXPECT_EQ(FormatSapTimestamp(t), "20170413155104.1230000");
  EXPECT_EQ(FormatSapTimestampShort(t), "20170413155104");
}

TEST(TimeFormatTest, ParsesEveryAcceptedShape) {
  struct Case {
    const char* in;
    int64_t ms;
    int offset;
  } cases[] = {
      {"2017-04-13T15:51", 1492098660000, 0},
      {"2017-04-13T15:51:04", 1492098664000, 0},
      {"2017-04-13T15:51:04.1234567", 1492098664123, 0},
      {"2017-04-13T15:51:04Z", 1492098664000, 0},
      {"2017-04-13T17:51:04+02:00", 1492098664000, 120},
      {"2017-04-13T10:51:04-05:00", 1492098664000, -300},
      {"1969-12-31T23:59:59Z", -1000, 0},
  };
  for (const auto& c : cases) {
    int off = 99;
    auto t = ParseIso8601(c.in, &off);
    ASSERT_TRUE(t.has_value()) << c.in;
    EXPECT_EQ(ToUnixMillis(*t), c.ms) << c.in;
    EXPECT_EQ(off, c.offset) << c.in;
  }
}

TEST(TimeFormatTest, RejectsMalformed) {
  for (const char* bad : {"", "2017-04-13", "2017-13-01T00:00", "2017-02-30T00:00", "2019-02-29T00:00",
                          "2017-04-13T24:00", "2017-04-13T10:00:00.", "2017-04-13T10:00:00.12345678",
                          "2017-04-13T10:00:00+0200", "2017-04-13T10:00:00X", "abcd-04-13T10:00"})
    EXPECT_FALSE(ParseIso8601(bad).has_value()) << bad;
  EXPECT_TRUE(ParseIso8601("2020-02-29T00:00").has_value());
}

}  // namespace
}  // namespace causeway::core
