// Generated at build time from migrations/*.sql (cmake/EmbedSql.cmake). Versions 1–99.
#pragma once

#include <string_view>
#include <vector>

#include "store/migration.h"

namespace causeway::security {
const std::vector<store::Migration>& SecurityMigrations();

// The house's shared settings (migration 0002), for store::SharedSetting: the session secret,
// case exchange's token key.
inline constexpr std::string_view kSettingsTable = "causeway_settings";
}  // namespace causeway::security
