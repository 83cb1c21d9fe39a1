#include "services/business_agreement/testing/business_agreement_stack.h"

#include "domain/activities/task_repository.h"
#include "soap/error_log.h"
#include "store/migration.h"

namespace causeway::services::business_agreement::testing {

core::Result<BusinessAgreementStack> StartBusinessAgreement(store::Database& db, const core::Clock& clock,
                                                            http::Router& router, security::UserDirectory* users,
                                                            const std::string& config) {
  BusinessAgreementStack s;
  if (!users) {
    s.no_users = std::make_unique<security::UserDirectory>(std::vector<security::UserConfig>{}, security::ScenarioCatalog{});
    users = s.no_users.get();
  }
  s.module = std::make_unique<BusinessAgreementModule>();
  const std::string toml_text =
      config.empty() ? "[business_agreement]\nendpoint_suffix = \"1\"\ndemo_master_data = true\nworkers = 0\n" : config;
  CW_RETURN_IF_ERROR(s.module->Configure(toml::parse(toml_text), /*demo=*/false));
  // In `serve` the task-activity module brings the SOAP and partner migrations.
  std::vector<store::Migration> migrations = soap::SoapMigrations();
  for (const auto& m : activities::ActivityMigrations()) migrations.push_back(m);
  for (const auto& m : s.module->Migrations()) migrations.push_back(m);
  CW_RETURN_IF_ERROR(store::Migrate(db, migrations));
  s.context = std::make_unique<ModuleContext>(ModuleContext{.db = db, .clock = clock, .users = *users});
  CW_RETURN_IF_ERROR(s.module->Start(*s.context));
  for (auto& e : s.module->Endpoints()) router.Add(std::move(e));
  return s;
}

}  // namespace causeway::services::business_agreement::testing
