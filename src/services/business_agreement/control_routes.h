// The control-plane routes of BusinessAgreementReplicationIn (users granted CAUSEWAY_CONTROL),
// JSON:
//   GET  /_causeway/business-agreement/agreements[?after=<id>&limit=<n>]  {"agreements":[…]} by ID
//   GET  /_causeway/business-agreement/agreements/<id or uuid>            one agreement (its document)
//   GET  /_causeway/business-agreement/partners                           {"partners":[…]}
//   PUT  /_causeway/business-agreement/partners/<id>  {"kind","name","email","employee_id"}
// The partners are the house's business partners (the same as /_causeway/task-activity/partners).
// Errors: {"error":{"code","message"}} as the rest of the control plane.
#pragma once

#include "domain/agreements/business_agreements.h"
#include "http/endpoint.h"

namespace causeway::services::business_agreement {

inline constexpr char kControlPath[] = "/_causeway/business-agreement/";

// `agreements` must outlive the endpoint.
http::Endpoint ControlEndpoint(agreements::BusinessAgreements& agreements);

}  // namespace causeway::services::business_agreement
