#include "client/odata_literal.h"
#include "core/url.h"

#include <cctype>
#include <chrono>
#include <cstdio>

namespace causeway::client {

std::string StringLiteral(std::string_view value) {
  std::string doubled;
  doubled.reserve(value.size() + 2);
  for (char c : value) {
    doubled += c;
    if (c == '\'') doubled += '\'';
  }
  return "'" + core::PercentEncode(doubled) + "'";
}

namespace {

bool Digits(std::string_view s, size_t pos, size_t n) {
  if (pos + n > s.size()) return false;
  for (size_t i = pos; i < pos + n; ++i) {
    if (!std::isdigit(static_cast<unsigned char>(s[i]))) return false;
  }
  return true;
}

}  // namespace

core::Result<std::string> DateTimeLiteral(std::string_view value) {
  auto bad = [&] {
    return core::MakeError(core::Code::kBadRequest, "CLIENT", "", 
                           "invalid date/time '" + std::string(value) +
                               "': expected YYYY-MM-DD[THH:MM[:SS]]");
  };
  if (!Digits(value, 0, 4) || value.size() < 10 || value[4] != '-' || !Digits(value, 5, 2) ||
      value[7] != '-' || !Digits(value, 8, 2)) {
    return bad();
  }
  std::string date(value.substr(0, 10));
  std::string time = "00:00:00";
  if (value.size() > 10) {
    if (value[10] != 'T' && value[10] != ' ') return bad();
    std::string_view t = value.substr(11);
    if (t.size() == 5 && Digits(t, 0, 2) && t[2] == ':' && Digits(t, 3, 2)) {
      time = std::string(t) + ":00";
    } else if (t.size() == 8 && Digits(t, 0, 2) && t[2] == ':' && Digits(t, 3, 2) && t[5] == ':' &&
               Digits(t, 6, 2)) {
      time = std::string(t);
    } else {
      return bad();
    }
  }
  int month = std::stoi(date.substr(5, 2));
  int day = std::stoi(date.substr(8, 2));
  int hour = std::stoi(time.substr(0, 2));
  int minute = std::stoi(time.substr(3, 2));
  int second = std::stoi(time.substr(6, 2));
  if (month < 1 || month > 12 || day < 1 || day > 31 || hour > 23 || minute > 59 || second > 59) {
    return bad();
  }
  return "datetime'" + date + "T" + time + "'";
}

std::string FormatODataDateTime(std::string_view value) {
  constexpr std::string_view kPrefix = "/Date(";
  if (value.substr(0, kPrefix.size()) != kPrefix) return std::string(value);
  size_t pos = kPrefix.size();
  bool negative = pos < value.size() && value[pos] == '-';
  if (negative) ++pos;
  long long ms = 0;
  size_t digits = 0;
  while (pos < value.size() && std::isdigit(static_cast<unsigned char>(value[pos]))) {
    ms = ms * 10 + (value[pos] - '0');
    ++pos;
    ++digits;
  }
  if (digits == 0) return std::string(value);
  if (negative) ms = -ms;
  using namespace std::chrono;
  sys_time<milliseconds> tp{milliseconds(ms)};
  auto day_point = floor<days>(tp);
  year_month_day ymd{day_point};
  hh_mm_ss hms{floor<seconds>(tp - day_point)};
  char buf[32];
  std::snprintf(buf, sizeof buf, "%04d-%02u-%02uT%02d:%02d:%02dZ", static_cast<int>(ymd.year()),
                static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()),
                static_cast<int>(hms.hours().count()), static_cast<int>(hms.minutes().count()),
                static_cast<int>(hms.seconds().count()));
  return buf;
}

}  // namespace causeway::client
