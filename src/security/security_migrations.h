// Generated at build time from migrations/*.sql (cmake/EmbedSql.cmake). Versions 1–99.
#pragma once

#include <vector>

#include "store/migration.h"

namespace causeway::security {
const std::vector<store::Migration>& SecurityMigrations();
}
