#include "odata/writer.h"

#include <gtest/gtest.h>

#include <string>

namespace causeway::odata {
namespace {

std::string Json(std::string_view s) {
  std::string out = "x";
  AppendJsonString(out, s);
  return out;
}

std::string Xml(std::string_view s, bool attribute = false) {
  std::string out = "x";
  AppendXmlEscaped(out, s, attribute);
  return out;
}

TEST(AppendJsonString, PlainTextIsCopiedWhole) {
  EXPECT_EQ(Json(""), "x\"\"");
  EXPECT_EQ(Json("abc"), "x\"abc\"");
  EXPECT_EQ(Json("Create Time Periods for Planning Area"), "x\"Create Time Periods for Planning Area\"");
  EXPECT_EQ(Json("Grüße €"), "x\"Grüße €\"");  // UTF-8 passes through
}

TEST(AppendJsonString, EscapesQuotesBackslashesAndControls) {
  EXPECT_EQ(Json("a\"b"), "x\"a\\\"b\"");
  EXPECT_EQ(Json("a\\b"), "x\"a\\\\b\"");
  EXPECT_EQ(Json("\n\r\t\b\f"), "x\"\\n\\r\\t\\b\\f\"");
  EXPECT_EQ(Json(std::string("\x01\x1f", 2)), "x\"\\u0001\\u001f\"");
  EXPECT_EQ(Json(std::string("a\0b", 3)), "x\"a\\u0000b\"");
  EXPECT_EQ(Json("\x7f"), "x\"\x7f\"");  // DEL needs no escape in JSON
}

// The scan reads 8 bytes at a time: a special character at every position of a long string,
// at word boundaries and in the tail, must be found.
TEST(AppendJsonString, FindsSpecialsAtEveryOffset) {
  for (size_t len = 1; len <= 40; ++len)
    for (size_t at = 0; at < len; ++at)
      for (auto [special, escaped] : {std::pair<char, const char*>{'"', "\\\""}, {'\\', "\\\\"},
                                      {'\n', "\\n"}, {'\x1f', "\\u001f"}}) {
        std::string s(len, 'a');
        s[at] = special;
        std::string want = "x\"" + std::string(at, 'a') + escaped + std::string(len - at - 1, 'a') + "\"";
        ASSERT_EQ(Json(s), want) << len << " " << at;
      }
}

TEST(AppendJsonString, HighBytesAreNotMistakenForControls) {
  // 0x80..0xFF minus 0x20 would underflow into the "below" test in a naive word scan.
  std::string s;
  for (int c = 0x80; c <= 0xff; ++c) s += static_cast<char>(c);
  EXPECT_EQ(Json(s), "x\"" + s + "\"");
}

TEST(AppendXmlEscaped, EscapesMarkupKeepsWhitespace) {
  EXPECT_EQ(Xml("a&b<c>d\"e'f"), "xa&amp;b&lt;c&gt;d\"e'f");
  EXPECT_EQ(Xml("a\"b", true), "xa&quot;b");
  EXPECT_EQ(Xml("tab\tlf\ncr\r"), "xtab\tlf\ncr\r");
  EXPECT_EQ(Xml(std::string("bell\x07!", 6)), "xbell!");  // not representable in XML 1.0: dropped
}

TEST(AppendXmlEscaped, FindsMarkupAtEveryOffset) {
  for (size_t len = 1; len <= 40; ++len)
    for (size_t at = 0; at < len; ++at) {
      std::string s(len, 'b');
      s[at] = '<';
      std::string got = Xml(s);
      ASSERT_EQ(got.size(), s.size() + 1 + 3) << len << " " << at;
      ASSERT_EQ(got.find('<'), std::string::npos);
      s[at] = '\t';
      ASSERT_EQ(Xml(s), "x" + s);
    }
}

TEST(AppendJsonValue, WritesTypedValues) {
  std::string out;
  AppendJsonValue(out, Value(int64_t{-42}), EdmType::kInt32);
  out += ' ';
  AppendJsonValue(out, Value(int64_t{42}), EdmType::kInt64);
  out += ' ';
  AppendJsonValue(out, Value("a\"b"), EdmType::kString);
  out += ' ';
  AppendJsonValue(out, Value(), EdmType::kString);
  out += ' ';
  AppendJsonValue(out, Value(DateTime{1700000000000}), EdmType::kDateTime);
  EXPECT_EQ(out, "-42 \"42\" \"a\\\"b\" null \"\\/Date(1700000000000)\\/\"");
}

// Gateway before SAP_GWFND 7.50 (the Focused Build guide's appendix 5.2) writes no application
// block and no Batch_SAP_Note, and the older SAP_Transaction text.
TEST(GatewayErrorBody, LegacyReleasesOmitTheApplicationBlock) {
  core::Error e = core::MakeError(core::Code::kInternal, "/SALM/EXT_INTEG", "003", "Status mapping missing.");
  ServiceInfo info{.service_namespace = "/SALM/", .service_id = "EXT_INTEGRATION_SRV", .service_version = "0001"};
  const ErrorStamp stamp{"5779D741E1072697E10000000A4DA024", "20160704140612.0949610"};
  const std::string current = GatewayErrorJson(e, info, "EN", stamp);
  EXPECT_NE(current.find("\"application\":{"), std::string::npos);
  EXPECT_NE(current.find("Batch_SAP_Note"), std::string::npos);
  info.legacy_error_body = true;
  EXPECT_EQ(GatewayErrorJson(e, info, "EN", stamp),
            "{\"error\":{\"code\":\"/SALM/EXT_INTEG/003\",\"message\":{\"lang\":\"en\",\"value\":\"Status mapping "
            "missing.\"},\"innererror\":{\"transactionid\":\"5779D741E1072697E10000000A4DA024\",\"timestamp\":"
            "\"20160704140612.0949610\",\"Error_Resolution\":{\"SAP_Transaction\":\"Run transaction /IWFND/ERROR_LOG "
            "on SAP NW Gateway hub system and search for entries with the timestamp above for more details\",\"SAP_Note\":"
            "\"See SAP Note 1797736 for error analysis (https://service.sap.com/sap/support/notes/1797736)\"},"
            "\"errordetails\":[{\"code\":\"/SALM/EXT_INTEG/003\",\"message\":\"Status mapping missing.\","
            "\"propertyref\":\"\",\"severity\":\"error\",\"target\":\"\"}]}}}");
  const std::string xml = GatewayErrorXml(e, info, "EN", stamp);
  EXPECT_EQ(xml.find("<application>"), std::string::npos);
  EXPECT_EQ(xml.find("Batch_SAP_Note"), std::string::npos);
  EXPECT_NE(xml.find("<SAP_Transaction>Run transaction /IWFND/ERROR_LOG on SAP NW Gateway hub system"), std::string::npos);
}

}  // namespace
}  // namespace causeway::odata
