#include "security/password_hash.h"

#include <gtest/gtest.h>

namespace causeway::security {
namespace {

TEST(PasswordHashTest, VerifiesOnlyTheRightPassword) {
  std::string h = HashPassword("Welcome1!", 1000);
  EXPECT_TRUE(LooksLikePasswordHash(h));
  EXPECT_TRUE(VerifyPassword("Welcome1!", h));
  EXPECT_FALSE(VerifyPassword("welcome1!", h));
  EXPECT_FALSE(VerifyPassword("", h));
  EXPECT_NE(HashPassword("Welcome1!", 1000), h) << "salt must differ";
}

TEST(PasswordHashTest, RejectsMalformedHashes) {
  for (const char* bad : {"", "plain", "pbkdf2-sha256$", "pbkdf2-sha256$x$AAAA$AAAA", "pbkdf2-sha256$0$AAAA$AAAA",
                          "pbkdf2-sha256$1000$!!$AAAA", "pbkdf2-sha256$1000$AAAA$AAAA"})
    EXPECT_FALSE(VerifyPassword("x", bad)) << bad;
}

}  // namespace
}  // namespace causeway::security
