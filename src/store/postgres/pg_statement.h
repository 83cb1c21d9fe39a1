// Turning the store's portable SQL text into what PostgreSQL's extended protocol takes.
#pragma once

#include <string>
#include <string_view>

#include "core/result.h"

namespace causeway::store::postgres {

struct PgStatement {
  std::string sql;     // '?' placeholders rewritten to $1, $2, …
  int params = 0;      // how many placeholders there were
  bool cacheable = true;  // false for DDL and other one-off utility statements
};

// Rewrites every '?' outside strings, quoted identifiers, dollar quotes and comments to $n in
// order. Fails (kInternal, CAUSEWAY/STORE/002) on a numbered '?NNN' placeholder, which the
// portable subset does not use.
core::Result<PgStatement> RewritePlaceholders(std::string_view sql);

}  // namespace causeway::store::postgres
