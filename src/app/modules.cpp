#include "app/modules.h"

#include "services/appjob/appjob_module.h"

namespace causeway::app {

std::vector<std::unique_ptr<services::Module>> ServiceModules() {
  std::vector<std::unique_ptr<services::Module>> m;
  m.push_back(services::appjob::MakeAppJobModule());
  return m;
}

}  // namespace causeway::app
