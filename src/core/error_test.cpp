#include "core/error.h"

#include <gtest/gtest.h>

#include "core/result.h"

namespace causeway::core {
namespace {

TEST(ErrorTest, GatewayCodeJoinsClassAndNumber) {
  Error e = MakeError(Code::kBadRequest, "APJ_RT", "003", "Job doesn't exist.");
  EXPECT_EQ(e.GatewayCode(), "APJ_RT/003");
  EXPECT_EQ(e.HttpStatus(), 400);
  Error bare = MakeError(Code::kForbidden, "/IWFND/CM_CONSUMER", "", "x");
  EXPECT_EQ(bare.GatewayCode(), "/IWFND/CM_CONSUMER");
}

TEST(ErrorTest, SubstitutesNumberedAndBareVariables) {
  EXPECT_EQ(SubstituteMessageVars("User &1 not authorized to schedule report &2.", {"BOB", "R1"}),
            "User BOB not authorized to schedule report R1.");
  EXPECT_EQ(SubstituteMessageVars("Job & has & steps", {"J", "3"}), "Job J has 3 steps");
  EXPECT_EQ(SubstituteMessageVars("A & B", {}), "A & B");
  EXPECT_EQ(MakeError(Code::kBadRequest, "C", "1", "Job &1 x", {"J1"}).text, "Job J1 x");
}

TEST(ErrorTest, StatusTableCoversEveryCode) {
  const std::pair<Code, int> table[] = {
      {Code::kBadRequest, 400}, {Code::kUnauthorized, 401},        {Code::kForbidden, 403},
      {Code::kNotFound, 404},   {Code::kMethodNotAllowed, 405},    {Code::kConflict, 409},
      {Code::kPreconditionFailed, 412}, {Code::kPayloadTooLarge, 413}, {Code::kPreconditionRequired, 428},
      {Code::kInternal, 500},   {Code::kNotImplemented, 501},      {Code::kUnavailable, 503}};
  for (auto [code, status] : table) EXPECT_EQ(HttpStatusOf(code), status);
}

Result<int> Half(int x) {
  if (x % 2) return MakeError(Code::kBadRequest, "T", "001", "odd");
  return x / 2;
}
Result<int> Quarter(int x) {
  CW_ASSIGN_OR_RETURN(int h, Half(x));
  return Half(h);
}

TEST(ResultTest, PropagatesErrors) {
  EXPECT_EQ(Quarter(8).value(), 2);
  auto r = Quarter(6);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().text, "odd");
}

}  // namespace
}  // namespace causeway::core
