#include "app/jobs_wiring.h"

namespace causeway::app {
namespace {

// Placeholder until the appjob service lands in this tree: no job service mounted.
class NoJobs final : public JobsWiring {
 public:
  std::string MetricsText() const override { return {}; }
};

}  // namespace

core::Result<std::unique_ptr<JobsWiring>> WireJobs(store::Database&, const core::Clock&, security::UserDirectory&,
                                                   const Config&, http::Router&) {
  return std::unique_ptr<JobsWiring>(std::make_unique<NoJobs>());
}

}  // namespace causeway::app
