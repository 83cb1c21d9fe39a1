// BusinessAgreementReplicateRequest payload (validated against the WSDL's schema) →
// agreements::ReplicationRequest, and the message's queue key (the agreement it changes).
#pragma once

#include <string>

#include "domain/agreements/agreement.h"
#include "soap/xml_view.h"

namespace causeway::services::business_agreement {

inline constexpr char kMessageNamespace[] = "http://sap.com/xi/SAPGlobal20/Global";
inline constexpr char kRequestElement[] = "BusinessAgreementReplicateRequest";

agreements::ReplicationRequest MapReplicationRequest(soap::XmlElement payload);

// The business agreement a message changes: "ID:<ID>" when it names one, else
// "UUID:<lower-case UUID>", else "" (a create without either is a queue of its own).
std::string AgreementQueueKey(soap::XmlElement payload);

}  // namespace causeway::services::business_agreement
