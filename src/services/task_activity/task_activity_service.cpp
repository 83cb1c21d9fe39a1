#include "services/task_activity/task_activity_service.h"

#include "services/task_activity/task_activity_module.h"
#include "services/task_activity/request_mapping.h"
#include "services/task_activity/response_writer.h"

namespace causeway::services::task_activity {
namespace {

constexpr char kMaintain[] = "MaintainBundle";
constexpr char kCheck[] = "CheckMaintainBundle";

}  // namespace

TaskActivityService::TaskActivityService(activities::TaskActivities& activities, std::string system_id)
    : activities_(activities), system_id_(std::move(system_id)) {
  description_.interface_name = "ManageTaskActivityIn";
  description_.interface_namespace = "http://sap.com/xi/A1S/Global";
  description_.wsdl = ManageTaskActivityInWsdl();
  description_.address_placeholder = std::string("https://causeway.invalid") + kEndpointPath;
  const std::string ns(kMessageNamespace);
  description_.operations = {
      {kMaintain, ns, "TaskActivityBundleMaintainRequest_sync_V1", /*one_way=*/false, /*idempotent=*/true},
      {kCheck, ns, "TaskActivityRequestBundleCheckMaintainQuery_sync_V1", false, true},
  };
}

core::Result<soap::Reply> TaskActivityService::Invoke(const soap::Operation& op, soap::XmlElement payload,
                                                      const soap::CallContext& ctx) const {
  activities::BundleRequest request = MapBundleRequest(payload);
  if (op.name == kMaintain) {
    activities::BundleResult r = activities_.MaintainBundle(request, ctx.user);
    return soap::Reply{WriteConfirmation("TaskActivityBundleMaintainConfirmation_sync_V1", r, system_id_)};
  }
  activities::BundleResult r = activities_.CheckMaintainBundle(request, ctx.user);
  return soap::Reply{WriteConfirmation("TaskActivityConfirmationBundleCheckMaintainResponse_sync_V1", r, system_id_)};
}

}  // namespace causeway::services::task_activity
