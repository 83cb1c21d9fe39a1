// SOAP envelopes and faults exactly as SAP's A2X runtime writes them (spec A.1.1, A.3.6): one
// line, prefix `soap-env` (SOAP 1.1) or `env` (SOAP 1.2), an empty Header, faults with code
// Server / Receiver, an English reason and an empty detail.
#pragma once

#include <string>
#include <string_view>

#include "core/clock.h"
#include "soap/envelope.h"

namespace causeway::soap {

// "text/xml; charset=utf-8" or "application/soap+xml; charset=utf-8".
const char* ContentTypeOf(SoapVersion v);
// The envelope around a body payload (complete markup).
std::string WrapInEnvelope(SoapVersion v, std::string_view payload);
// A fault envelope with the given reason text.
std::string FaultEnvelope(SoapVersion v, std::string_view reason);

// "Web service processing error; more details in the web service error log on provider side
// (UTC timestamp <YYYYMMDDhhmmss>; Transaction ID <id>)".
std::string ProcessingErrorText(core::SystemTime at, std::string_view transaction_id);
// "Authorization role missing for service "ServiceInterface <ns> <interface> <default>
// <default>", operation "Operation <ns> <operation>" (UTC timestamp …; Transaction ID …)".
std::string AuthorizationRoleMissingText(std::string_view interface_namespace, std::string_view interface_name,
                                         std::string_view operation, core::SystemTime at,
                                         std::string_view transaction_id);

}  // namespace causeway::soap
