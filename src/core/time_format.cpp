#include "core/time_format.h"

#include <cstdio>

namespace causeway::core {
namespace {

struct Parts {
  int64_t y;
  unsigned mo, d, h, mi, s;
  int64_t frac_100ns;  // fraction of the second in units of 100 ns (7 digits, as SAP writes)
};

Parts Split(SystemTime t) {
  auto us = std::chrono::duration_cast<std::chrono::microseconds>(t.time_since_epoch()).count();
  int64_t secs = us >= 0 ? us / 1000000 : -((-us + 999999) / 1000000);
  int64_t rem_us = us - secs * 1000000;
  int64_t days = secs >= 0 ? secs / 86400 : -((-secs + 86399) / 86400);
  int64_t sod = secs - days * 86400;
  Parts p{};
  CivilFromDays(days, &p.y, &p.mo, &p.d);
  p.h = static_cast<unsigned>(sod / 3600);
  p.mi = static_cast<unsigned>(sod % 3600 / 60);
  p.s = static_cast<unsigned>(sod % 60);
  p.frac_100ns = rem_us * 10;
  return p;
}

}  // namespace

int64_t DaysFromCivil(int64_t y, unsigned m, unsigned d) {
  y -= m <= 2;
  const int64_t era = (y >= 0 ? y : y - 399) / 400;
  const unsigned yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<int64_t>(doe) - 719468;
}

void CivilFromDays(int64_t z, int64_t* y, unsigned* m, unsigned* d) {
  z += 719468;
  const int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const unsigned doe = static_cast<unsigned>(z - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  *d = doy - (153 * mp + 2) / 5 + 1;
  *m = mp < 10 ? mp + 3 : mp - 9;
  *y = static_cast<int64_t>(yoe) + era * 400 + (*m <= 2);
}

std::string FormatIsoLocal(SystemTime t) {
  Parts p = Split(t);
  char buf[40];
  std::snprintf(buf, sizeof buf, "%04lld-%02u-%02uT%02u:%02u:%02u", static_cast<long long>(p.y), p.mo, p.d, p.h,
                p.mi, p.s);
  return buf;
}

std::string FormatIso8601(SystemTime t) { return FormatIsoLocal(t) + "Z"; }

std::string FormatSapTimestamp(SystemTime t) {
  Parts p = Split(t);
  char buf[40];
  std::snprintf(buf, sizeof buf, "%04lld%02u%02u%02u%02u%02u.%07lld", static_cast<long long>(p.y), p.mo, p.d, p.h,
                p.mi, p.s, static_cast<long long>(p.frac_100ns));
  return buf;
}

std::string FormatSapTimestampShort(SystemTime t) {
  Parts p = Split(t);
  char buf[32];
  std::snprintf(buf, sizeof buf, "%04lld%02u%02u%02u%02u%02u", static_cast<long long>(p.y), p.mo, p.d, p.h, p.mi,
                p.s);
  return buf;
}

std::optional<SystemTime> ParseIso8601(std::string_view s, int* offset_minutes) {
  auto digits = [&](size_t pos, size_t n, unsigned* out) {
    if (pos + n > s.size()) return false;
    unsigned v = 0;
    for (size_t i = pos; i < pos + n; ++i) {
      if (s[i] < '0' || s[i] > '9') return false;
      v = v * 10 + static_cast<unsigned>(s[i] - '0');
    }
    *out = v;
    return true;
  };
  unsigned y, mo, d, h, mi, sec = 0;
  if (!digits(0, 4, &y) || s.size() < 16 || s[4] != '-' || !digits(5, 2, &mo) || s[7] != '-' ||
      !digits(8, 2, &d) || (s[10] != 'T' && s[10] != 't') || !digits(11, 2, &h) || s[13] != ':' ||
      !digits(14, 2, &mi))
    return std::nullopt;
  size_t pos = 16;
  int64_t frac_us = 0;
  if (pos < s.size() && s[pos] == ':') {
    if (!digits(pos + 1, 2, &sec)) return std::nullopt;
    pos += 3;
    if (pos < s.size() && s[pos] == '.') {
      ++pos;
      size_t start = pos;
      int64_t scale = 100000;
      while (pos < s.size() && s[pos] >= '0' && s[pos] <= '9') {
        if (scale > 0) frac_us += (s[pos] - '0') * scale;
        scale /= 10;
        ++pos;
      }
      if (pos == start || pos - start > 7) return std::nullopt;
    }
  }
  int offset = 0;
  if (pos < s.size()) {
    if (s[pos] == 'Z' || s[pos] == 'z') {
      ++pos;
    } else if (s[pos] == '+' || s[pos] == '-') {
      unsigned oh, om;
      if (!digits(pos + 1, 2, &oh) || pos + 3 >= s.size() || s[pos + 3] != ':' || !digits(pos + 4, 2, &om))
        return std::nullopt;
      offset = static_cast<int>(oh * 60 + om) * (s[pos] == '-' ? -1 : 1);
      pos += 6;
    }
  }
  if (pos != s.size()) return std::nullopt;
  static constexpr unsigned kDays[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  if (mo < 1 || mo > 12 || d < 1 || d > kDays[mo - 1] || h > 23 || mi > 59 || sec > 59) return std::nullopt;
  bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
  if (mo == 2 && d == 29 && !leap) return std::nullopt;
  if (offset_minutes) *offset_minutes = offset;
  int64_t secs = DaysFromCivil(y, mo, d) * 86400 + h * 3600 + mi * 60 + sec - offset * 60;
  return SystemTime(std::chrono::duration_cast<SystemTime::duration>(std::chrono::microseconds(secs * 1000000 + frac_us)));
}

}  // namespace causeway::core
