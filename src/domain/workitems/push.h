// What a push (one outbound create or update of a work package or work item) is made of, and
// the seam through which the service layer turns it into the outbox payload: the domain decides
// WHEN to push and WHAT (create or update, to which destination, in which order, after which
// message), the PayloadBuilder decides HOW it looks on the wire (JSON, guide appendix 5.1).
//
// Outbox conventions of every push (exchange/outbox.h):
//   destination     the project mapping's RFC destination (its name is the outbox's)
//   ordering_key    the work package's GUID: a package and its items go out in save order
//   object_key      the object's TICKET_GUID
//   creates         fb.wp.create / fb.wi.create; their result is {"EXTERNAL_ID": …}
//   depends_on      updates: OnCreateOf(object) (their EXTERNAL_ID); item creates:
//                   OnCreateOf(package) (PARENT_EXTERNAL_ID)
//   idempotency_key creates: TICKET_GUID (a retried create is recognisable as the same one)
//   coalesce        updates: unsent updates of the same object fold into the newest
#pragma once

#include <string>
#include <string_view>

#include "core/result.h"
#include "domain/workitems/customizing.h"
#include "domain/workitems/work_object.h"

namespace causeway::workitems {

inline constexpr char kKindWpCreate[] = "fb.wp.create";
inline constexpr char kKindWpUpdate[] = "fb.wp.update";
inline constexpr char kKindWiCreate[] = "fb.wi.create";
inline constexpr char kKindWiUpdate[] = "fb.wi.update";

enum class PushKind { kCreate, kUpdate };

// Everything the payload of one push is built from; valid during PayloadBuilder::Build only.
struct PushView {
  PushKind kind = PushKind::kCreate;
  const WorkObject* object = nullptr;
  const WorkObject* package = nullptr;  // the work item's package; null for a package
  const Customizing* customizing = nullptr;
  const ProjectMapping* mapping = nullptr;
  const RfcDestination* destination = nullptr;
  const ProcessTypeSettings* settings = nullptr;  // the profile's settings of the object's type
  std::string system_guid;
  // Where Causeway is reachable for the external tool ("https://solman.example:50089"): the
  // base of the document download links.
  std::string link_base_url;
  std::string sap_client;  // the client in the links' paths, e.g. "100"
};

class PayloadBuilder {
 public:
  virtual ~PayloadBuilder() = default;
  // The outbox payload of one push (opaque to the domain; the message kinds the service layer
  // registers read it). An error fails the saving operation (nothing is written). Thread-safe.
  virtual core::Result<std::string> Build(const PushView& view) const = 0;
};

}  // namespace causeway::workitems
