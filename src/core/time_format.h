// Wire time formats shared by every protocol: ISO 8601, SAP's packed timestamp, HTTP dates.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "core/clock.h"

namespace causeway::core {

// "2024-01-01T12:00:00Z" (seconds precision, UTC).
std::string FormatIso8601(SystemTime t);
// "2024-01-01T12:00:00" (no zone, UTC) as used by Edm.DateTime in Atom.
std::string FormatIsoLocal(SystemTime t);
// "20240101120000.1234567" (UTC), SAP's long timestamp as in Gateway error bodies.
std::string FormatSapTimestamp(SystemTime t);
// "20240101120000" (UTC), the 14-digit packed form.
std::string FormatSapTimestampShort(SystemTime t);
// Parses "YYYY-MM-DDThh:mm[:ss[.fffffff]]" with an optional "Z" or "+hh:mm"/"-hh:mm" zone.
// `offset_minutes` receives the zone offset if one was given. Returns UTC.
std::optional<SystemTime> ParseIso8601(std::string_view s, int* offset_minutes = nullptr);
// Days since 1970-01-01 for a proleptic Gregorian date (Howard Hinnant's algorithm).
int64_t DaysFromCivil(int64_t y, unsigned m, unsigned d);
void CivilFromDays(int64_t z, int64_t* y, unsigned* m, unsigned* d);

}  // namespace causeway::core
