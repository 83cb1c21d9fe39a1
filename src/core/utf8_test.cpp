#include "core/utf8.h"

#include <gtest/gtest.h>

namespace causeway::core {
namespace {

TEST(Utf8Test, KeepsWellFormedTextAndReplacesEveryIllFormedByte) {
  EXPECT_EQ(ValidUtf8("Jöb ∑ 😀 plain"), "Jöb ∑ 😀 plain");
  EXPECT_EQ(ValidUtf8("\xff\xfe"), "\xEF\xBF\xBD\xEF\xBF\xBD");
  EXPECT_EQ(ValidUtf8("J\xc3"), "J\xEF\xBF\xBD");               // cut in half
  EXPECT_EQ(ValidUtf8("\xc0\xaf"), "\xEF\xBF\xBD\xEF\xBF\xBD");  // overlong '/'
  EXPECT_EQ(ValidUtf8("\xed\xa0\x80"), "\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD");  // a surrogate
  EXPECT_EQ(ValidUtf8("\xf4\x90\x80\x80"), "\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD");  // > U+10FFFF
}

TEST(Utf8Test, XmlAlsoLosesTheControlsXmlForbids) {
  EXPECT_EQ(ValidUtf8(std::string("a\x01" "b\tc\n", 6), true), "a\xEF\xBF\xBD" "b\tc\n");
  EXPECT_EQ(ValidUtf8(std::string("a\0b", 3), true), "a\xEF\xBF\xBD" "b");
  EXPECT_EQ(ValidUtf8(std::string("a\x01", 2), false), std::string("a\x01", 2));
}

TEST(Utf8Test, WithoutUtf8BomDropsOnlyAWholeLeadingMark) {
  EXPECT_EQ(WithoutUtf8Bom("\xEF\xBB\xBF{}"), "{}");
  EXPECT_EQ(WithoutUtf8Bom("{}"), "{}");
  EXPECT_EQ(WithoutUtf8Bom(""), "");
  EXPECT_EQ(WithoutUtf8Bom("\xEF\xBB"), "\xEF\xBB");
  EXPECT_EQ(WithoutUtf8Bom("\xEF\xBB{}"), "\xEF\xBB{}");
  EXPECT_EQ(WithoutUtf8Bom(" \xEF\xBB\xBF{}"), " \xEF\xBB\xBF{}");  // a mark starts the text or is none
}

TEST(Utf8Test, SequenceLength) {
  EXPECT_EQ(Utf8SequenceLength("ö!"), 2u);
  EXPECT_EQ(Utf8SequenceLength("\xc3"), 1u);
  EXPECT_EQ(Utf8SequenceLength(""), 0u);
  EXPECT_EQ(Utf8SequenceLength("😀"), 4u);
}

}  // namespace
}  // namespace causeway::core
