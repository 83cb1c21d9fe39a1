#include "domain/workitems/payload_attributes.h"

#include <array>

namespace causeway::workitems {
namespace {

using K = AttributeKind;

constexpr std::array<PayloadAttribute, 54> kAttributes = {{
    {"SYSTEM_GUID", K::kString, true},
    {"EXTERNAL_ID", K::kString, true},
    {"PARENT_EXTERNAL_ID", K::kString, true},
    {"TICKET_ID", K::kString, true},
    {"TICKET_GUID", K::kString, true},
    {"DESCRIPTION", K::kString},
    {"PROCESS_TYPE", K::kString, true},
    {"CREATED_AT", K::kString},
    {"CREATED_BY", K::kString},
    {"CHANGED_AT", K::kString},
    {"CHANGED_BY", K::kString},
    {"STATUS", K::kString},
    {"STATUS_TXT", K::kString},
    {"SOLDOC_PROJECT", K::kString},
    {"SOLDOC_PROJECT_TXT", K::kString},
    {"PRIORITY", K::kInteger},
    {"PRIORITY_TXT", K::kString},
    {"IMPACT", K::kInteger},
    {"IMPACT_TXT", K::kString},
    {"URGENCY", K::kInteger},
    {"URGENCY_TXT", K::kString},
    {"EFFORT", K::kDecimal},
    {"EFFORT_UNIT", K::kString},
    {"PPM_PROJECT_ID", K::kString},
    {"PPM_PROJECT_TXT", K::kString},
    {"PPM_WAVE", K::kString},
    {"PPM_WAVE_TXT", K::kString},
    {"PPM_START_DATE", K::kString},
    {"PPM_FINISH_DATE", K::kString},
    {"PPM_COMPLETION", K::kInteger},
    {"PPM_TOTAL_WORK", K::kInteger},
    {"PPM_TOTAL_WORK_UNIT", K::kString},
    {"REQUESTED_RELEASE_NO", K::kString},
    {"REQUESTED_RELEASE_CLASS", K::kString},
    {"REQUESTED_RELEASE_TYPE", K::kString},
    {"REQUESTED_GO_LIVE_DATE", K::kString},
    {"FORECAST_RELEASE_NO", K::kString},
    {"FORECAST_RELEASE_CLASS", K::kString},
    {"FORECAST_RELEASE_TYPE", K::kString},
    {"FORECAST_GO_LIVE_DATE", K::kString},
    {"ACTUAL_RELEASE_NO", K::kString},
    {"ACTUAL_RELEASE_CLASS", K::kString},
    {"ACTUAL_RELEASE_TYPE", K::kString},
    {"ACTUAL_GO_LIVE_DATE", K::kString},
    {"CLASSIFICATION", K::kString},
    {"CLASSIFICATION_TXT", K::kString},
    {"WRICEF_ATTRIBUTES", K::kList},
    {"PARTNER", K::kList},
    {"APPOINTMENT", K::kList},
    {"TEXT", K::kList},
    {"CATEGORY", K::kList},
    {"PROCESS_STRUCT", K::kList},
    {"DOCUMENT", K::kList},
    {"ATTACHMENT", K::kList},
}};

}  // namespace

std::span<const PayloadAttribute> PayloadAttributes() { return kAttributes; }

const PayloadAttribute* FindPayloadAttribute(std::string_view name) {
  for (const auto& a : kAttributes)
    if (a.name == name) return &a;
  return nullptr;
}

}  // namespace causeway::workitems
