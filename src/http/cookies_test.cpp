#include "http/cookies.h"

#include <gtest/gtest.h>

namespace causeway::http {
namespace {

TEST(CookiesTest, ToleratesSloppyHeaders) {
  std::vector<std::string_view> lines = {" sap-usercontext=sap-client=100 ;; SAP_SESSIONID_CWY_100=old ",
                                         "junk; SAP_SESSIONID_CWY_100=\"new.v\"; other=1,x=2"};
  EXPECT_EQ(FindCookie(lines, "SAP_SESSIONID_CWY_100"), "new.v");
  EXPECT_EQ(FindCookie(lines, "sap-usercontext"), "sap-client=100");
  EXPECT_EQ(FindCookie(lines, "x"), "2");
  EXPECT_FALSE(FindCookie(lines, "missing").has_value());
  EXPECT_FALSE(FindCookie({}, "x").has_value());
}

}  // namespace
}  // namespace causeway::http
