#include "http/response_writer.h"

#include <gtest/gtest.h>

namespace causeway::http {
namespace {

TEST(ResponseWriterTest, WritesLowerCaseHeadersAndFraming) {
  Response r(200, "application/json; charset=utf-8", "{}");
  r.headers.Add("dataserviceversion", "2.0");
  r.headers.Add("set-cookie", "a=1");
  r.headers.Add("set-cookie", "b=2");
  std::string out;
  WriteResponseHead(r, {}, &out);
  EXPECT_EQ(out,
            "HTTP/1.1 200 OK\r\ncontent-type: application/json; charset=utf-8\r\ndataserviceversion: 2.0\r\n"
            "set-cookie: a=1\r\nset-cookie: b=2\r\ncontent-length: 2\r\n\r\n");
}

TEST(ResponseWriterTest, SharedBodyIsTheBody) {
  Response r;
  r.shared_body = std::make_shared<const std::string>("cached!");
  std::string out;
  WriteResponseHead(r, {}, &out);
  EXPECT_EQ(out, "HTTP/1.1 200 OK\r\ncontent-length: 7\r\n\r\n");
  EXPECT_EQ(r.body_view(), "cached!");
}

TEST(ResponseWriterTest, ConnectionHeaderFollowsVersionAndKeepAlive) {
  Response r(404, "text/plain", "nope");
  std::string out;
  WriteResponseHead(r, {.version = 11, .keep_alive = false}, &out);
  EXPECT_NE(out.find("connection: close\r\n"), std::string::npos);
  WriteResponseHead(r, {.version = 10, .keep_alive = true}, &out);
  EXPECT_EQ(out.rfind("HTTP/1.0 404 Not Found\r\n", 0), 0u);
  EXPECT_NE(out.find("connection: keep-alive\r\n"), std::string::npos);
}

TEST(ResponseWriterTest, NoLengthWithoutBodyAndHandlerFramingIgnored) {
  Response r;
  r.status = 204;
  r.headers.Add("content-length", "99");
  r.headers.Add("Connection", "upgrade");
  std::string out;
  WriteResponseHead(r, {}, &out);
  EXPECT_EQ(out, "HTTP/1.1 204 No Content\r\n\r\n");
}

TEST(ResponseWriterTest, LineBreaksInValuesCannotSplitTheHeaderBlock) {
  Response r(201, "text/plain", "");
  r.headers.Add("location", "http://h/Set('a\r\nset-cookie: evil=1')");
  std::string out;
  WriteResponseHead(r, {}, &out);
  EXPECT_NE(out.find("location: http://h/Set('a  set-cookie: evil=1')\r\n"), std::string::npos) << out;
  EXPECT_EQ(out.find("\r\nset-cookie"), std::string::npos);
}

}  // namespace
}  // namespace causeway::http
