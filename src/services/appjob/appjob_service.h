// BC_EXT_APPJOB_MANAGEMENT (OData V2, version 0002): entity sets and function imports of spec
// §1.3-1.4 over a jobs::JobEngine. Handlers parse the parameters, make one engine call and map
// the result to entities; all rules (status, authorization, APJ_RT errors) live in the engine.
//
// Wiring: construct with the engine and its store (both must outlive the service) and hand it
// to odata::Engine::Create. Change sets run in one unit of work of that store: the engine's
// operations stage into it, so a failed change set leaves no job behind. The caller identity comes from http::Request::user, and
// SAP_COM_0326 from http::Request::scenarios (set by the security layer). Thread-safe.
#pragma once

#include <memory>
#include <mutex>

#include "domain/jobs/job_engine.h"
#include "domain/jobs/job_log.h"
#include "odata/service.h"

namespace causeway::services::appjob {

class AppJobService final : public odata::Service {
 public:
  // The service over `engine` and its store; fails (CAUSEWAY/APPJOB/001) if the schema lacks an
  // entity type the handlers build, so that a schema edit is caught at start, not per request.
  static core::Result<std::shared_ptr<AppJobService>> Create(jobs::JobEngine& engine, store::Database& db);
  // The entity types of the schema by name, resolved once (see appjob_service.cpp).
  struct Types;
  ~AppJobService() override;

  odata::ServiceInfo Info() const override;
  odata::Schema DefineSchema() const override;
  core::Result<odata::EntityCollection> ReadEntitySet(const odata::EntitySet& set, const odata::QueryOptions& q,
                                                      odata::Context& ctx) const override;
  core::Result<std::optional<odata::Entity>> ReadEntity(const odata::EntitySet& set, const odata::KeyValues& key,
                                                        odata::Context& ctx) const override;
  std::optional<uint64_t> ReadVersion(const odata::EntitySet& set) const override;
  core::Result<odata::EntityCollection> ReadNavigation(const odata::EntitySet& set, const odata::KeyValues& key,
                                                       const odata::NavigationTarget& nav,
                                                       const odata::QueryOptions& q,
                                                       odata::Context& ctx) const override;
  core::Result<odata::FunctionResult> CallFunction(const odata::FunctionImport& fn,
                                                   const std::vector<odata::Value>& params,
                                                   odata::Context& ctx) const override;
  core::Status RunChangeSet(odata::Context& ctx, const std::function<core::Status()>& operations) const override;

 private:
  AppJobService(jobs::JobEngine& engine, store::Database& db, odata::Schema schema, std::unique_ptr<const Types> types);
  // JobTemplateSet rows, rebuilt only when the engine's templates change (reads are hot: every
  // scheduler lists or reads templates, the templates rarely change).
  std::shared_ptr<const std::vector<odata::Entity>> TemplateRows() const;

  // A job with its non-empty step logs (one per step that wrote messages).
  struct StepLogs {
    jobs::Job job;
    std::vector<jobs::StepLog> logs;
    const jobs::StepLog* Find(int step_nr) const;
    int NrOfLogs(int step_nr) const { return Find(step_nr) ? 1 : 0; }
  };
  // Reads the job keyed by key[0] (JobName) and key[1] (JobRunCount) and its log; APJ_RT/003
  // when it does not exist or is not visible.
  core::Result<StepLogs> LoadLogs(const odata::KeyValues& key, odata::Context& ctx) const;

  jobs::JobEngine& engine_;
  store::Database& db_;
  odata::Schema schema_;  // built once
  std::unique_ptr<const Types> types_;  // point into schema_
  mutable std::mutex template_rows_mu_;
  mutable std::shared_ptr<const std::vector<odata::Entity>> template_rows_;  // GUARDED_BY(template_rows_mu_)
  mutable uint64_t template_rows_version_ = 0;                               // GUARDED_BY(template_rows_mu_)
};

}  // namespace causeway::services::appjob
