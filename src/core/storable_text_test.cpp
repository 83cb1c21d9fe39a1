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

}  // namespace
}  // namespace causeway::core
