#include "exchange/control_call.h"

#include <gtest/gtest.h>

namespace causeway::exchange {
namespace {

// The exit codes the control-plane commands promise (README: 0, 4 for 404, 3 for another
// refusal, 1 when no answer came or the server failed).
TEST(PrintControlAnswerTest, ExitCodesFollowTheAnswer) {
  EXPECT_EQ(PrintControlAnswer(ControlAnswer{200, R"({"retried":true})"}), 0);
  EXPECT_EQ(PrintControlAnswer(ControlAnswer{204, ""}), 0);
  EXPECT_EQ(PrintControlAnswer(ControlAnswer{404, R"({"error":"x"})"}), 4);
  EXPECT_EQ(PrintControlAnswer(ControlAnswer{409, R"({"error":"x"})"}), 3);
  EXPECT_EQ(PrintControlAnswer(ControlAnswer{502, "<html>bad gateway</html>"}), 1);
}

// An SSO proxy's login page answers 200: a script must not take it for the retry it asked for.
TEST(PrintControlAnswerTest, ASuccessThatIsNotJsonIsAFailure) {
  EXPECT_EQ(PrintControlAnswer(ControlAnswer{200, "<html>login</html>"}), 1);
  EXPECT_EQ(PrintControlAnswer(ControlAnswer{200, R"({"half":)"}), 1);
}

}  // namespace
}  // namespace causeway::exchange
