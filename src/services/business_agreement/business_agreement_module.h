// The BusinessAgreementReplicationIn module: migrations (agreements 600–699; the SOAP tables
// and the business partners come with the task-activity module's migrations, see README.md),
// the scenario CAUSEWAY_BUSINESS_AGREEMENT, demo partners and the demo user BUAG_REPL, its
// [business_agreement] section, the processor of stored messages, and the routes:
//   /sap/bc/srt/scs/sap/businessagreementreplicationin[erp][<suffix>]   the SOAP endpoint
//       (guard target BUSINESSAGREEMENTREPLICATIONIN, no CSRF, blocking); one-way: 202 once stored;
//   /_causeway/business-agreement/…   agreements and partners (CAUSEWAY_CONTROL);
//   /_causeway/messages…              the web-service message monitor (CAUSEWAY_CONTROL).
#pragma once

#include <chrono>
#include <memory>
#include <string>

#include "http/authority.h"
#include "services/common/module.h"
#include "soap/error_log.h"

namespace causeway::agreements {
class BusinessAgreements;
}
namespace causeway::soap {
class Engine;
class InboundProcessor;
class MessageMonitor;
class MessageStore;
}  // namespace causeway::soap

namespace causeway::services::business_agreement {

inline constexpr char kGuardService[] = "BUSINESSAGREEMENTREPLICATIONIN";
inline constexpr char kEndpointPath[] = "/sap/bc/srt/scs/sap/businessagreementreplicationin";
inline constexpr char kScenario[] = "CAUSEWAY_BUSINESS_AGREEMENT";

struct Options {
  // A tenant-specific numeric suffix ("1" → …/businessagreementreplicationin1 and …inerp1); the
  // paths without it are served too.
  std::string endpoint_suffix;
  bool demo_master_data = false;
  // 1: this node processes stored messages; 0: it only receives them (another node processes).
  int workers = 1;
  std::string node_id;  // lease owner; empty: the server's node id ([server] node_id)
  std::chrono::milliseconds lease{std::chrono::minutes(1)};
  std::chrono::milliseconds poll{std::chrono::seconds(5)};
  int claim_batch = 64;
  int max_in_flight = 512;
  std::chrono::milliseconds retention{std::chrono::hours(24 * 7)};  // processed and cancelled messages
  soap::ErrorLogOptions error_log;                                  // error_log_retention_s, error_log_max_entries
  std::string system_id = "CWY";
};

// Reads [business_agreement] (endpoint_suffix, demo_master_data, workers, node_id — default
// [server] node_id —, lease_s, poll_s, claim_batch, max_in_flight, retention_h,
// error_log_retention_s, error_log_max_entries); errors name the key (CAUSEWAY/CONFIG/001).
core::Result<Options> ParseOptions(const toml::table& root);

class BusinessAgreementModule final : public Module {
 public:
  BusinessAgreementModule();
  ~BusinessAgreementModule() override;

  std::string_view Name() const override { return "business-agreement"; }
  std::vector<std::string> ConfigSections() const override { return {"business_agreement"}; }
  core::Status Configure(const toml::table& root, bool demo) override;
  security::ScenarioCatalog Scenarios() const override;
  std::vector<DemoUser> DemoUsers() const override;
  std::vector<store::Migration> Migrations() const override;
  core::Status Start(ModuleContext& ctx) override;
  std::vector<std::string> ServiceRoots() const override;
  std::vector<http::Endpoint> Endpoints() override;
  std::string MetricsText() const override;
  void Stop() override;

  // After Start (tests, benchmarks).
  agreements::BusinessAgreements& agreements() { return *agreements_; }
  soap::MessageStore& messages() { return *messages_; }
  soap::InboundProcessor& processor() { return *processor_; }
  const soap::Engine& engine() const { return *engine_; }
  const Options& options() const { return options_; }

 private:
  Options options_;
  http::PublicHost public_host_;
  std::unique_ptr<agreements::BusinessAgreements> agreements_;
  std::unique_ptr<soap::MessageStore> messages_;
  std::unique_ptr<soap::MessageMonitor> monitor_;
  std::unique_ptr<soap::Engine> engine_;
  std::unique_ptr<soap::InboundProcessor> processor_;
};

std::unique_ptr<Module> MakeBusinessAgreementModule();

}  // namespace causeway::services::business_agreement
