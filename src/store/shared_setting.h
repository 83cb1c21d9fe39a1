// A value every node sharing a store must agree on (a signing secret, a system GUID): the one
// stored under `name`, or else `generate()`d and stored by whichever node asks first. Nodes that
// ask at the same moment all get the first one stored (INSERT … ON CONFLICT DO NOTHING, then
// read), on either back end.
//
// `table` is a (name TEXT PRIMARY KEY, value TEXT NOT NULL) table of the caller's migrations:
// causeway_settings (security/migrations/0002) for the house's, a domain's own otherwise.
#pragma once

#include <functional>
#include <string>
#include <string_view>

#include "core/result.h"
#include "store/database.h"

namespace causeway::store {

// Errors: the back end's; kInternal CAUSEWAY/STORE/013 if the value is missing after it was
// stored (someone deleted it meanwhile).
core::Result<std::string> SharedSetting(Database& db, std::string_view table, const std::string& name,
                                        const std::function<std::string()>& generate);

}  // namespace causeway::store
