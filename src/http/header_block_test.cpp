#include "http/header_block.h"

#include <gtest/gtest.h>

namespace causeway::http {
namespace {

TEST(HeaderBlockTest, FindsTheEndOfEveryTerminatorStyle) {
  EXPECT_EQ(FindHeaderBlockEnd("GET / HTTP/1.1\r\nHost: x\r\n\r\nbody"), 27u);
  EXPECT_EQ(FindHeaderBlockEnd("GET / HTTP/1.1\nHost: x\n\nbody"), 24u);
  EXPECT_EQ(FindHeaderBlockEnd("GET / HTTP/1.1\r\nX: a\r\r\n\r\n"), 25u);
  EXPECT_EQ(FindHeaderBlockEnd("GET / HTTP/1.1\r\nHost: x\r\n"), 0u);
  EXPECT_EQ(FindHeaderBlockEnd(""), 0u);
}

TEST(HeaderBlockTest, DropsStrayCarriageReturnsAndUnifiesLineEnds) {
  // The IBP guide's curl script: the token keeps the CR of the HEAD response line.
  EXPECT_EQ(NormalizeHeaderBlock("POST /x HTTP/1.1\r\nx-csrf-token:  abc==\r\r\nHost: h\n\r\n"),
            "POST /x HTTP/1.1\r\nx-csrf-token:  abc==\r\nHost: h\r\n\r\n");
  EXPECT_EQ(NormalizeHeaderBlock("GET / HTTP/1.1\r\nA: b\r\n\r\n"), "GET / HTTP/1.1\r\nA: b\r\n\r\n");
  EXPECT_FALSE(NeedsNormalizing("GET / HTTP/1.1\r\nA: b\r\n\r\n"));
  EXPECT_TRUE(NeedsNormalizing("GET / HTTP/1.1\nA: b\r\n\r\n"));
  EXPECT_TRUE(NeedsNormalizing("GET / HTTP/1.1\r\nA: b\r\r\n\r\n"));
}

}  // namespace
}  // namespace causeway::http
