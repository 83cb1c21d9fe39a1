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

std::string Block(std::string_view request_line, std::string_view fields) {
  return std::string(request_line) + "\r\nHost: h\r\n" + std::string(fields) + "\r\n";
}

// RFC 9112 §6.1: a body whose length cannot be determined must not be read as the next
// request (request smuggling); the answer is 400 (501 for a coding we do not know) and close.
TEST(BodyFramingTest, RefusesEveryTransferEncodingThatIsNotExactlyChunked) {
  struct Case {
    const char* fields;
    int status;
  } cases[] = {
      {"Transfer-Encoding: gzip\r\n", 400},
      {"Transfer-Encoding: identity\r\n", 400},
      {"Transfer-Encoding: xchunked\r\n", 400},
      {"Transfer-Encoding: chunked, gzip\r\n", 400},
      {"Transfer-Encoding: chunked, chunked\r\n", 400},
      {"Transfer-Encoding: chunked\r\nTransfer-Encoding: chunked\r\n", 400},
      {"Transfer-Encoding: chunked\r\nTransfer-Encoding: gzip\r\n", 400},
      {"Transfer-Encoding:\r\n", 400},
      {"Transfer-Encoding: ,\r\n", 400},
      {"Transfer-Encoding: chunked\r\nContent-Length: 5\r\n", 400},
      {"Content-Length: 5\r\nTransfer-Encoding: chunked\r\n", 400},
      {"Transfer-Encoding : chunked\r\n", 400},
      {"Content-Length : 5\r\n", 400},
      {"X: a\r\n chunked\r\n", 400},
      {"Content-Length: 5\r\nContent-Length: 6\r\n", 400},
      {"Content-Length: -1\r\n", 400},
      {"Content-Length: 0x10\r\n", 400},
      {"Content-Length: 1 2\r\n", 400},
      {"Transfer-Encoding: gzip, chunked\r\n", 501},
      {"Transfer-Encoding: deflate,chunked\r\n", 501},
  };
  for (const auto& c : cases) {
    auto verdict = CheckBodyFraming(Block("POST /_causeway/health HTTP/1.1", c.fields));
    ASSERT_TRUE(verdict.has_value()) << c.fields;
    EXPECT_EQ(verdict->status, c.status) << c.fields;
    EXPECT_FALSE(verdict->text.empty());
  }
}

TEST(BodyFramingTest, AcceptsUnambiguousFraming) {
  for (const char* fields : {"", "Content-Length: 5\r\n", "Content-Length: 5\r\nContent-Length: 5\r\n",
                             "Transfer-Encoding: chunked\r\n", "transfer-encoding:  CHUNKED \r\n",
                             "X-Transfer-Encoding: gzip\r\n", "Accept-Encoding: gzip\r\n"}) {
    EXPECT_FALSE(CheckBodyFraming(Block("POST /x HTTP/1.1", fields)).has_value()) << fields;
  }
}

TEST(BodyFramingTest, TransferEncodingInHttp10IsFaulty) {
  auto v = CheckBodyFraming(Block("POST /x HTTP/1.0", "Transfer-Encoding: chunked\r\n"));
  ASSERT_TRUE(v.has_value());
  EXPECT_EQ(v->status, 400);
  EXPECT_FALSE(CheckBodyFraming(Block("POST /x HTTP/1.0", "Content-Length: 3\r\n")).has_value());
}

}  // namespace
}  // namespace causeway::http
