// The outbound create/update payload of the guide's appendix 5.1, field for field: attribute
// names and order as the guide lists them, numbers as JSON numbers (PRIORITY 2, EFFORT
// 24480.00, LEVEL 3), dates YYYYMMDD, timestamps YYYYMMDDhhmmss (UTC), "" and zero values
// where there is nothing (never null), arrays for WRICEF_ATTRIBUTES, PARTNER, APPOINTMENT,
// TEXT, CATEGORY, PROCESS_STRUCT, DOCUMENT and ATTACHMENT. Only what the process type's
// outbound field mapping selects is written (a Set Specific Value rule writes its value);
// SYSTEM_GUID, EXTERNAL_ID, PARENT_EXTERNAL_ID, TICKET_ID, TICKET_GUID and PROCESS_TYPE always
// are (the tool needs them to tell create from update and to call StatusSet back). PARTNER,
// TEXT and APPOINTMENT hold the entries the partner, text and appointment mappings select.
// EXTERNAL_ID, PARENT_EXTERNAL_ID and the document URLs are markers filled in at send time
// (push_payload.h). Stateless, thread-safe.
#pragma once

#include "domain/workitems/push.h"
#include "services/ext_integration/push_payload.h"

namespace causeway::services::ext_integration {

class JsonPayloadBuilder final : public workitems::PayloadBuilder {
 public:
  core::Result<std::string> Build(const workitems::PushView& view) const override;
};

// Only the body template of `view` (what Build puts after the header line), for tests.
std::string BuildBodyTemplate(const workitems::PushView& view, PushEnvelope* envelope);

// "24480.00" for 2448000 hundredths.
std::string FormatHundredths(int64_t hundredths);

}  // namespace causeway::services::ext_integration
