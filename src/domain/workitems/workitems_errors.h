// The errors of the Focused Build domain. SAP's message class /SALM/EXT_INTEG is public only
// for number 003 (status mapping missing, guide appendix 5.2); every other situation uses
// Causeway's own class CAUSEWAY/FB so that it can never be mistaken for an SAP message.
//
// Inbound (StatusSet) errors are HTTP 500 on purpose: SolMan raises them in the data provider
// (the guide's example is a 500), and connectors treat 400-428 as "communication errors" that
// they retry silently every minute, forever (the Jira connector's HttpUtils), while a 500 is an
// application error they show to a person.
#pragma once

#include <string>

#include "core/error.h"

namespace causeway::workitems {

inline constexpr char kSalmClass[] = "/SALM/EXT_INTEG";
inline constexpr char kFbClass[] = "CAUSEWAY/FB";

// --- inbound status update (EXT_INTEGRATION_SRV), all kInternal (500) ---
// /SALM/EXT_INTEG/003 "Status mapping for ext. status &1 is not existing for ticket &2."
core::Error StatusMappingMissing(const std::string& external_status, const std::string& ticket_id);
// CAUSEWAY/FB/101 "Ticket with GUID &1 does not exist"
core::Error InboundUnknownGuid(const std::string& guid);
// CAUSEWAY/FB/102 "Status change from &1 to &2 is not allowed for ticket &3"
core::Error InboundTransitionRefused(const std::string& from, const std::string& to, const std::string& ticket_id);
// CAUSEWAY/FB/103 "GUID &1 in the request body differs from key GUID &2"
core::Error InboundGuidMismatch(const std::string& body_guid, const std::string& key_guid);
// CAUSEWAY/FB/104 "Ticket &1 is a work package; status updates are accepted for work items only"
core::Error InboundWorkPackage(const std::string& ticket_id);

// --- control plane and domain operations ---
// kNotFound CAUSEWAY/FB/001 "Ticket &1 does not exist"
core::Error ObjectNotFound(const std::string& id);
// kBadRequest CAUSEWAY/FB/010 with target = the field
core::Error BadField(const std::string& field, const std::string& text);
// kConflict CAUSEWAY/FB/011 "Status change from &1 to &2 is not allowed for ticket &3"
core::Error TransitionRefused(const std::string& from, const std::string& to, const std::string& ticket_id);
// kBadRequest CAUSEWAY/FB/012 with target = the customizing field
core::Error BadCustomizing(const std::string& field, const std::string& text);
// kBadRequest CAUSEWAY/FB/013: S1_CALL_EXT cannot push this object (the reason says why)
core::Error NotPushable(const std::string& ticket_id, const std::string& reason);
// kConflict CAUSEWAY/FB/014 "Ticket &1 was changed meanwhile; read it again and retry"
core::Error ChangedMeanwhile(const std::string& ticket_id);
// kPayloadTooLarge CAUSEWAY/FB/015
core::Error DocumentTooLarge(int64_t size, int64_t limit);
// kNotFound CAUSEWAY/FB/016 "Document &1 does not exist"
core::Error DocumentNotFound(const std::string& id);
// kConflict CAUSEWAY/FB/017 "The customizing was changed meanwhile; read it again and retry"
core::Error CustomizingChangedMeanwhile();
bool IsCustomizingChangedMeanwhile(const core::Error& e);
// kInternal CAUSEWAY/FB/090: the store holds something this code cannot read
core::Error StoreInconsistent(const std::string& text);

}  // namespace causeway::workitems
