#include "domain/changes/change_errors.h"

namespace causeway::changes::errors {
namespace {

constexpr char kClass[] = "CAUSEWAY/CX";

core::Error Make(core::Code code, const char* number, std::string text, std::string_view target = {}) {
  core::Error e = core::MakeError(code, kClass, number, std::move(text));
  e.target = std::string(target);
  return e;
}

std::string S(std::string_view v) { return std::string(v); }

}  // namespace

core::Error UnknownTenant(std::string_view tenant) {
  return Make(core::Code::kNotFound, "001", "Tenant " + S(tenant) + " does not exist");
}
core::Error ChangeNotFound(std::string_view id) {
  return Make(core::Code::kNotFound, "002", "Change " + S(id) + " does not exist", "Id");
}
core::Error EntityTypeNotSupported(std::string_view type) {
  return Make(core::Code::kBadRequest, "003", "Entity type '" + S(type) + "' is not supported here; use Change",
              "entity_type");
}
core::Error UnknownSystem(std::string_view system) {
  return Make(core::Code::kBadRequest, "004", "External system '" + S(system) + "' is not defined",
              "ExternalSystem");
}
core::Error NotAuthorizedUser(std::string_view login, std::string_view system) {
  return Make(core::Code::kForbidden, "005",
              "User " + S(login) + " is not the authorized user of external system " + S(system), "ExternalSystem");
}
core::Error UnknownOperation(std::string_view op) {
  return Make(core::Code::kBadRequest, "006",
              "Unknown operation '" + S(op) + "'; operations are Create, Update, Assign, Reject and Cancel",
              "Operation");
}
core::Error OperationNotSupported(std::string_view op) {
  return Make(core::Code::kBadRequest, "007", "Operation " + S(op) + " is not supported for Change records",
              "Operation");
}
core::Error IdRequired(std::string_view op) {
  return Make(core::Code::kBadRequest, "008", "Operation " + S(op) + " needs properties.Id", "Id");
}
core::Error ConcurrentChange(std::string_view id) {
  return Make(core::Code::kConflict, "009", "Change " + S(id) + " was changed by another request; repeat the request",
              "Id");
}
core::Error UnknownProperty(std::string_view name) {
  return Make(core::Code::kBadRequest, "010", "Property " + S(name) + " is not defined for entity type Change", name);
}
core::Error ReadOnlyProperty(std::string_view name) {
  return Make(core::Code::kBadRequest, "011", "Property " + S(name) + " is read-only", name);
}
core::Error InvalidValue(std::string_view name, std::string_view value, std::string_view allowed) {
  return Make(core::Code::kBadRequest, "012",
              "Value '" + S(value) + "' is not valid for " + S(name) + "; valid values: " + S(allowed), name);
}
core::Error UnknownRelated(std::string_view name, std::string_view value) {
  return Make(core::Code::kBadRequest, "013", "No record found for " + S(name) + " = '" + S(value) + "'", name);
}
core::Error AmbiguousRelated(std::string_view name, std::string_view value, const std::vector<std::string>& ids) {
  std::string list;
  for (const std::string& id : ids) list += (list.empty() ? "" : ", ") + id;
  return Make(core::Code::kBadRequest, "019",
              "Several records match " + S(name) + " = '" + S(value) + "' (Id " + list + "); send the Id", name);
}
core::Error WrongType(std::string_view name, std::string_view expected) {
  return Make(core::Code::kBadRequest, "014", "Property " + S(name) + " must be " + S(expected), name);
}
core::Error TypeFixed(std::string_view phase) {
  return Make(core::Code::kBadRequest, "015",
              "ChangeType can only change in the first phase of the workflow; the change is in phase " + S(phase),
              "ChangeType");
}
core::Error BadComment(std::string_view what) {
  return Make(core::Code::kBadRequest, "016", "Invalid comment: " + S(what), "Comments");
}
core::Error FileNotUploaded(std::string_view id) {
  return Make(core::Code::kBadRequest, "017", "Attachment " + S(id) + " refers to no uploaded file",
              "ChangeAttachments");
}
core::Error NotAllowed(std::string_view what) {
  return Make(core::Code::kForbidden, "018", "Not allowed: " + S(what));
}
core::Error UnknownPhase(std::string_view phase, std::string_view type) {
  return Make(core::Code::kBadRequest, "020", "Phase '" + S(phase) + "' is not defined for " + S(type) + " changes",
              "PhaseId");
}
core::Error NoTransition(std::string_view from, std::string_view to, std::string_view type) {
  return Make(core::Code::kBadRequest, "021",
              "No transition from phase " + S(from) + " to phase " + S(to) + " is defined for " + S(type) + " changes",
              "PhaseId");
}
core::Error RequirementsMissing(std::string_view from, std::string_view to, std::string_view missing) {
  return Make(core::Code::kBadRequest, "022",
              "The transition from phase " + S(from) + " to phase " + S(to) + " requires " + S(missing), "PhaseId");
}
core::Error Busy() {
  return Make(core::Code::kUnavailable, "030", "The record is busy; repeat the request");
}
core::Error MasterData(std::string_view target, std::string_view text) {
  return Make(core::Code::kBadRequest, "050", S(text), target);
}
core::Error LoginTaken(std::string_view login, std::string_view holder) {
  return Make(core::Code::kConflict, "051",
              "Login '" + S(login) + "' is already used by " + (holder.empty() ? S("another person") : "person " + S(holder)) +
                  " of this tenant (logins are unique per tenant, letters compared without case)",
              "login");
}
core::Error LoginAuthorizesSystems(std::string_view login, const std::vector<std::string>& ids) {
  std::string list;
  for (const std::string& id : ids) list += (list.empty() ? "" : ", ") + id;
  return Make(core::Code::kConflict, "052",
              "Login '" + S(login) + "' is the authorized user of external system " + list +
                  "; give the systems another authorized user first",
              "login");
}

}  // namespace causeway::changes::errors
