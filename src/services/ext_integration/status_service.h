// EXT_INTEGRATION_SRV (namespace /SALM/) on the OData engine: entity set StatusSet, key Guid
// (Edm.String holding the 32-hex TICKET_GUID), property ExtStatus. The one operation is the
// external tool's status update, PUT StatusSet(Guid='<TICKET_GUID>') with {"ExtStatus":…,
// "Guid":…} (JSON or Atom): one call of WorkItems::SetStatusFromExternal, staged into the
// request's unit of work; the engine answers 204 without body once it is durable. Reads,
// creates and deletes answer Gateway's 501 "Method 'STATUSSET_…' not implemented in data
// provider class", as a DPC that redefines only UPDATE_ENTITY does.
//
// Error bodies are those of the guide's Gateway release (odata::ServiceInfo::legacy_error_body).
// With `hub_detail`, application errors carry the second errordetails entry of the guide's
// example (/IWBEP/CX_SD_GEN_DPC_TECH, "RFC call ended with "Communication Failure"
// exception"), as a Gateway hub calling the Solution Manager backend writes it.
#pragma once

#include "domain/workitems/work_items.h"
#include "odata/service.h"

namespace causeway::services::ext_integration {

inline constexpr char kServiceName[] = "EXT_INTEGRATION_SRV";
inline constexpr char kServiceNamespace[] = "/SALM/";

odata::Schema BuildStatusSchema();

class StatusService final : public odata::Service {
 public:
  StatusService(workitems::WorkItems& items, store::Database& db, bool hub_detail)
      : items_(items), db_(db), hub_detail_(hub_detail) {}

  odata::ServiceInfo Info() const override;
  odata::Schema DefineSchema() const override { return BuildStatusSchema(); }
  core::Result<odata::EntityCollection> ReadEntitySet(const odata::EntitySet& set, const odata::QueryOptions& q,
                                                      odata::Context& ctx) const override;
  core::Result<std::optional<odata::Entity>> ReadEntity(const odata::EntitySet& set, const odata::KeyValues& key,
                                                        odata::Context& ctx) const override;
  core::Result<odata::Entity> CreateEntity(const odata::EntitySet& set, const odata::EntityPayload& payload,
                                           odata::Context& ctx) const override;
  core::Status UpdateEntity(const odata::EntitySet& set, const odata::KeyValues& key,
                            const odata::EntityPayload& payload, odata::UpdateMode mode,
                            odata::Context& ctx) const override;
  core::Status DeleteEntity(const odata::EntitySet& set, const odata::KeyValues& key,
                            odata::Context& ctx) const override;
  core::Status RunChangeSet(odata::Context& ctx, const std::function<core::Status()>& operations) const override;

 private:
  workitems::WorkItems& items_;
  store::Database& db_;
  const bool hub_detail_;
};

// `e` as the service's error: with the hub's framework detail when `hub_detail` and `e` is an
// application error (/SALM/EXT_INTEG or CAUSEWAY/FB). For errors raised in the commit too.
core::Error AsServiceError(core::Error e, bool hub_detail);

}  // namespace causeway::services::ext_integration
