// The embedded demo: customizing with the delivered profile /SALM/FBDF, a cPro project mapped
// to a Jira-like tool, the business partners and texts of the guide's appendix, status
// profiles for work packages and work items, and the appendix's sample work package (TICKET_ID
// 8000013587) with two work items, so that handing it over reproduces the appendix payload
// field for field.
//
// Status codes: the work package codes E0001, E0016, E0004, E0022, E0017 and their texts are
// public (spec §3.4); the others, and every work item status, are Causeway's (no public
// source lists them).
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "core/result.h"
#include "domain/workitems/customizing.h"
#include "domain/workitems/work_items.h"

namespace causeway::workitems {

// The demo's RFC destination JIRA_DEMO (Basic SOLMAN_SYNC) for a tool at `url`, read as
// http(s)://host[:port][/path prefix] (port default 80 / 443); nullopt when `url` is not of that
// form (no scheme or another one, no host, a port that is not 1-65535).
std::optional<RfcDestination> DemoToolDestination(std::string_view url);

// `tool_base_url`: where the demo destination JIRA_DEMO points ("http://127.0.0.1:8083"). Never
// throws: for a URL DemoToolDestination cannot read, JIRA_DEMO has no host, which Validate
// refuses (destinations[JIRA_DEMO].host).
Customizing DemoCustomizing(const std::string& tool_base_url = "http://127.0.0.1:8083");

inline constexpr char kDemoPackageGuid[] = "00505683226E1EE5BEFB3A231046E491";
inline constexpr char kDemoItemGuid[] = "00505683226E1EE5B5AA9CEE1DADAC68";  // the guide's StatusSet example
inline constexpr char kDemoItem2Guid[] = "00505683226E1EE5B5AA9CEE1DADEC71";

// Creates the sample package and its items (with documents) unless the package exists.
// Nothing is pushed.
core::Status SeedDemoObjects(WorkItems& items);

}  // namespace causeway::workitems
