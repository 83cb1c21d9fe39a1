#include "services/ext_integration/status_service.h"

#include "domain/workitems/workitems_errors.h"
#include "services/common/unit_of_work_answer.h"

namespace causeway::services::ext_integration {
namespace {

const odata::Annotations kSetAnnotations = {{"creatable", "false"},
                                            {"updatable", "true"},
                                            {"deletable", "false"},
                                            {"pageable", "false"},
                                            {"content-version", "1"}};

std::string StringAt(const odata::EntityPayload& p, size_t i) {
  if (i >= p.values.size() || !p.present[i] || p.values[i].is_null()) return {};
  const std::string* s = p.values[i].get_if<std::string>();
  return s ? *s : std::string();
}

}  // namespace

odata::Schema BuildStatusSchema() {
  odata::Schema s;
  s.namespace_name = std::string(kServiceNamespace) + kServiceName;
  s.entity_types = {{.name = "Status",
                     .keys = {"Guid"},
                     .properties = {{.name = "Guid", .type = odata::EdmType::kString, .nullable = false,
                                     .max_length = 32},
                                    {.name = "ExtStatus", .type = odata::EdmType::kString}},
                     .sap = {{"content-version", "1"}}}};
  s.entity_sets = {{.name = "StatusSet", .entity_type = "Status", .sap = kSetAnnotations}};
  return s;
}

odata::ServiceInfo StatusService::Info() const {
  odata::ServiceInfo info;
  info.service_namespace = kServiceNamespace;
  info.service_id = kServiceName;
  info.service_version = "0001";
  info.legacy_error_body = true;
  // Gateway sends when the model last changed (clients cache $metadata by it): change it with
  // the schema.
  info.metadata_last_modified = "Mon, 30 Nov 2026 00:00:00 GMT";
  return info;
}

core::Result<odata::EntityCollection> StatusService::ReadEntitySet(const odata::EntitySet&, const odata::QueryOptions&,
                                                                   odata::Context&) const {
  return odata::NotImplemented("STATUSSET_GET_ENTITYSET");
}

core::Result<std::optional<odata::Entity>> StatusService::ReadEntity(const odata::EntitySet&, const odata::KeyValues&,
                                                                     odata::Context&) const {
  return odata::NotImplemented("STATUSSET_GET_ENTITY");
}

core::Result<odata::Entity> StatusService::CreateEntity(const odata::EntitySet&, const odata::EntityPayload&,
                                                        odata::Context&) const {
  return odata::NotImplemented("STATUSSET_CREATE_ENTITY");
}

core::Status StatusService::DeleteEntity(const odata::EntitySet&, const odata::KeyValues&, odata::Context&) const {
  return odata::NotImplemented("STATUSSET_DELETE_ENTITY");
}

core::Status StatusService::UpdateEntity(const odata::EntitySet&, const odata::KeyValues& key,
                                         const odata::EntityPayload& payload, odata::UpdateMode,
                                         odata::Context& ctx) const {
  const std::string* guid = key.empty() ? nullptr : key[0].get_if<std::string>();
  const std::string user = ctx.request ? ctx.request->user : std::string();
  core::Status st = items_.SetStatusFromExternal(guid ? *guid : std::string(), StringAt(payload, 0),
                                                 StringAt(payload, 1), user);
  if (!st.ok()) return AsServiceError(st.error(), hub_detail_);
  return st;
}

core::Status StatusService::RunChangeSet(odata::Context&, const std::function<core::Status()>& operations) const {
  core::Status st = RunInUnitOfWork(db_, operations);
  if (!st.ok()) return AsServiceError(st.error(), hub_detail_);
  return st;
}

core::Error AsServiceError(core::Error e, bool hub_detail) {
  const bool application = e.message_class == workitems::kSalmClass || e.message_class == workitems::kFbClass;
  if (!hub_detail || !application || !e.details.empty()) return e;
  e.details.push_back({e.GatewayCode(), e.text, e.target, core::Severity::kError});
  e.details.push_back({"/IWBEP/CX_SD_GEN_DPC_TECH", "RFC call ended with \"Communication Failure\" exception", "",
                       core::Severity::kError});
  return e;
}

}  // namespace causeway::services::ext_integration
