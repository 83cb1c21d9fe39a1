#include "exchange/http_date.h"

#include <array>
#include <cstdint>

#include "core/ascii.h"
#include "core/time_format.h"

namespace causeway::exchange {

namespace {

// A small cursor over the text; each Read* consumes on success only.
class Scanner {
 public:
  explicit Scanner(std::string_view s) : s_(s) {}

  bool Literal(std::string_view lit) {
    if (!s_.starts_with(lit)) return false;
    s_.remove_prefix(lit.size());
    return true;
  }
  bool Spaces() {  // one or more
    if (s_.empty() || s_[0] != ' ') return false;
    while (!s_.empty() && s_[0] == ' ') s_.remove_prefix(1);
    return true;
  }
  // Exactly `min`..`max` digits.
  bool Number(size_t min, size_t max, int* out) {
    size_t n = 0;
    int v = 0;
    while (n < s_.size() && n < max && s_[n] >= '0' && s_[n] <= '9') v = v * 10 + (s_[n++] - '0');
    if (n < min) return false;
    s_.remove_prefix(n);
    *out = v;
    return true;
  }
  bool Word(std::string_view* out) {
    size_t n = 0;
    while (n < s_.size() && ((s_[n] >= 'A' && s_[n] <= 'Z') || (s_[n] >= 'a' && s_[n] <= 'z'))) ++n;
    if (n == 0) return false;
    *out = s_.substr(0, n);
    s_.remove_prefix(n);
    return true;
  }
  bool Month(int* out) {
    static constexpr std::array<std::string_view, 12> kMonths = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                                                 "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
    if (s_.size() < 3) return false;
    for (size_t i = 0; i < kMonths.size(); ++i) {
      if (core::IEquals(s_.substr(0, 3), kMonths[i])) {
        s_.remove_prefix(3);
        *out = static_cast<int>(i) + 1;
        return true;
      }
    }
    return false;
  }
  bool Time(int* h, int* m, int* sec) {
    return Number(2, 2, h) && Literal(":") && Number(2, 2, m) && Literal(":") && Number(2, 2, sec);
  }
  bool AtEnd() const { return s_.empty(); }

 private:
  std::string_view s_;
};

std::optional<core::SystemTime> Make(int year, int month, int day, int h, int m, int s) {
  static constexpr std::array<int, 12> kDays = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  if (month < 1 || month > 12 || day < 1 || day > kDays[static_cast<size_t>(month - 1)]) return std::nullopt;
  if (h > 23 || m > 59 || s > 60) return std::nullopt;  // 60: a leap second, read as :59 + 1
  const bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
  if (month == 2 && day == 29 && !leap) return std::nullopt;
  int64_t days = core::DaysFromCivil(year, static_cast<unsigned>(month), static_cast<unsigned>(day));
  int64_t secs = days * 86400 + h * 3600 + m * 60 + s;
  return core::SystemTime(std::chrono::seconds(secs));
}

}  // namespace

std::optional<core::SystemTime> ParseHttpDate(std::string_view text) {
  text = core::Trim(text);
  int year = 0, month = 0, day = 0, h = 0, m = 0, s = 0;
  std::string_view weekday;
  {  // IMF-fixdate: "Sun, 06 Nov 1994 08:49:37 GMT"
    Scanner sc(text);
    if (sc.Word(&weekday) && weekday.size() == 3 && sc.Literal(", ") && sc.Number(2, 2, &day) &&
        sc.Literal(" ") && sc.Month(&month) && sc.Literal(" ") && sc.Number(4, 4, &year) &&
        sc.Literal(" ") && sc.Time(&h, &m, &s) && sc.Literal(" GMT") && sc.AtEnd()) {
      return Make(year, month, day, h, m, s);
    }
  }
  {  // RFC 850: "Sunday, 06-Nov-94 08:49:37 GMT"
    Scanner sc(text);
    if (sc.Word(&weekday) && weekday.size() > 3 && sc.Literal(", ") && sc.Number(2, 2, &day) &&
        sc.Literal("-") && sc.Month(&month) && sc.Literal("-") && sc.Number(2, 2, &year) &&
        sc.Literal(" ") && sc.Time(&h, &m, &s) && sc.Literal(" GMT") && sc.AtEnd()) {
      return Make(year < 70 ? 2000 + year : 1900 + year, month, day, h, m, s);
    }
  }
  {  // asctime: "Sun Nov  6 08:49:37 1994"
    Scanner sc(text);
    if (sc.Word(&weekday) && weekday.size() == 3 && sc.Literal(" ") && sc.Month(&month) &&
        sc.Spaces() && sc.Number(1, 2, &day) && sc.Literal(" ") && sc.Time(&h, &m, &s) &&
        sc.Literal(" ") && sc.Number(4, 4, &year) && sc.AtEnd()) {
      return Make(year, month, day, h, m, s);
    }
  }
  return std::nullopt;
}

}  // namespace causeway::exchange
