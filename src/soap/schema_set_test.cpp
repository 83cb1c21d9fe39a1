#include "soap/schema_set.h"

#include <gtest/gtest.h>

#include "soap/envelope.h"
#include "soap/testing/echo_wsdl.h"

namespace causeway::soap {
namespace {

XmlDocument Parse(const std::string& xml) {
  auto d = ParseXml(xml, {});
  EXPECT_TRUE(d.ok()) << d.error().text;
  return std::move(d).value();
}

std::shared_ptr<const SchemaSet> Echo() {
  auto s = SchemaSet::FromWsdl(testing::kEchoWsdl);
  EXPECT_TRUE(s.ok()) << s.error().text;
  return s.ok() ? *s : nullptr;
}

TEST(SchemaSet, CompilesInlineSchemasThatImportByNamespace) {
  auto s = Echo();
  ASSERT_TRUE(s);
  EXPECT_TRUE(s->Declares("urn:test:msg"));
  EXPECT_TRUE(s->Declares("urn:test:types"));
  EXPECT_FALSE(s->Declares("urn:other"));
}

struct Case {
  const char* name;
  const char* items;  // the Item elements after the header
  bool valid;
};

class SchemaValidation : public ::testing::TestWithParam<Case> {};

TEST_P(SchemaValidation, Validates) {
  auto s = Echo();
  ASSERT_TRUE(s);
  XmlDocument d = Parse(std::string("<n:EchoRequest xmlns:n=\"urn:test:msg\"><BasicMessageHeader/>") +
                        GetParam().items + "</n:EchoRequest>");
  core::Status st = s->Validate(d.Root());
  EXPECT_EQ(st.ok(), GetParam().valid) << (st.ok() ? "" : st.error().text);
  if (!st.ok()) {
    EXPECT_EQ(st.error().message_number, "010");
  }
}

INSTANTIATE_TEST_SUITE_P(
    Cases, SchemaValidation,
    ::testing::Values(Case{"ok", "<Item actionCode=\"01\"><Name>a</Name><Count>1</Count></Item>", true},
                      Case{"no_items", "", false},
                      Case{"wrong_order", "<Item><Count>1</Count><Name>a</Name></Item>", false},
                      Case{"bad_enum", "<Item actionCode=\"07\"><Name>a</Name></Item>", false},
                      Case{"too_long", "<Item><Name>12345678901</Name></Item>", false},
                      Case{"not_int", "<Item><Name>a</Name><Count>x</Count></Item>", false},
                      Case{"qualified_child", "<n:Item><Name>a</Name></n:Item>", false},
                      Case{"unknown_unqualified", "<Item><Name>a</Name><Extra/></Item>", false}),
    [](const auto& test_case) { return std::string(test_case.param.name); });

TEST(SchemaSet, StripsForeignNamespaceContentSoItValidates) {
  auto s = Echo();
  ASSERT_TRUE(s);
  XmlDocument d = Parse(
      "<n:EchoRequest xmlns:n=\"urn:test:msg\" xmlns:ext=\"http://sap.com/xi/AP/CustomerExtension/BYD/A2OER\">"
      "<BasicMessageHeader/><Item ext:flag=\"x\"><Name>a</Name><ext:Field>1</ext:Field><ext:Other><x/></ext:Other></Item>"
      "</n:EchoRequest>");
  EXPECT_FALSE(s->Validate(d.Root()).ok());
  EXPECT_EQ(s->StripForeign(d.Root()), 3u);
  core::Status st = s->Validate(d.Root());
  EXPECT_TRUE(st.ok()) << st.error().text;
}

TEST(SchemaSet, RejectsAWsdlWithoutSchemas) {
  auto s = SchemaSet::FromWsdl("<wsdl:definitions xmlns:wsdl=\"http://schemas.xmlsoap.org/wsdl/\"/>");
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.error().message_number, "020");
}

TEST(SchemaSet, NeverLoadsExternalSchemas) {
  auto s = SchemaSet::FromWsdl(
      "<wsdl:definitions xmlns:wsdl=\"http://schemas.xmlsoap.org/wsdl/\"><wsdl:types>"
      "<xsd:schema xmlns:xsd=\"http://www.w3.org/2001/XMLSchema\" targetNamespace=\"urn:a\">"
      "<xsd:include schemaLocation=\"file:///etc/passwd\"/></xsd:schema></wsdl:types></wsdl:definitions>");
  EXPECT_FALSE(s.ok());
}

}  // namespace
}  // namespace causeway::soap
