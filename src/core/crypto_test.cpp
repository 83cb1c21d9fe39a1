#include "core/crypto.h"

#include <gtest/gtest.h>
#include <openssl/sha.h>

#include <cstring>

#include "core/random.h"
#include "core/sha256.h"

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

TEST(CryptoTest, CanonicalUrlDecodingAcceptsOnlyWhatTheEncoderWrites) {
  std::string out;
  for (std::string_view data : {"", "f", "fo", "foo", "foob", "\xff\xfe\xfd"}) {
    ASSERT_TRUE(Base64UrlDecodeCanonical(Base64UrlEncode(data), &out)) << data;
    EXPECT_EQ(out, data);
  }
  EXPECT_TRUE(Base64UrlDecodeCanonical("Zg", &out));
  EXPECT_FALSE(Base64UrlDecodeCanonical("Zh", &out)) << "unused low bits set";
  EXPECT_FALSE(Base64UrlDecodeCanonical("Zg==", &out)) << "padding";
  EXPECT_FALSE(Base64UrlDecodeCanonical("Z", &out)) << "a lone character is no byte";
  EXPECT_FALSE(Base64UrlDecodeCanonical("+/8", &out)) << "standard alphabet";
  EXPECT_TRUE(Base64UrlDecodeCanonical("-_8", &out));
}

TEST(CryptoTest, HmacMatchesRfc4231Case2) {
  EXPECT_EQ(HexEncode(HmacSha256Signer("Jefe").Sign("what do ya want for nothing?")),
            "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
}

TEST(CryptoTest, PrecomputedSignerMatchesPlainHmac) {
  HmacSha256Signer jefe("Jefe");
  EXPECT_EQ(HexEncode(jefe.Sign("what do ya want for nothing?")),
            "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
  std::string long_key(131, '\xaa');  // RFC 4231 case 6: key longer than the block
  HmacSha256Signer big(long_key);
  EXPECT_EQ(HexEncode(big.Sign("Test Using Larger Than Block-Size Key - Hash Key First")),
            "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54");
  EXPECT_EQ(Sha256Hex("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  EXPECT_EQ(Sha256Hex(""), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  EXPECT_EQ(Sha256Hex("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"),
            "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
  // Fed in uneven pieces across block boundaries: one million 'a' (NIST long message).
  Sha256 h;
  std::string chunk(997, 'a');
  size_t left = 1000000;
  while (left) {
    size_t n = std::min(left, chunk.size());
    h.Update(chunk.data(), n);
    left -= n;
  }
  auto d = h.Final();
  EXPECT_EQ(HexEncode(std::string_view(reinterpret_cast<const char*>(d.data()), d.size())),
            "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
}

// Every length around the padding boundaries (55/56/64 bytes), checked against OpenSSL's
// one-shot SHA-256 as an independent reference, so both the padding and the block function in
// use on this CPU (SHA extensions or portable) are covered.
TEST(CryptoTest, Sha256MatchesOpenSslForEveryLengthUpTo300) {
  std::string data;
  for (size_t n = 0; n <= 300; ++n) {
    unsigned char want[SHA256_DIGEST_LENGTH];
    ::SHA256(reinterpret_cast<const unsigned char*>(data.data()), data.size(), want);
    auto got = Sha256::Hash(data);
    ASSERT_EQ(std::memcmp(got.data(), want, sizeof want), 0) << "length " << n;
    data += static_cast<char>(n * 131 + 7);
  }
}

TEST(CryptoTest, Sha256BlockFunctionsAgree) {
  for (int round = 0; round < 50; ++round) {
    std::string block = RandomHexUpper(32);  // 64 bytes
    Sha256 fast, portable;
    fast.Update(block);  // a full block: compressed by the dispatching block function
    portable.CompressPortableForTest(reinterpret_cast<const unsigned char*>(block.data()));
    ASSERT_EQ(fast.StateForTest(), portable.StateForTest()) << block;
  }
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
