#include "soap/xml_writer.h"

#include <gtest/gtest.h>

namespace causeway::soap {
namespace {

TEST(XmlWriter, WritesNestedElementsOnOneLine) {
  XmlWriter w;
  w.Open("n0:Root").Attr("xmlns:n0", "urn:x").Open("Empty").Close().Leaf("A", "1").Open("B").Text("t").Close().Close();
  EXPECT_EQ(w.str(), "<n0:Root xmlns:n0=\"urn:x\"><Empty/><A>1</A><B>t</B></n0:Root>");
  EXPECT_EQ(w.depth(), 0u);
}

TEST(XmlWriter, EscapesTextAndAttributes) {
  XmlWriter w;
  w.Open("a").Attr("v", "\"<&>\t").Text("<b>&\"\r\x01").Close();
  EXPECT_EQ(w.str(), "<a v=\"&quot;&lt;&amp;&gt;&#x9;\">&lt;b&gt;&amp;\"&#xD;</a>");
}

}  // namespace
}  // namespace causeway::soap
