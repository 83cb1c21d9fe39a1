#include "soap/envelope.h"

#include <gtest/gtest.h>

namespace causeway::soap {
namespace {

constexpr char kSoap11[] =
    "<e:Envelope xmlns:e=\"http://schemas.xmlsoap.org/soap/envelope/\"><e:Header/><e:Body>"
    "<n0:Req xmlns:n0=\"urn:test\"><Child>x</Child></n0:Req></e:Body></e:Envelope>";

TEST(Envelope, Soap11AnyPrefix) {
  auto env = ParseEnvelope(kSoap11, {});
  ASSERT_TRUE(env.ok()) << env.error().text;
  EXPECT_EQ(env->version, SoapVersion::k11);
  EXPECT_EQ(env->payload.LocalName(), "Req");
  EXPECT_EQ(env->payload.Namespace(), "urn:test");
  EXPECT_TRUE(env->header);
  EXPECT_EQ(env->payload.ChildText("Child").value_or(""), "x");
}

TEST(Envelope, Soap12DefaultNamespaceAndNoHeader) {
  auto env = ParseEnvelope(
      "<?xml version=\"1.0\"?><Envelope xmlns=\"http://www.w3.org/2003/05/soap-envelope\"><Body>"
      "<Req xmlns=\"urn:test\"><Child xmlns=\"\">y</Child></Req></Body></Envelope>",
      {});
  ASSERT_TRUE(env.ok()) << env.error().text;
  EXPECT_EQ(env->version, SoapVersion::k12);
  EXPECT_FALSE(env->header);
  EXPECT_EQ(env->payload.Namespace(), "urn:test");
  // An unqualified child is found by Child(); a qualified one is not.
  EXPECT_EQ(env->payload.ChildText("Child").value_or(""), "y");
}

struct BadCase {
  const char* name;
  std::string xml;
  const char* number;
};

class EnvelopeRejects : public ::testing::TestWithParam<BadCase> {};

TEST_P(EnvelopeRejects, WithItsNumber) {
  ParseLimits limits;
  limits.max_bytes = 4096;
  limits.max_depth = 16;
  auto env = ParseEnvelope(GetParam().xml, limits);
  ASSERT_FALSE(env.ok());
  EXPECT_EQ(env.error().message_class, "CAUSEWAY/SOAP");
  EXPECT_EQ(env.error().message_number, GetParam().number) << env.error().text;
  EXPECT_EQ(env.error().code, core::Code::kBadRequest);
}

std::string Deep(int levels) {
  std::string s = "<e:Envelope xmlns:e=\"http://schemas.xmlsoap.org/soap/envelope/\"><e:Body>";
  for (int i = 0; i < levels; ++i) s += "<a>";
  for (int i = 0; i < levels; ++i) s += "</a>";
  return s + "</e:Body></e:Envelope>";
}

INSTANTIATE_TEST_SUITE_P(
    Cases, EnvelopeRejects,
    ::testing::Values(
        BadCase{"not_xml", "<e:Envelope", "001"},
        BadCase{"undeclared_entity",
                "<e:Envelope "
                "xmlns:e=\"http://schemas.xmlsoap.org/soap/envelope/\"><e:Body><a>&x;</a></e:Body></e:Envelope>",
                "001"},
        BadCase{"billion_laughs",
                "<?xml version=\"1.0\"?><!DOCTYPE l [<!ENTITY a \"aaaaaaaaaa\"><!ENTITY b \"&a;&a;&a;&a;&a;&a;\">]>"
                "<e:Envelope "
                "xmlns:e=\"http://schemas.xmlsoap.org/soap/envelope/\"><e:Body><x>&b;</x></e:Body></e:Envelope>",
                "002"},
        BadCase{"external_entity",
                "<!DOCTYPE x [<!ENTITY f SYSTEM \"file:///etc/passwd\">]><e:Envelope "
                "xmlns:e=\"http://schemas.xmlsoap.org/soap/envelope/\"><e:Body><x>&f;</x></e:Body></e:Envelope>",
                "002"},
        BadCase{"external_dtd", "<!DOCTYPE x SYSTEM \"http://example.invalid/x.dtd\"><x/>", "002"},
        BadCase{"too_large", std::string(5000, ' ') + "<x/>", "003"}, BadCase{"too_deep", Deep(40), "004"},
        BadCase{"not_envelope", "<Envelope/>", "006"},
        BadCase{"other_root", "<x:Body xmlns:x=\"http://schemas.xmlsoap.org/soap/envelope/\"/>", "005"},
        BadCase{"no_body", "<e:Envelope xmlns:e=\"http://schemas.xmlsoap.org/soap/envelope/\"><e:Header/></e:Envelope>",
                "007"},
        BadCase{"empty_body",
                "<e:Envelope xmlns:e=\"http://schemas.xmlsoap.org/soap/envelope/\"><e:Body> </e:Body></e:Envelope>",
                "008"},
        BadCase{
            "two_payloads",
            "<e:Envelope xmlns:e=\"http://schemas.xmlsoap.org/soap/envelope/\"><e:Body><a/><b/></e:Body></e:Envelope>",
            "008"},
        BadCase{"two_bodies",
                "<e:Envelope "
                "xmlns:e=\"http://schemas.xmlsoap.org/soap/envelope/\"><e:Body><a/></e:Body><e:Body><b/></e:Body>"
                "</e:Envelope>",
                "007"}),
    [](const auto& test_case) { return std::string(test_case.param.name); });

TEST(Envelope, ElementCountLimit) {
  ParseLimits limits;
  limits.max_elements = 10;
  std::string s = "<e:Envelope xmlns:e=\"http://schemas.xmlsoap.org/soap/envelope/\"><e:Body><r>";
  for (int i = 0; i < 20; ++i) s += "<a/>";
  s += "</r></e:Body></e:Envelope>";
  auto env = ParseEnvelope(s, limits);
  ASSERT_FALSE(env.ok());
  EXPECT_EQ(env.error().message_number, "004");
}

std::string WithAttributes(const std::string& tag_start, int n) {
  std::string s = "<e:Envelope xmlns:e=\"http://schemas.xmlsoap.org/soap/envelope/\"><e:Body>" + tag_start;
  for (int i = 0; i < n; ++i) s += " z" + std::to_string(i) + "=\"\"";
  return s + "/></e:Body></e:Envelope>";
}

// libxml2 spends time quadratic in one tag's attributes before its hooks run: the count is
// checked before it sees the text. Quoted '=' and '>', comments, CDATA and PIs do not count.
TEST(Envelope, AttributesPerElementAreLimitedBeforeParsing) {
  ParseLimits limits;
  EXPECT_TRUE(ParseEnvelope(WithAttributes("<a", 256), limits).ok());
  for (int n : {257, 100'000}) {
    auto env = ParseEnvelope(WithAttributes("<a", n), limits);
    ASSERT_FALSE(env.ok()) << n;
    EXPECT_EQ(env.error().message_number, "004");
    EXPECT_NE(env.error().text.find("more than 256 attributes"), std::string::npos) << env.error().text;
  }
  // Namespace declarations are attributes too.
  std::string ns = "<a";
  for (int i = 0; i < 300; ++i) ns += " xmlns:p" + std::to_string(i) + "=\"urn:" + std::to_string(i) + "\"";
  EXPECT_FALSE(ParseEnvelope(WithAttributes(ns, 0), limits).ok());
  // What is not an attribute is not counted.
  std::string quiet = "<e:Envelope xmlns:e=\"http://schemas.xmlsoap.org/soap/envelope/\"><e:Body><a v=\"";
  quiet += std::string(1000, '=') + ">'\"><!--" + std::string(1000, '=') + "--><![CDATA[<x " + std::string(1000, '=') +
           "]]><?pi " + std::string(1000, '=') + "?>" + std::string(1000, '=') + "</a></e:Body></e:Envelope>";
  auto env = ParseEnvelope(quiet, limits);
  EXPECT_TRUE(env.ok()) << env.error().text;
}

// The limits stop the parser where they are crossed, before the rest of the document is read
// (let alone built into a tree): the malformed tail here is never reached. The thread's parser
// then parses the next document as usual.
TEST(Envelope, ShapeLimitsStopTheParseWhereTheyAreCrossed) {
  ParseLimits limits;
  limits.max_elements = 10;
  std::string s = "<e:Envelope xmlns:e=\"http://schemas.xmlsoap.org/soap/envelope/\"><e:Body><r>";
  for (int i = 0; i < 20; ++i) s += "<a/>";
  s += "<unclosed></r>";
  auto env = ParseEnvelope(s, limits);
  ASSERT_FALSE(env.ok());
  EXPECT_EQ(env.error().message_number, "004") << env.error().text;
  limits.max_elements = 200'000;
  limits.max_depth = 8;
  std::string deep = "<e:Envelope xmlns:e=\"http://schemas.xmlsoap.org/soap/envelope/\"><e:Body>";
  for (int i = 0; i < 20; ++i) deep += "<d>";
  deep += "<broken";
  auto too_deep = ParseEnvelope(deep, limits);
  ASSERT_FALSE(too_deep.ok());
  EXPECT_EQ(too_deep.error().message_number, "004") << too_deep.error().text;
  EXPECT_TRUE(ParseEnvelope(kSoap11, {}).ok());
}

// Each thread reuses one parser context: what one document did to it (a DOCTYPE that stopped
// the parser, a syntax error, a success) never shows in the next result, and documents stay
// valid after later parses.
TEST(Envelope, ParsesOnOneThreadAreIndependent) {
  const std::string laughs = "<!DOCTYPE l [<!ENTITY a \"aaaa\">]><e:Envelope xmlns:e=\"http://schemas.xmlsoap.org/soap/"
                             "envelope/\"><e:Body><x>&a;</x></e:Body></e:Envelope>";
  std::vector<Envelope> kept;
  for (int round = 0; round < 50; ++round) {
    auto good = ParseEnvelope(kSoap11, {});
    ASSERT_TRUE(good.ok()) << round << ": " << good.error().text;
    kept.push_back(std::move(good).value());
    auto doctype = ParseEnvelope(laughs, {});
    ASSERT_FALSE(doctype.ok());
    EXPECT_EQ(doctype.error().message_number, "002") << round;
    auto broken = ParseEnvelope("<e:Envelope xmlns:e=\"http://schemas.xmlsoap.org/soap/envelope/\"><e:Body>", {});
    ASSERT_FALSE(broken.ok());
    EXPECT_EQ(broken.error().message_number, "001") << round;
    EXPECT_NE(broken.error().text.find("line 1"), std::string::npos) << broken.error().text;
  }
  for (const Envelope& e : kept) EXPECT_EQ(e.payload.ChildText("Child").value_or(""), "x");
}

// Many distinct names (hostile input) make the thread drop its context's dictionary after the
// parse; documents parsed before still read their names, later parses work.
TEST(Envelope, ADictionaryOfManyNamesIsDropped) {
  auto before = ParseEnvelope(kSoap11, {});
  ASSERT_TRUE(before.ok());
  std::string s = "<e:Envelope xmlns:e=\"http://schemas.xmlsoap.org/soap/envelope/\"><e:Body><r>";
  for (int i = 0; i < 30'000; ++i) s += "<n" + std::to_string(i) + "/>";
  s += "</r></e:Body></e:Envelope>";
  auto many = ParseEnvelope(s, {});
  ASSERT_TRUE(many.ok()) << many.error().text;
  EXPECT_EQ(many->payload.FirstChild().LocalName(), "n0");
  auto after = ParseEnvelope(kSoap11, {});
  ASSERT_TRUE(after.ok());
  EXPECT_EQ(before->payload.LocalName(), "Req");
  EXPECT_EQ(many->payload.FirstChild().Next().LocalName(), "n1");
  EXPECT_EQ(after->payload.ChildText("Child").value_or(""), "x");
}

TEST(CollapseWhitespace, AsXsdToken) {
  EXPECT_EQ(CollapseWhitespace("  a \n\t b  "), "a b");
  EXPECT_EQ(CollapseWhitespace(""), "");
}

}  // namespace
}  // namespace causeway::soap
