#include "core/storable_text.h"

#include <gtest/gtest.h>

namespace causeway::core {
namespace {

struct Case {
  const char* name;
  std::string in;
  std::string want;
};

TEST(StorableTextTest, ReplacesNulAndIllFormedUtf8Only) {
  const std::string r = "\xEF\xBF\xBD";
  const Case cases[] = {
      {"empty", "", ""},
      {"ascii", "line-1 ok", "line-1 ok"},
      {"valid multibyte", "Gr\xC3\xBC\xC3\x9F" "e \xE2\x82\xAC \xF0\x9F\x98\x80", "Gr\xC3\xBC\xC3\x9F" "e \xE2\x82\xAC \xF0\x9F\x98\x80"},
      {"nul", std::string("a\0b", 3), "a" + r + "b"},
      {"stray continuation", "a\x80z", "a" + r + "z"},
      {"latin-1 byte", "caf\xE9!", "caf" + r + "!"},
      {"overlong two-byte", "\xC0\xAF", r + r},
      {"surrogate", "\xED\xA0\x80x", r + r + r + "x"},
      {"truncated three-byte at end", "ab\xE2\x82", "ab" + r},
      {"truncated sequence before ascii", "\xE2\x82z", r + "z"},
      {"above U+10FFFF", "\xF4\x90\x80\x80", r + r + r + r},
      {"f5 lead", "\xF5", r},
  };
  for (const Case& c : cases) {
    EXPECT_EQ(StorableText(c.in), c.want) << c.name;
    EXPECT_EQ(IsStorableText(c.in), c.in == c.want) << c.name;
  }
}

// The scan takes eight bytes at a time while they are plain ASCII: a NUL, a valid sequence and
// an ill-formed byte at every offset of a longer text, around and across the word boundaries.
TEST(StorableTextTest, FindsWhatItMustReplaceAtEveryOffset) {
  const std::string r = "\xEF\xBF\xBD";
  for (size_t len = 1; len <= 24; ++len) {
    for (size_t at = 0; at < len; ++at) {
      std::string plain(len, 'x');
      EXPECT_TRUE(IsStorableText(plain));

      std::string nul = plain;
      nul[at] = '\0';
      EXPECT_FALSE(IsStorableText(nul)) << len << " " << at;
      EXPECT_EQ(StorableText(nul), plain.substr(0, at) + r + plain.substr(at + 1));

      std::string euro = plain.substr(0, at) + "\xE2\x82\xAC" + plain.substr(at);
      EXPECT_TRUE(IsStorableText(euro)) << len << " " << at;

      std::string latin1 = plain;
      latin1[at] = '\xE9';
      EXPECT_FALSE(IsStorableText(latin1)) << len << " " << at;
      EXPECT_EQ(StorableText(latin1), plain.substr(0, at) + r + plain.substr(at + 1));
    }
  }
}

}  // namespace
}  // namespace causeway::core
