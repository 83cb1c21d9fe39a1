// Reading and writing the A2X conventions of soap/a2x.h on the wire: action-code and
// list-complete attributes, token-valued leaves, and the Log element. For services mapping a
// validated payload (soap::XmlElement) to domain requests. Thread-safe (pure functions over
// read-only views; a writer belongs to one response).
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "soap/a2x.h"
#include "soap/xml_view.h"
#include "soap/xml_writer.h"

namespace causeway::soap::a2x {

// The node's action code attribute (`actionCode`; DocumentServices nodes spell it
// `ActionCode`); 04 when it is absent (spec A.3.1). The schema has checked its value.
Action ActionAttribute(XmlElement node, std::string_view attribute = "actionCode");
// A list-complete transmission indicator attribute: true for "true"/"1", false when absent.
bool IndicatorAttribute(XmlElement node, std::string_view attribute);

// The collapsed text (xsd:token) of the child `name`, or nullopt when it is not transmitted:
// an optional leaf that is not sent leaves the stored value unchanged.
std::optional<std::string> ChildToken(XmlElement node, std::string_view name);
// The child's text as sent (xsd:string), or nullopt.
std::optional<std::string> ChildString(XmlElement node, std::string_view name);
// An Indicator child: nullopt when not transmitted.
std::optional<bool> ChildIndicator(XmlElement node, std::string_view name);

// <Log> with BusinessDocumentProcessingResultCode (when not empty), MaximumLogItemSeverityCode
// (when there are items) and one Item per log item (TypeID, SeverityCode,
// ReferenceObjectNodeSenderTechnicalID when not initial, Note).
void WriteLog(XmlWriter& w, const std::vector<LogItem>& items, std::string_view result_code);

}  // namespace causeway::soap::a2x
