#include "services/ext_integration/document_links.h"
#include "core/url.h"

#include <gtest/gtest.h>

namespace causeway::services::ext_integration {
namespace {

using State = DocumentLinks::State;

// Splits an absolute link into path and query as the server sees them.
std::pair<std::string, std::string> PathAndQuery(const std::string& url) {
  size_t path = url.find('/', url.find("://") + 3);
  size_t q = url.find('?');
  return {url.substr(path, q - path), url.substr(q + 1)};
}

std::string Replace(std::string s, const std::string& from, const std::string& to) {
  size_t at = s.find(from);
  if (at != std::string::npos) s.replace(at, from.size(), to);
  return s;
}

class DocumentLinksTest : public ::testing::Test {
 protected:
  core::SystemTime now_ = core::FromUnixMillis(1467727595000);  // 2016-07-05T14:06:35Z
  DocumentLinks links_{"secret key", std::chrono::hours(2), "CWY"};
  const LinkSpec document_{false, "00505683226E1ED68CF740FDA3BA396B", ""};
  const LinkSpec attachment_{true, "00505683226E1EE69A4C5B6D7E8F9001", "Test Case 1.docx"};
};

TEST_F(DocumentLinksTest, BothShapesOfTheAppendix) {
  EXPECT_EQ(links_.Make(document_, "http://examplehost.domain:50089/", "200", now_).rfind(
                "http://examplehost.domain:50089/sap/bc/solman/SolmanDocuments/200?_CLASS=SOLARGEN&_LOIO="
                "00505683226E1ED68CF740FDA3BA396B&LANGUAGE=EN&RELEASE=620&IWB_INDUSTRY=/KWCUST/"
                "&TMP_IWB_TRY_OTHER_LANG=X&TMP_IWB_TRY_OTHER_IND=X&TMP_IWB_TASK=PREVIEW2&expiration=20160705160635"
                "&secKey=",
                0),
            0u);
  const std::string a = links_.Make(attachment_, "http://examplehost.domain:50089", "200", now_);
  EXPECT_EQ(a.rfind("http://examplehost.domain:50089/sap/bc/contentserver/200?get&pVersion=0046&contRep=CRMORDER"
                    "&docId=00505683226E1EE69A4C5B6D7E8F9001&compId=Test%20Case%201.docx&accessMode=r"
                    "&authId=CN%3DCWY&expiration=20160705160635&secKey=",
                    0),
            0u)
      << a;
  EXPECT_NE(a.find("%3D"), std::string::npos);  // the base64 signature, percent-encoded
}

TEST_F(DocumentLinksTest, ValidUntilExpiryThenExpiredAndTamperingIsRefused) {
  for (const LinkSpec& spec : {document_, attachment_}) {
    const std::string url = links_.Make(spec, "https://h:1", "100", now_);
    auto [path, query] = PathAndQuery(url);
    auto v = links_.Check(path, query, now_ + std::chrono::minutes(119));
    EXPECT_EQ(v.state, State::kValid) << v.reason;
    EXPECT_EQ(v.id, spec.id);
    EXPECT_EQ(v.attachment, spec.attachment);
    auto expired = links_.Check(path, query, now_ + std::chrono::minutes(121));
    EXPECT_EQ(expired.state, State::kExpired);
    EXPECT_EQ(expired.id, spec.id);
    EXPECT_EQ(expired.reason, "the link expired at 20160705160635 UTC");

    struct Case {
      std::string path, query, reason;
    };
    const std::string id_param = spec.attachment ? "docId=" : "_LOIO=";
    const std::vector<Case> tampered = {
        {path, Replace(query, id_param + "005", id_param + "006"), "signature does not match"},
        {path, Replace(query, "expiration=20160705", "expiration=20990705"), "signature does not match"},
        {Replace(path, "/100", "/200"), query, "signature does not match"},
        {path, query.substr(0, query.find("&secKey=")), "not signed"},
        {path, query + "&secKey=AAAA", "appears twice"},
        {path, query + "&" + id_param + "00505683226E1EE69A4C5B6D7E8F9009", "appears twice"},
        {path, Replace(query, "secKey=", "secKey=%"), "malformed"},
        {"/sap/bc/other/100", query, "not a document link"},
    };
    for (const auto& t : tampered) {
      auto r = links_.Check(t.path, t.query, now_);
      EXPECT_EQ(r.state, State::kInvalid) << t.path << "?" << t.query;
      EXPECT_NE(r.reason.find(t.reason), std::string::npos) << r.reason;
    }
    // A key Causeway does not hold signs nothing Causeway accepts.
    DocumentLinks other("another key", std::chrono::hours(2), "CWY");
    EXPECT_EQ(other.Check(path, query, now_).state, State::kInvalid);
  }
}

TEST_F(DocumentLinksTest, AClientReEncodingTheQueryKeepsItValid) {
  const std::string url = links_.Make(document_, "https://h", "100", now_);
  auto [path, query] = PathAndQuery(url);
  const std::string reencoded = Replace(Replace(query, "IWB_INDUSTRY=/KWCUST/", "IWB_INDUSTRY=%2FKWCUST%2F"),
                                        "_CLASS=SOLARGEN", "_CLASS=SOL%41RGEN");
  EXPECT_EQ(links_.Check(path, reencoded, now_).state, State::kValid);
  EXPECT_EQ(links_.Check("/SAP/BC/SOLMAN/SOLMANDOCUMENTS/100", query, now_).state, State::kValid);  // ICF ignores case
}

TEST(PercentEncodeTest, UnreservedStayOthersAreEscaped) {
  EXPECT_EQ(core::PercentEncode("BRF-123_a.b~"), "BRF-123_a.b~");
  EXPECT_EQ(core::PercentEncode("a b/c'ü"), "a%20b%2Fc%27%C3%BC");
  EXPECT_EQ(core::PercentEncode("a/b", "/"), "a/b");
}

}  // namespace
}  // namespace causeway::services::ext_integration
