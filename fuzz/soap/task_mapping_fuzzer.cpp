// Feeds arbitrary bytes, parsed as XML, to the ManageTaskActivityIn request mapping, and checks
// an invariant beyond "no crash": whenever the payload passes the WSDL's schema, a confirmation
// built from what the mapping read (every task confirmed with its sender ID, every task also
// logged) passes the schema too, so the server can never answer with an undeclared shape.
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "services/task_activity/request_mapping.h"
#include "services/task_activity/response_writer.h"
#include "soap/envelope.h"
#include "soap/schema_set.h"

namespace causeway::services::task_activity {
const std::string& ManageTaskActivityInWsdl();
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace causeway;
  static auto schemas = soap::SchemaSet::FromWsdl(services::task_activity::ManageTaskActivityInWsdl());
  if (!schemas.ok()) std::abort();
  soap::ParseLimits limits;
  limits.max_bytes = 64 * 1024;
  auto doc = soap::ParseXml(std::string_view(reinterpret_cast<const char*>(data), size), limits);
  if (!doc.ok()) return 0;
  activities::BundleRequest request = services::task_activity::MapBundleRequest(doc->Root());
  (*schemas)->StripForeign(doc->Root());
  if (!(*schemas)->Validate(doc->Root()).ok()) return 0;
  request = services::task_activity::MapBundleRequest(doc->Root());
  activities::BundleResult result;
  for (const auto& t : request.tasks) {
    result.confirmations.push_back({t.sender_id, "20240501080000.0000000", "00163e02-8b2e-1ed1-aeaa-6d7e616e72fd",
                                    t.id.value_or("")});
    result.log.push_back({"004(CAUSEWAY/ACTIVITY)", activities::LogSeverity::kError, t.sender_id, soap::a2x::LogItemNote(t.name.value_or(""))});
  }
  result.processing_result_code = "4";
  std::string out = services::task_activity::WriteConfirmation("TaskActivityBundleMaintainConfirmation_sync_V1", result, "CWY");
  auto reply = soap::ParseXml(out, {});
  if (!reply.ok() || !(*schemas)->Validate(reply->Root()).ok()) std::abort();
  return 0;
}
