// The XML Schemas a service's WSDL declares (every xsd:schema in wsdl:types), compiled once with
// libxml2's XML Schema validator, so that the WSDL Causeway serves is the single source of truth
// for element order, cardinality, lengths, patterns and enumerations.
//
// The inline schemas import each other by namespace only (as SAP's A2X WSDLs do). To compile
// them, each is copied into a standalone document (with the namespace declarations in scope
// in the WSDL), its imports are pointed at in-memory locations ("cw-schema:/<set>/<n>"), and a
// process-wide libxml2 entity loader serves those locations and refuses every other external
// load (files and network alike).
//
// Thread safety: a compiled SchemaSet is immutable; Validate() may be called from any number of
// threads at once (each call uses its own validation context).
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"
#include "soap/xml_view.h"

struct _xmlSchema;

namespace causeway::soap {

class SchemaSet {
 public:
  // Compiles the schemas of a WSDL document. Errors: kInternal CAUSEWAY/SOAP/020 with the
  // schema compiler's messages (a defect of the service's WSDL; Engine compiles on first use and every
  // service's tests compile its WSDL).
  static core::Result<std::shared_ptr<const SchemaSet>> FromWsdl(std::string_view wsdl);
  ~SchemaSet();
  SchemaSet(const SchemaSet&) = delete;
  SchemaSet& operator=(const SchemaSet&) = delete;

  // Validates `element` and its subtree against the global element declaration of its QName.
  // Error: kBadRequest CAUSEWAY/SOAP/010 whose text lists the validator's first messages
  // (element, line, reason).
  core::Status Validate(XmlElement element) const;

  // Target namespaces of the schemas.
  const std::vector<std::string>& namespaces() const { return namespaces_; }
  bool Declares(std::string_view ns) const;

  // Removes, from `element`'s subtree, elements and attributes in namespaces that none of the
  // schemas declares (key-user extension fields and the like, which SAP's receivers ignore;
  // spec A.3.6). xsi: attributes stay (the validator understands them). Returns how many
  // nodes were removed. Modifies the document: call before Validate().
  size_t StripForeign(XmlElement element) const;

 private:
  SchemaSet() = default;
  _xmlSchema* schema_ = nullptr;
  std::vector<std::string> namespaces_;
};

}  // namespace causeway::soap
