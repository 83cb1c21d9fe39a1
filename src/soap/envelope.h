// SOAP envelope parsing that is safe on hostile input (libxml2 underneath):
//   - no DTD at all: a DOCTYPE stops the parser at once (so no internal or external entities,
//     no entity expansion, no external subset); no network, no XInclude;
//   - limits on size (before parsing), element depth and element count (libxml2's own hard
//     limits stay on: XML_PARSE_HUGE is never set);
//   - namespaces resolved by URI, any prefix; SOAP 1.1 or 1.2 told by the envelope namespace.
// Thread-safe: each call parses into its own document (with a parser context kept per thread).
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "core/result.h"
#include "soap/xml_view.h"

struct _xmlDoc;

namespace causeway::soap {

inline constexpr std::string_view kSoap11Namespace = "http://schemas.xmlsoap.org/soap/envelope/";
inline constexpr std::string_view kSoap12Namespace = "http://www.w3.org/2003/05/soap-envelope";

enum class SoapVersion { k11, k12 };

struct ParseLimits {
  size_t max_bytes = 16 * 1024 * 1024;
  int max_depth = 64;
  size_t max_elements = 200'000;
  // Per start tag, namespace declarations included: libxml2's duplicate check and attribute
  // list are quadratic in their number (110,000 on one element took 142 s of a core).
  size_t max_attributes = 256;
};

// Owns a parsed libxml2 document.
class XmlDocument {
 public:
  XmlDocument() = default;
  explicit XmlDocument(_xmlDoc* doc);
  ~XmlDocument();
  XmlDocument(XmlDocument&& o) noexcept : doc_(o.doc_) { o.doc_ = nullptr; }
  XmlDocument& operator=(XmlDocument&& o) noexcept;
  XmlDocument(const XmlDocument&) = delete;
  XmlDocument& operator=(const XmlDocument&) = delete;

  XmlElement Root() const;
  _xmlDoc* raw() const { return doc_; }

 private:
  _xmlDoc* doc_ = nullptr;
};

// Parses any XML document under the rules above. Errors (core::Code::kBadRequest, class
// CAUSEWAY/SOAP): 001 not well-formed (libxml2's message and line in the text), 002 DOCTYPE
// refused, 003 larger than max_bytes, 004 deeper than max_depth or more than max_elements.
core::Result<XmlDocument> ParseXml(std::string_view text, const ParseLimits& limits);

struct Envelope {
  XmlDocument doc;
  SoapVersion version = SoapVersion::k11;
  XmlElement header;   // the Header element, empty if there is none
  XmlElement payload;  // the one element child of Body (document/literal, parameter style bare)
};

// ParseXml, then the envelope rules. Further errors: 005 the root is not a SOAP 1.1/1.2
// Envelope (006 when it is an Envelope in another namespace: version mismatch), 007 no Body,
// 008 a Body without exactly one element child.
core::Result<Envelope> ParseEnvelope(std::string_view text, const ParseLimits& limits);

// libxml2's global initialisation; called by everything in soap/ that uses libxml2, and safe
// to call from any thread any number of times.
void EnsureLibxml();

}  // namespace causeway::soap
