#include "http/content_coding.h"

#include <gtest/gtest.h>
#include <zlib.h>

#include <algorithm>

namespace causeway::http {
namespace {

// window_bits as deflateInit2 takes them: 15 + 16 gzip, 15 zlib, -15 raw deflate.
std::string Compress(const std::string& data, int window_bits) {
  z_stream zs{};
  EXPECT_EQ(deflateInit2(&zs, 9, Z_DEFLATED, window_bits, 8, Z_DEFAULT_STRATEGY), Z_OK);
  std::string out(deflateBound(&zs, data.size()) + 32, '\0');
  zs.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data()));
  zs.avail_in = static_cast<uInt>(data.size());
  zs.next_out = reinterpret_cast<Bytef*>(out.data());
  zs.avail_out = static_cast<uInt>(out.size());
  EXPECT_EQ(deflate(&zs, Z_FINISH), Z_STREAM_END);
  out.resize(zs.total_out);
  deflateEnd(&zs);
  return out;
}
std::string Gzip(const std::string& s) { return Compress(s, MAX_WBITS + 16); }

const std::string kEnvelope =
    "<soapenv:Envelope xmlns:soapenv=\"http://schemas.xmlsoap.org/soap/envelope/\"><soapenv:Body>"
    "Grüße</soapenv:Body></soapenv:Envelope>";

TEST(ContentCodingTest, GzipAndDeflateInEitherFormAreUndone) {
  struct Case {
    std::string codings, body, expected;
  };
  for (const Case& c : std::vector<Case>{
           {"gzip", Gzip(kEnvelope), kEnvelope},
           {"x-gzip", Gzip(kEnvelope), kEnvelope},
           {"GZip", Gzip(kEnvelope), kEnvelope},
           {"deflate", Compress(kEnvelope, MAX_WBITS), kEnvelope},   // RFC 9110: the zlib format
           {"deflate", Compress(kEnvelope, -MAX_WBITS), kEnvelope},  // what some clients send instead
           {" identity , gzip ", Gzip(kEnvelope), kEnvelope},
           {"deflate, gzip", Gzip(Compress(kEnvelope, MAX_WBITS)), kEnvelope},  // applied in this order
           {"gzip", Gzip("<a>") + Gzip("b</a>"), "<a>b</a>"},                   // two gzip members
       }) {
    std::string decoded = c.body;
    EXPECT_FALSE(DecodeContentCoding(c.codings, decoded, 1 << 20)) << c.codings;
    EXPECT_EQ(decoded, c.expected) << c.codings;
  }
}

TEST(ContentCodingTest, IdentityLeavesTheBodyAlone) {
  std::string body = kEnvelope;
  EXPECT_FALSE(DecodeContentCoding("identity", body, 10));
  EXPECT_FALSE(DecodeContentCoding("", body, 10));
  EXPECT_EQ(body, kEnvelope);
}

TEST(ContentCodingTest, AnotherCodingIs415) {
  std::string body = kEnvelope;
  auto error = DecodeContentCoding("br", body, 1 << 20);
  ASSERT_TRUE(error);
  EXPECT_EQ(error->status, 415);
  EXPECT_NE(error->text.find("'br'"), std::string::npos) << error->text;
  EXPECT_EQ(body, kEnvelope);
  EXPECT_EQ(DecodeContentCoding("gzip, compress", body, 1 << 20)->status, 415);  // nothing undone first
  EXPECT_EQ(body, kEnvelope);
}

TEST(ContentCodingTest, ABodyThatDoesNotDecodeIs400) {
  const std::string gz = Gzip(kEnvelope);
  for (const std::string& bad : {kEnvelope, gz.substr(0, gz.size() / 2), gz.substr(0, gz.size() - 4),
                                 gz + "trailing", std::string()}) {
    std::string body = bad;
    auto error = DecodeContentCoding("gzip", body, 1 << 20);
    ASSERT_TRUE(error) << bad.size();
    EXPECT_EQ(error->status, 400);
    EXPECT_EQ(body, bad);
  }
  std::string body = Compress(kEnvelope, MAX_WBITS) + "x";
  EXPECT_EQ(DecodeContentCoding("deflate", body, 1 << 20)->status, 400);
  // Stacked: the first step decodes, the second does not; the body is still the one that came.
  const std::string stacked = Compress("not gzip inside", -MAX_WBITS);
  body = stacked;
  EXPECT_EQ(DecodeContentCoding("gzip, deflate", body, 1 << 20)->status, 400);
  EXPECT_EQ(body, stacked);
}

TEST(ContentCodingTest, ABodyThatWouldDecodeBeyondTheLimitIs413) {
  const std::string bomb = Gzip(std::string(64 << 20, '\0'));  // 64 MiB of zeros in about 64 KiB
  ASSERT_LT(bomb.size(), 100u << 10);
  std::string body = bomb;
  auto error = DecodeContentCoding("gzip", body, 1 << 20);
  ASSERT_TRUE(error);
  EXPECT_EQ(error->status, 413);
  std::string exact = Gzip(std::string(1000, 'a'));
  EXPECT_FALSE(DecodeContentCoding("gzip", exact, 1000));
  EXPECT_EQ(exact.size(), 1000u);
}

TEST(ContentCodingTest, TheDecodedBufferGrowsOnlyAsTheBudgetAllows) {
  const std::string gz = Gzip(std::string(1 << 20, 'a'));
  std::vector<size_t> asked;
  std::string body = gz;
  EXPECT_FALSE(DecodeContentCoding("gzip", body, 4 << 20, [&](size_t c) { asked.push_back(c); return true; }));
  EXPECT_EQ(body.size(), 1u << 20);
  ASSERT_FALSE(asked.empty());
  EXPECT_GE(asked.back(), (1u << 20) + gz.size());  // the decoded bytes and the compressed ones
  EXPECT_TRUE(std::is_sorted(asked.begin(), asked.end()));

  body = gz;
  auto error = DecodeContentCoding("gzip", body, 4 << 20, [](size_t c) { return c < (256 << 10); });
  ASSERT_TRUE(error);
  EXPECT_EQ(error->status, 503);
  EXPECT_EQ(body, gz);
}

}  // namespace
}  // namespace causeway::http
