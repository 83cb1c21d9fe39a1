#include "exchange/control_call.h"

#include <gtest/gtest.h>

namespace causeway::exchange {
namespace {

// The exit codes the control-plane commands promise (README: 0, 4 for 404, 3 for another
// refusal, 1 when no answer came or the server failed).
TEST(PrintControlAnswerTest, ExitCodesFollowTheAnswer) {
  const std::string json = "application/json; charset=utf-8";
  EXPECT_EQ(PrintControlAnswer(ControlAnswer{200, R"({"retried":true})", json}), 0);
  EXPECT_EQ(PrintControlAnswer(ControlAnswer{204, "", ""}), 0);
  EXPECT_EQ(PrintControlAnswer(ControlAnswer{200, "<n0:Request/>", "text/xml; charset=utf-8"}), 0);  // a payload
  EXPECT_EQ(PrintControlAnswer(ControlAnswer{404, R"({"error":"x"})", json}), 4);
  EXPECT_EQ(PrintControlAnswer(ControlAnswer{409, R"({"error":"x"})", json}), 3);
  EXPECT_EQ(PrintControlAnswer(ControlAnswer{502, "<html>bad gateway</html>", "text/html"}), 1);
}

// An SSO proxy's login page answers 200: a script must not take it for the retry it asked for.
// A stored payload (XML) is an answer of the control plane.
TEST(PrintControlAnswerTest, ASuccessThatIsNotJsonIsAFailure) {
  EXPECT_EQ(PrintControlAnswer(ControlAnswer{200, "<html>login</html>", "text/html; charset=utf-8"}), 1);
  EXPECT_EQ(PrintControlAnswer(ControlAnswer{200, R"({"half":)", "application/json"}), 1);
}

}  // namespace
}  // namespace causeway::exchange
