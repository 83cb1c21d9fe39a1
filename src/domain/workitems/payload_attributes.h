// The attributes of the outbound create/update payload (guide appendix 5.1), in the guide's
// order, with the JSON type each has there. The outbound field mapping selects among them; the
// payload builder (services/ext_integration) writes them in this order. Plain names and kinds:
// no JSON here.
#pragma once

#include <span>
#include <string_view>

namespace causeway::workitems {

enum class AttributeKind {
  kString,   // "…"
  kInteger,  // 2
  kDecimal,  // 24480.00 (two decimals)
  kList,     // [ {…}, … ]
};

struct PayloadAttribute {
  std::string_view name;
  AttributeKind kind;
  // Always sent whatever the field mapping says: the external tool needs them to tell create
  // from update and to call the status service back with TICKET_GUID.
  bool identity = false;
};

// Every attribute in the guide's order (SYSTEM_GUID … ATTACHMENT).
std::span<const PayloadAttribute> PayloadAttributes();
// The attribute named so, or null.
const PayloadAttribute* FindPayloadAttribute(std::string_view name);

}  // namespace causeway::workitems
