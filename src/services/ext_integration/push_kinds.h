// The outbox message kinds of Focused Build pushes (names in domain/workitems/push.h):
//
//   fb.wp.create  create method + create URI of the project mapping; creates its object.
//   fb.wi.create  the same, PARENT_EXTERNAL_ID = the package create's EXTERNAL_ID (dependency).
//   fb.wp.update  update method + update URI with #EXTERNAL_ID# (percent-encoded) = the
//   fb.wi.update  object's create result; a work item also sends its PARENT_EXTERNAL_ID.
//
// Every request: Content-Type and Accept application/json, the body of push_payload.h with its
// document links signed at sending time (expiry = now + the links' validity). Basic credentials
// are the destination's (sent up front by the HTTP client).
//
// A create's answer must carry EXTERNAL_ID: OData V4 ({"@odata.context":…,"EXTERNAL_ID":…}, as
// SAP's Jira connector answers with 201), OData V2 ({"d":{…}}) or plain JSON; a string or a
// number. A 2xx without one fails the message for good, with the reason. The result kept is
// {"EXTERNAL_ID":"…"} (a work item's also has "PARENT_EXTERNAL_ID"), which later messages of
// the object build on. Updates accept any 2xx (200, 204).
#pragma once

#include <chrono>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <optional>
#include <string>

#include "core/clock.h"
#include "exchange/message_kind.h"
#include "services/ext_integration/document_links.h"

namespace causeway::services::ext_integration {

// What the kinds need at send time and the module only has once it started: the link signer
// and the clock. Thread-safe.
class SendContext {
 public:
  void Set(std::shared_ptr<const DocumentLinks> links, const core::Clock* clock);
  struct Snapshot {
    std::shared_ptr<const DocumentLinks> links;
    const core::Clock* clock = nullptr;
  };
  // The context once set. The outbox may deliver messages of an earlier run before this module
  // started (it starts first): then the delivery thread waits for Set, at most `timeout` (the
  // only wait of these kinds, and only in the first moments after a start).
  std::optional<Snapshot> Get(std::chrono::milliseconds timeout) const;

 private:
  mutable std::mutex mu_;
  mutable std::condition_variable ready_;
  Snapshot snapshot_;  // GUARDED_BY(mu_)
};

exchange::KindRegistry PushKinds(std::shared_ptr<const SendContext> context);

// EXTERNAL_ID of a create's answer body (V4, V2 or plain JSON), or the reason there is none.
core::Result<std::string> ExternalIdOfAnswer(std::string_view body);

// {"EXTERNAL_ID": …, "PARENT_EXTERNAL_ID": …} as the kinds keep it (either may be absent).
struct CreateResult {
  std::string external_id, parent_external_id;
};
std::optional<CreateResult> ParseCreateResult(std::string_view result);

}  // namespace causeway::services::ext_integration
