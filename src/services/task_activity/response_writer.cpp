#include "services/task_activity/response_writer.h"

#include "soap/a2x_xml.h"

namespace causeway::services::task_activity {

std::string WriteConfirmation(std::string_view root, const activities::BundleResult& result,
                              std::string_view system_id) {
  soap::XmlWriter w(512 + result.confirmations.size() * 220 + result.log.size() * 200);
  const std::string root_name = "n0:" + std::string(root);
  w.Open(root_name)
      .Attr("xmlns:n0", kMessageNamespace)
      .Attr("xmlns:prx", "urn:sap.com:proxy:" + std::string(system_id) + ":/1SAI/TAS7F3E1C9A2B5D4E6F80A1:804");
  for (const activities::Confirmation& c : result.confirmations) {
    w.Open("ActivityTask");
    if (!c.sender_id.empty()) w.Leaf("ReferenceObjectNodeSenderTechnicalID", c.sender_id);
    w.Leaf("ChangeStateID", c.change_state_id).Leaf("UUID", c.uuid);
    if (!c.id.empty()) w.Leaf("ID", c.id);
    w.Close();
  }
  soap::a2x::WriteLog(w, result.log, result.processing_result_code);
  w.Close();
  return w.Take();
}

}  // namespace causeway::services::task_activity
