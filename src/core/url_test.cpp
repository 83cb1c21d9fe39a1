#include "core/url.h"

#include "core/ascii.h"

#include <gtest/gtest.h>

namespace causeway::core {
namespace {

std::string Decoded(std::string_view in, bool plus_is_space) {
  std::string out = "stale";
  EXPECT_TRUE(PercentDecode(in, plus_is_space, &out)) << in;
  return out;
}

bool Malformed(std::string_view in) {
  std::string out;
  return !PercentDecode(in, true, &out);
}

TEST(PercentDecodeTest, CopiesRunsAndDecodesEscapes) {
  EXPECT_EQ(Decoded("", false), "");
  EXPECT_EQ(Decoded("JobStatusGet", false), "JobStatusGet");
  EXPECT_EQ(Decoded("%2FIBP%2fX", false), "/IBP/X");
  EXPECT_EQ(Decoded("a%20b+c", false), "a b+c");
  EXPECT_EQ(Decoded("a%20b+c", true), "a b c");
  EXPECT_EQ(Decoded("++", true), "  ");
  EXPECT_EQ(Decoded("%41", true), "A");
  EXPECT_EQ(Decoded("x%41%42y", true), "xABy");
  EXPECT_EQ(Decoded("%25%2B+", true), "%+ ");
}

TEST(PercentDecodeTest, RefusesTruncatedOrNonHexEscapes) {
  EXPECT_TRUE(Malformed("%"));
  EXPECT_TRUE(Malformed("a%4"));
  EXPECT_TRUE(Malformed("%G1"));
  EXPECT_TRUE(Malformed("%1G"));
  EXPECT_TRUE(Malformed("ok%41then%"));
}

TEST(FindAnyTest, FindsTheFirstByteOfTheSet) {
  EXPECT_EQ(FindAny("BC_EXT;v=0002/JobSet?x", "/?"), 13u);
  EXPECT_EQ(FindAny("a=1; b=2, c=3", ";,"), 3u);
  EXPECT_EQ(FindAny("a=1; b=2, c=3", ";,", 4), 8u);
  EXPECT_EQ(FindAny("plain", "/?#"), std::string_view::npos);
  EXPECT_EQ(FindAny("", "/"), std::string_view::npos);
  EXPECT_EQ(FindAny("abc", "c", 3), std::string_view::npos);
}

TEST(PercentEncodeTest, KeepsUnreservedAndTheGivenCharactersEscapesTheRest) {
  EXPECT_EQ(PercentEncode("BRF-123_a.b~Z9"), "BRF-123_a.b~Z9");
  EXPECT_EQ(PercentEncode("a b/c'\xC3\xBC+%"), "a%20b%2Fc%27%C3%BC%2B%25");
  EXPECT_EQ(PercentEncode("a/b c", "/"), "a/b%20c");
  EXPECT_EQ(PercentEncode(std::string_view("\0\x7F\xFF", 3)), "%00%7F%FF");
  EXPECT_EQ(PercentEncode(""), "");
  std::string back;
  ASSERT_TRUE(PercentDecode(PercentEncode("x=1&y=\xE2\x82\xAC /"), false, &back));
  EXPECT_EQ(back, "x=1&y=\xE2\x82\xAC /");
}
}  // namespace
}  // namespace causeway::core
