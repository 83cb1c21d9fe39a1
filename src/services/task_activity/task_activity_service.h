// ManageTaskActivityIn as a soap::Service: the WSDL (embedded from ManageTaskActivityIn.wsdl,
// the single source of truth for the XSD too), the two operations, both staged: Stage maps the
// payload (never blocks) and returns the bundle as the engine's transaction, one domain call
// that the engine commits with the idempotency row, and the confirmation written from its result.
// Invoke does the same blocking (map, one domain call that commits, confirmation). Thread-safe.
#pragma once

#include <memory>
#include <string>

#include "domain/activities/task_activities.h"
#include "soap/service.h"

namespace causeway::services::task_activity {

// The WSDL file's text (generated from ManageTaskActivityIn.wsdl at build time).
const std::string& ManageTaskActivityInWsdl();

class TaskActivityService final : public soap::Service {
 public:
  TaskActivityService(activities::TaskActivities& activities, std::string system_id);
  const soap::ServiceDescription& Description() const override { return description_; }
  core::Result<soap::Reply> Invoke(const soap::Operation& op, soap::XmlElement payload,
                                   const soap::CallContext& ctx) const override;
  core::Result<soap::StagedCall> Stage(const soap::Operation& op, soap::XmlElement payload,
                                       const soap::CallContext& ctx) const override;

 private:
  activities::TaskActivities& activities_;
  std::string system_id_;
  soap::ServiceDescription description_;
};

}  // namespace causeway::services::task_activity
