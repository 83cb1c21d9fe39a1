// The control plane of Focused Build, what replaces the Solution Manager UI (JSON, users with
// CAUSEWAY_CONTROL), under /_causeway/fb/:
//
//   GET    objects?after=<ticket>&limit=<1-1000>&process_type=S1IT   list (headers)
//   POST   objects                                 create a work package or item (object_json.h)
//   GET    objects/<id>                            one, with integration data (EXTERNAL_ID, jump-in
//                                                  URLs) and, for a package, its items
//   PATCH  objects/<id>                            change fields and lists
//   POST   objects/<id>/texts                      {text_id, text, author}
//   POST   objects/<id>/status                     {status}
//   POST   objects/<id>/documents                  upload {kind, file_name, …, content_base64}
//   DELETE objects/<id>/documents/<doc id>
//   GET    objects/<id>/links                      the signed download links as a push would carry them now
//   POST   objects/<id>/actions/S1_CALL_EXT        hand over to development (push)
//   GET    objects/<id>/history                    status history
//   GET    objects/<id>/pushes                     the object's outbox messages (state, attempts, result)
//   GET    customizing                             all of it (no passwords)
//   PUT    customizing                             replace all of it
//   GET    customizing/<section>, PUT …            one section (destinations, projects, …)
//   GET    system                                  SYSTEM_GUID, service root, link validity
//
// <id> is a TICKET_GUID or a ticket number. Saving answers {"object", "integration", "pushes",
// "not_pushed"}; every modification is durable before the answer. Errors: JSON problems
// (services::ProblemJson) with the domain's codes (CAUSEWAY/FB/…).
#pragma once

#include <string_view>

#include "http/message.h"
#include "services/ext_integration/fb_runtime.h"

namespace causeway::services::ext_integration {

http::Response HandleControl(FbRuntime& runtime, http::Request& req, std::string_view rest);

}  // namespace causeway::services::ext_integration
