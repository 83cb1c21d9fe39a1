#include "core/crypto.h"

#include <gtest/gtest.h>

#include "core/random.h"

namespace causeway::core {
namespace {

TEST(CryptoTest, Base64RoundTripsAndMatchesRfc4648) {
  EXPECT_EQ(Base64Encode(""), "");
  EXPECT_EQ(Base64Encode("f"), "Zg==");
  EXPECT_EQ(Base64Encode("fo"), "Zm8=");
  EXPECT_EQ(Base64Encode("foobar"), "Zm9vYmFy");
  std::string out;
  ASSERT_TRUE(Base64Decode("Zm9vYmE=", &out));
  EXPECT_EQ(out, "fooba");
  EXPECT_FALSE(Base64Decode("Zm9v!", &out));
  EXPECT_FALSE(Base64Decode("Zg==Zg", &out));
}

TEST(CryptoTest, HmacMatchesRfc4231Case2) {
  EXPECT_EQ(HexEncode(HmacSha256("Jefe", "what do ya want for nothing?")),
            "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
}

TEST(CryptoTest, RandomIdsHaveTheRequestedShape) {
  std::string h = RandomHexUpper(16);
  EXPECT_EQ(h.size(), 32u);
  EXPECT_EQ(h.find_first_not_of("0123456789ABCDEF"), std::string::npos);
  std::string a = RandomFromAlphabet(8, "abc");
  EXPECT_EQ(a.size(), 8u);
  EXPECT_EQ(a.find_first_not_of("abc"), std::string::npos);
  EXPECT_NE(RandomHexUpper(16), RandomHexUpper(16));
}

TEST(CryptoTest, ConstantTimeEquals) {
  EXPECT_TRUE(ConstantTimeEquals("abc", "abc"));
  EXPECT_FALSE(ConstantTimeEquals("abc", "abd"));
  EXPECT_FALSE(ConstantTimeEquals("abc", "ab"));
}

}  // namespace
}  // namespace causeway::core
