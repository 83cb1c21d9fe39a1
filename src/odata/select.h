// $select as OData V2 defines it (MS-ODATA 2.2.3.6.1.11): a list of paths, each "*", a property, a
// navigation property, or a navigation property followed by "/" and another such item
// ("Nav/*", "Nav/Prop", "Nav/Nav2/Prop"). The SAP Cloud SDK expands only through such paths
// ($select=*,Nav/*&$expand=Nav) and UI5 sends them too.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "core/error.h"
#include "odata/edm.h"

namespace causeway::odata {

// Each item names something of `type` (or, through navigation, of the types it leads to).
core::Status ValidateSelect(const Model& model, const EntityType& type, const std::vector<std::string>& select);

// Whether a property or navigation property `name` of this level is written. An empty list, a
// "*", the bare name, or a path through it select it.
bool IsSelected(const std::vector<std::string>& select, std::string_view name);

// The items that apply inside navigation property `nav` (expanded inline): the paths through it,
// without their first segment. Empty (everything) when nothing narrows it: no $select, or only a
// bare "Nav" or "*" naming it. A bare "Nav" next to "Nav/Prop" still means all of Nav; a "*"
// next to "Nav/Prop" does not (the explicit path is the narrower request).
std::vector<std::string> SelectBelow(const std::vector<std::string>& select, std::string_view nav);

}  // namespace causeway::odata
