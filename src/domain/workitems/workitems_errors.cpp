#include "domain/workitems/workitems_errors.h"

namespace causeway::workitems {
namespace {

core::Error Fb(core::Code code, const char* number, const char* text, std::initializer_list<std::string> vars,
               std::string target = {}) {
  core::Error e = core::MakeError(code, kFbClass, number, text, vars);
  e.target = std::move(target);
  return e;
}

}  // namespace

core::Error StatusMappingMissing(const std::string& external_status, const std::string& ticket_id) {
  return core::MakeError(core::Code::kInternal, kSalmClass, "003",
                         "Status mapping for ext. status &1 is not existing for ticket &2.", {external_status, ticket_id});
}

core::Error InboundUnknownGuid(const std::string& guid) {
  return Fb(core::Code::kInternal, "101", "Ticket with GUID &1 does not exist", {guid});
}

core::Error InboundTransitionRefused(const std::string& from, const std::string& to, const std::string& ticket_id) {
  return Fb(core::Code::kInternal, "102", "Status change from &1 to &2 is not allowed for ticket &3",
            {from, to, ticket_id});
}

core::Error InboundGuidMismatch(const std::string& body_guid, const std::string& key_guid) {
  return Fb(core::Code::kInternal, "103", "GUID &1 in the request body differs from key GUID &2",
            {body_guid, key_guid}, "Guid");
}

core::Error InboundWorkPackage(const std::string& ticket_id) {
  return Fb(core::Code::kInternal, "104",
            "Ticket &1 is a work package; status updates are accepted for work items only", {ticket_id});
}

core::Error ObjectNotFound(const std::string& id) {
  return Fb(core::Code::kNotFound, "001", "Ticket &1 does not exist", {id});
}

core::Error BadField(const std::string& field, const std::string& text) {
  return Fb(core::Code::kBadRequest, "010", "&1: &2", {field, text}, field);
}

core::Error TransitionRefused(const std::string& from, const std::string& to, const std::string& ticket_id) {
  return Fb(core::Code::kConflict, "011", "Status change from &1 to &2 is not allowed for ticket &3",
            {from, to, ticket_id}, "status");
}

core::Error BadCustomizing(const std::string& field, const std::string& text) {
  return Fb(core::Code::kBadRequest, "012", "Customizing &1: &2", {field, text}, field);
}

core::Error NotPushable(const std::string& ticket_id, const std::string& reason) {
  return Fb(core::Code::kBadRequest, "013", "S1_CALL_EXT cannot push ticket &1: &2", {ticket_id, reason});
}

core::Error ChangedMeanwhile(const std::string& ticket_id) {
  return Fb(core::Code::kConflict, "014", "Ticket &1 was changed meanwhile; read it again and retry", {ticket_id});
}

core::Error DocumentTooLarge(int64_t size, int64_t limit) {
  return Fb(core::Code::kPayloadTooLarge, "015", "The document has &1 bytes; at most &2 are accepted",
            {std::to_string(size), std::to_string(limit)});
}

core::Error DocumentNotFound(const std::string& id) {
  return Fb(core::Code::kNotFound, "016", "Document &1 does not exist", {id});
}

core::Error CustomizingChangedMeanwhile() {
  return Fb(core::Code::kConflict, "017", "The customizing was changed meanwhile; read it again and retry", {});
}

bool IsCustomizingChangedMeanwhile(const core::Error& e) {
  return e.code == core::Code::kConflict && e.message_class == kFbClass && e.message_number == "017";
}

core::Error StoreInconsistent(const std::string& text) {
  return Fb(core::Code::kInternal, "090", "Stored work item data is inconsistent: &1", {text});
}

}  // namespace causeway::workitems
