// What a SOAP service gives the engine: its operations (found by the body's root element
// QName), its WSDL (which carries the XSDs the engine validates against) and one entry point.
// The engine knows no domain; the service knows no HTTP or envelope.
#pragma once

#include <string>
#include <vector>

#include "core/result.h"
#include "soap/xml_view.h"

namespace causeway::soap {

struct Operation {
  std::string name;               // WSDL operation name, e.g. "MaintainBundle"
  std::string request_namespace;  // QName of the body's root element
  std::string request_element;
  // Asynchronous one-way operation (e.g. a replication In-interface): answered with HTTP 202
  // and no body once Invoke() returned.
  bool one_way = false;
  // The operation carries SAP's idempotency policy: a request whose BasicMessageHeader/UUID was
  // seen before is answered from the stored response (spec A.3.5).
  bool idempotent = false;
};

struct ServiceDescription {
  std::string interface_name;       // e.g. "ManageTaskActivityIn" (faults, error log)
  std::string interface_namespace;  // e.g. "http://sap.com/xi/A1S/Global"
  // The WSDL served at ?wsdl; every occurrence of `address_placeholder` in it is replaced by
  // the endpoint address the client used.
  std::string wsdl;
  std::string address_placeholder;
  std::vector<Operation> operations;
};

// Who calls and how, as the HTTP/security layers established it.
struct CallContext {
  std::string user;      // authenticated user (upper case)
  std::string client;    // sap-client
  std::string language;  // sap-language, e.g. "EN"
  // Scheme, host and port the client addressed, e.g. "https://host:8443" (WSDL address).
  std::string base_url;
};

struct Reply {
  // The body's child element as complete markup, namespace declarations included; empty for a
  // one-way operation.
  std::string payload;
};

class Service {
 public:
  virtual ~Service() = default;
  virtual const ServiceDescription& Description() const = 0;
  // Runs `op` on a payload that already passed schema validation. Business outcomes (including
  // business errors reported in a Log) are replies; a returned error becomes the generic SOAP
  // fault, its text kept in the web-service error log only. Called from many threads at once.
  virtual core::Result<Reply> Invoke(const Operation& op, XmlElement payload, const CallContext& ctx) const = 0;
};

}  // namespace causeway::soap
