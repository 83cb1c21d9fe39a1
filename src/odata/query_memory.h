// In-memory evaluation of system query options, so small services can return all rows and let
// the engine's helper do the rest.
#pragma once

#include <vector>

#include "core/result.h"
#include "odata/edm.h"
#include "odata/query.h"

namespace causeway::odata {

// Applies $filter, $orderby (stable; nulls first ascending), $inlinecount/count, $skiptoken,
// $skip, $top and the set's server page size (EntitySet::max_page_size) to `rows`.
// $skiptoken produced here is the decimal offset of the next row. $select/$expand are left to
// the engine. Errors: a filter that cannot be evaluated (e.g. division by zero is null, not an
// error; an unknown function is rejected by the parser already) or a malformed $skiptoken → 400.
core::Result<EntityCollection> ApplyQueryInMemory(const EntitySet& set, const EntityType& type,
                                                  std::vector<Entity>&& rows, const QueryOptions& q);
// The same over rows the caller keeps (e.g. a cache): filters and sorts indices and copies only
// the rows of the returned page.
core::Result<EntityCollection> ApplyQueryInMemory(const EntitySet& set, const EntityType& type,
                                                  const std::vector<Entity>& rows, const QueryOptions& q);

}  // namespace causeway::odata
