// A property value as a case-exchange client writes it (null, a flag, a number or text), and a
// list of them in the order sent. Plain values: the services turn JSON into these.
#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <variant>
#include <vector>

namespace causeway::changes {

using PropertyValue = std::variant<std::monostate, bool, int64_t, double, std::string>;
using PropertyList = std::vector<std::pair<std::string, PropertyValue>>;

inline bool IsNull(const PropertyValue& v) { return std::holds_alternative<std::monostate>(v); }
// The value as text: "" for null, "true"/"false", decimal numbers; what text fields store.
std::string PropertyText(const PropertyValue& v);

}  // namespace causeway::changes
