#include "odata/service.h"

namespace causeway::odata {

core::Error NotImplemented(std::string_view method) {
  // Gateway's DPC base class raises this for every CRUD method the service did not redefine.
  return core::MakeError(core::Code::kNotImplemented, "/IWBEP/CM_MGW_RT", "021",
                         "Method '&1' not implemented in data provider class", {std::string(method)});
}

core::Result<EntityCollection> Service::ReadEntitySet(const EntitySet& set, const QueryOptions&, Context&) const {
  return NotImplemented(set.name + "_GET_ENTITYSET");
}
core::Result<std::optional<Entity>> Service::ReadEntity(const EntitySet& set, const KeyValues&, Context&) const {
  return NotImplemented(set.name + "_GET_ENTITY");
}
core::Result<EntityCollection> Service::ReadNavigation(const EntitySet& set, const KeyValues&,
                                                       const NavigationTarget& nav, const QueryOptions&,
                                                       Context&) const {
  return NotImplemented(set.name + "/" + nav.property->name + "_GET_ENTITYSET");
}
core::Result<FunctionResult> Service::CallFunction(const FunctionImport&, const std::vector<Value>&,
                                                   Context&) const {
  return NotImplemented("/IWBEP/IF_MGW_APPL_SRV_RUNTIME~EXECUTE_ACTION");
}
core::Result<Entity> Service::CreateEntity(const EntitySet& set, const EntityPayload&, Context&) const {
  return NotImplemented(set.name + "_CREATE_ENTITY");
}
core::Status Service::UpdateEntity(const EntitySet& set, const KeyValues&, const EntityPayload&, UpdateMode,
                                   Context&) const {
  return NotImplemented(set.name + "_UPDATE_ENTITY");
}
core::Status Service::DeleteEntity(const EntitySet& set, const KeyValues&, Context&) const {
  return NotImplemented(set.name + "_DELETE_ENTITY");
}
std::optional<uint64_t> Service::ReadVersion(const EntitySet&) const { return std::nullopt; }

}  // namespace causeway::odata
