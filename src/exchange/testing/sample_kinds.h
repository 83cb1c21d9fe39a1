// Message kinds shaped like the outbox's first two consumers, for the outbox's tests, its
// crash helper and its benchmark (and as an example for those consumers):
//
//   "fb.wp.create"  payload {"guid", "title"}: POST /fb/create/wp/<guid>, body {"GUID","TITLE"};
//                   creates its object; the answer must carry {"EXTERNAL_ID": "…"}.
//   "fb.wp.update"  payload {"title"}, Dependency::OnCreateOf(<wp guid>):
//                   PUT /fb/wp/#EXTERNAL_ID#, body {"TITLE"}.
//   "fb.wi.create"  payload {"guid", "title"}, OnCreateOf(<wp guid>), the package's ordering key:
//                   POST /fb/create/wi/<guid>, body {"GUID","TITLE","PARENT_EXTERNAL_ID"};
//                   creates its object; EXTERNAL_ID as above.
//   "cx.op"         payload {"record", "op", "n"}: POST /cx/<record>/<op>, body = payload.
//
// Every request carries Content-Type: application/json; creates send the GUID as
// idempotency data (Idempotency-Key and in the body).
#pragma once

#include <string>

#include "exchange/message_kind.h"

namespace causeway::exchange::testing {

KindRegistry SampleKinds();

// Payload builders.
std::string WorkPackagePayload(const std::string& guid, const std::string& title);
std::string WorkPackageUpdatePayload(const std::string& title);
std::string CaseOperationPayload(const std::string& record, const std::string& op, int n);

// {"EXTERNAL_ID": "<id>"}
std::string ExternalIdAnswer(const std::string& id);

}  // namespace causeway::exchange::testing
