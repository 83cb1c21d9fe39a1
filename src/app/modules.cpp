#include "app/modules.h"

#include "services/appjob/appjob_module.h"
#include "services/ext_integration/ext_integration_module.h"
#include "services/business_agreement/business_agreement_module.h"
#include "services/case_exchange/case_exchange_module.h"
#include "services/outbox/outbox_module.h"
#include "services/task_activity/task_activity_module.h"

namespace causeway::app {

std::vector<std::unique_ptr<services::Module>> ServiceModules() {
  std::vector<std::unique_ptr<services::Module>> m;
  m.push_back(services::outbox::MakeOutboxModule());  // first: later modules enqueue through it
  m.push_back(services::appjob::MakeAppJobModule());
  m.push_back(services::task_activity::MakeTaskActivityModule());
  m.push_back(services::ext_integration::MakeExtIntegrationModule());
  m.push_back(services::business_agreement::MakeBusinessAgreementModule());  // after task-activity: its tables
  m.push_back(services::case_exchange::MakeCaseExchangeModule());
  return m;
}

}  // namespace causeway::app
