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
      {kMaintain, ns, "TaskActivityBundleMaintainRequest_sync_V1", /*one_way=*/false, /*idempotent=*/true,
       /*staged=*/true},
      {kCheck, ns, "TaskActivityRequestBundleCheckMaintainQuery_sync_V1", false, true, true},
  };
}

core::Result<soap::StagedCall> TaskActivityService::Stage(const soap::Operation& op, soap::XmlElement payload,
                                                         const soap::CallContext& ctx) const {
  struct Bundle {
    activities::BundleRequest request;
    std::string user;
    bool check = false;
    activities::BundleResult result;
  };
  auto bundle = std::make_shared<Bundle>(Bundle{MapBundleRequest(payload), ctx.user, op.name == kCheck, {}});
  const char* root = bundle->check ? "TaskActivityConfirmationBundleCheckMaintainResponse_sync_V1"
                                   : "TaskActivityBundleMaintainConfirmation_sync_V1";
  soap::StagedCall call;
  call.write = [this, bundle](store::Tx& tx) -> core::Status {
    CW_ASSIGN_OR_RETURN(bundle->result, bundle->check ? activities_.CheckMaintainBundle(tx, bundle->request, bundle->user)
                                                      : activities_.MaintainBundle(tx, bundle->request, bundle->user));
    return core::Status::Ok();
  };
  call.reply = [this, bundle, root] { return WriteConfirmation(root, bundle->result, system_id_); };
  // As the blocking MaintainBundle answers a bundle that could not be saved: a confirmation
  // whose Log says so for every task.
  call.reply_if_not_saved = [this, bundle, root](const core::Error& e) {
    return WriteConfirmation(root, activities::TaskActivities::NotSaved(bundle->request, e), system_id_);
  };
  return call;
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
