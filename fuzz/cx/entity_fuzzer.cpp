// What clients send to POST /ces and ems/bulk: the bytes as a JSON entity (ParseIncoming), as the
// ChangeAttachments string (ParseAttachments) and as a query string (QueryParams, Layout); what
// parses is applied to a change of a fixed tenant and written back out. Invariants beyond "no
// crash": every refusal is a 400 naming a target; a change the properties applied to still
// serializes to JSON that parses; an attachment list survives its own round trip.
#include <boost/json.hpp>

#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "domain/changes/change_properties.h"
#include "services/case_exchange/entity_json.h"
#include "services/case_exchange/query_params.h"

namespace {

using namespace causeway;
namespace cx = causeway::services::case_exchange;

const changes::Tenant& FixedTenant() {
  static const changes::Tenant t = [] {
    changes::Tenant x;
    x.id = "100000002";
    x.people["10010"] = {"10010", "ana", "Ana", "Agent", "ana@x", "ana@x", "", {"agent"}};
    x.groups["20003"] = {"20003", "ServiceNow", "SNOW"};
    x.systems["SNOW"] = {"SNOW", "", "sx", "", "", ""};
    return x;
  }();
  return t;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const changes::WorkflowSet workflows = changes::DefaultWorkflows();
  std::string_view text(reinterpret_cast<const char*>(data), size);

  if (auto q = services::QueryParams::Parse(text, cx::kQueryMessages); q.ok()) {
    cx::Layout layout = cx::Layout::Parse(q->GetOr("layout", ""));
    (void)layout.Has("Id");
    (void)q->Int("size", 4000, 1, 4000);
  }
  if (auto list = cx::ParseAttachments(text); list.ok()) {
    auto again = cx::ParseAttachments(cx::AttachmentsJsonString(*list));
    if (!again.ok() || *again != *list) std::abort();
  }

  boost::json::error_code ec;
  boost::json::value v = boost::json::parse(text, ec);
  if (ec || !v.is_object()) return 0;
  auto op = cx::ParseIncoming(v.as_object());
  if (!op.ok()) {
    if (op.error().HttpStatus() != 400 || op.error().target.empty()) std::abort();
    return 0;
  }
  changes::ChangeState s;
  s.change.id = "10001";
  s.change.phase_id = "Log";
  core::Status st = changes::ApplyProperties(op->input.properties, FixedTenant(), workflows, s.change);
  if (!st.ok() && st.error().HttpStatus() != 400) std::abort();
  if (op->input.attachments) s.change.attachments = *op->input.attachments;
  std::string out = boost::json::serialize(cx::ChangeEntity(s, FixedTenant(), workflows, cx::Layout()));
  boost::json::parse(out, ec);
  if (ec) std::abort();
  return 0;
}
