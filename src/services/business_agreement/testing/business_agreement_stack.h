// Test support: the BusinessAgreementReplicationIn module started on a store as `serve` does
// (the SOAP, partner and agreement migrations applied, demo master data, endpoint suffix "1"),
// with its endpoints mounted on a router. Processing runs only when the test calls
// module->processor().Drain() (workers = 0), so that tests decide when messages are processed.
#pragma once

#include <memory>
#include <string>

#include "http/router.h"
#include "services/business_agreement/business_agreement_module.h"

namespace causeway::services::business_agreement::testing {

struct BusinessAgreementStack {
  std::unique_ptr<security::UserDirectory> no_users;  // when the caller brings none
  std::unique_ptr<ModuleContext> context;
  std::unique_ptr<BusinessAgreementModule> module;
};

// `users` may be null (an empty directory is made); `config` is the [business_agreement]
// section's TOML (default: suffix "1", demo master data, workers = 0). Everything passed must
// outlive the stack.
core::Result<BusinessAgreementStack> StartBusinessAgreement(store::Database& db, const core::Clock& clock,
                                                            http::Router& router,
                                                            security::UserDirectory* users = nullptr,
                                                            const std::string& config = {});

}  // namespace causeway::services::business_agreement::testing
