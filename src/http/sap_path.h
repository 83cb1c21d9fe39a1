// Parses the request-target of a SAP Gateway OData call into service, version and resource.
//
// Accepted forms (all seen in the field, see docs/ARCHITECTURE.md):
//   /sap/opu/odata/<ns>/<SERVICE>[;v=NNNN][;o=...][/<resource>][?query]
//   /sap/opu/odata/<ns>/<SERVICE>?v=N/<resource>[/][?query]     (IBP guide's curl script)
//   /sap/opu/odata/<ns>/<SERVICE>/<resource>?v=N&...             (version as a query option)
//   /opu/odata/<ns>/<SERVICE>/…                                   (ICF's alias without /sap, as
//                                                                  the Focused Build guide writes it)
// The namespace segment and the service name match case-insensitively. `sap-client`,
// `sap-language` and `saml2` are taken out of the query (headers `sap-client` and
// `sap-language` are honoured too, the header winning for the client as ICF does).
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace causeway::http {

struct SapODataPath {
  std::string namespace_segment;  // as sent, e.g. "sap" or "SAP"
  std::string service;            // as sent, e.g. "BC_EXT_APPJOB_MANAGEMENT"
  int version = 1;                // ;v=0002 / ;v=2 / ?v=2 -> 2; absent -> 1
  // "/sap/opu/odata/<ns>/<SERVICE>;v=NNNN/" with prefix and namespace as sent; ";v=…" only
  // when the request named a version (or one above 1), as Gateway writes its ids: a matrix
  // version as sent (";v=2"), a query-option version as four digits (";v=0002").
  std::string root_path;
  std::string resource_path;      // raw, percent-encoded, relative to the root ("" = root)
  std::string query;              // raw query without sap-client/sap-language/saml2/v
  std::string sap_client;         // from the query, empty if absent
  std::string sap_language;       // from the query, empty if absent
};

// Returns nullopt if `target` is not under /sap/opu/odata/ or /opu/odata/ (prefix compared
// case-insensitively).
std::optional<SapODataPath> ParseSapODataPath(std::string_view target);

// The sap-client and sap-language URL parameters of any request-target (percent-decoded; empty
// when absent): ICF reads them at logon, before any service, so a SOAP endpoint's
// "…?sap-client=200" (as SOAMANAGER writes its URLs) names the client as an OData URL's does.
struct SapUrlOptions {
  std::string sap_client;
  std::string sap_language;
};
SapUrlOptions SapUrlOptionsOf(std::string_view target);

}  // namespace causeway::http
