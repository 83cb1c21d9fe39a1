#include "odata/literal.h"

#include <charconv>
#include <cmath>
#include <cstdio>
#include <limits>

#include "core/ascii.h"
#include "core/base64.h"
#include "core/time_format.h"
#include "core/url.h"
#include "odata/errors.h"

namespace causeway::odata {
namespace {

// Body of a quoted literal starting at s[0]=='\''; returns unescaped content if s is exactly one
// quoted string.
std::optional<std::string> Unquote(std::string_view s) {
  if (s.size() < 2 || s.front() != '\'' || s.back() != '\'') return std::nullopt;
  std::string out;
  out.reserve(s.size() - 2);
  for (size_t i = 1; i + 1 < s.size(); ++i) {
    if (s[i] == '\'') {
      // Inside the quotes a quote must be doubled; a lone one ends the literal too early.
      if (i + 2 < s.size() && s[i + 1] == '\'') {
        out += '\'';
        ++i;
        continue;
      }
      return std::nullopt;
    }
    out += s[i];
  }
  return out;
}

// `prefix'…'` with a case-insensitive prefix; returns the raw inside text.
std::optional<std::string_view> Prefixed(std::string_view s, std::string_view prefix) {
  if (s.size() < prefix.size() + 2 || !core::IStartsWith(s, prefix)) return std::nullopt;
  std::string_view rest = s.substr(prefix.size());
  if (rest.front() != '\'' || rest.back() != '\'') return std::nullopt;
  std::string_view inner = rest.substr(1, rest.size() - 2);
  if (inner.find('\'') != std::string_view::npos) return std::nullopt;
  return inner;
}

std::optional<std::string> ParseGuid(std::string_view s) {
  if (s.size() != 36) return std::nullopt;
  std::string out(s);
  for (size_t i = 0; i < 36; ++i) {
    bool dash = i == 8 || i == 13 || i == 18 || i == 23;
    if (dash ? s[i] != '-' : core::HexDigitValue(s[i]) < 0) return std::nullopt;
    out[i] = core::AsciiLower(s[i]);
  }
  return out;
}

std::optional<std::string> ParseHex(std::string_view s) {
  if (s.size() % 2) return std::nullopt;
  std::string out;
  out.reserve(s.size() / 2);
  for (size_t i = 0; i < s.size(); i += 2) {
    int hi = core::HexDigitValue(s[i]), lo = core::HexDigitValue(s[i + 1]);
    if (hi < 0 || lo < 0) return std::nullopt;
    out += static_cast<char>(hi * 16 + lo);
  }
  return out;
}

// Number grammar: [+-]digits[.digits][(e|E)[+-]digits].
struct NumberShape {
  bool ok = false, has_dot = false, has_exp = false;
};
NumberShape ScanNumber(std::string_view s) {
  NumberShape r;
  size_t i = 0;
  if (i < s.size() && (s[i] == '+' || s[i] == '-')) ++i;
  size_t start = i;
  while (i < s.size() && core::IsAsciiDigit(s[i])) ++i;
  if (i == start) return r;
  if (i < s.size() && s[i] == '.') {
    r.has_dot = true;
    size_t f = ++i;
    while (i < s.size() && core::IsAsciiDigit(s[i])) ++i;
    if (i == f) return r;
  }
  if (i < s.size() && (s[i] == 'e' || s[i] == 'E')) {
    r.has_exp = true;
    ++i;
    if (i < s.size() && (s[i] == '+' || s[i] == '-')) ++i;
    size_t e = i;
    while (i < s.size() && core::IsAsciiDigit(s[i])) ++i;
    if (i == e) return r;
  }
  r.ok = i == s.size();
  return r;
}

std::optional<int64_t> ToInt64(std::string_view s) {
  if (!s.empty() && s[0] == '+') s.remove_prefix(1);
  int64_t v = 0;
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || p != s.data() + s.size()) return std::nullopt;
  return v;
}

std::optional<double> ToDouble(std::string_view s) {
  if (!s.empty() && s[0] == '+') s.remove_prefix(1);
  double v = 0;
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || p != s.data() + s.size() || !std::isfinite(v)) return std::nullopt;
  return v;
}

bool IsNumeric(EdmType t) {
  switch (t) {
    case EdmType::kByte: case EdmType::kSByte: case EdmType::kInt16: case EdmType::kInt32:
    case EdmType::kInt64: case EdmType::kDecimal: case EdmType::kDouble: case EdmType::kSingle:
      return true;
    default:
      return false;
  }
}

bool InRange(EdmType t, int64_t v) {
  switch (t) {
    case EdmType::kByte: return v >= 0 && v <= 255;
    case EdmType::kSByte: return v >= -128 && v <= 127;
    case EdmType::kInt16: return v >= -32768 && v <= 32767;
    case EdmType::kInt32: return v >= std::numeric_limits<int32_t>::min() && v <= std::numeric_limits<int32_t>::max();
    default: return true;
  }
}

std::string DecimalFromInt(int64_t v) { return std::to_string(v); }

size_t Utf8Length(std::string_view s) {
  size_t n = 0;
  for (unsigned char c : s)
    if ((c & 0xC0) != 0x80) ++n;
  return n;
}

}  // namespace

std::optional<std::string> NormalizeDecimal(std::string_view s) {
  NumberShape shape = ScanNumber(s);
  if (!shape.ok || shape.has_exp) return std::nullopt;
  std::string out;
  if (s[0] == '-') out += '-';
  if (s[0] == '+' || s[0] == '-') s.remove_prefix(1);
  out.append(s);
  return out;
}

std::optional<int64_t> ParseDateTimeIso(std::string_view s, int* offset_minutes, bool* had_zone) {
  // The core parser accepts "YYYY-MM-DDThh:mm[:ss[.f…]]" plus zone; we also need to know whether
  // a zone was present to tell datetime'' from datetimeoffset''.
  if (s.size() < 16 || s[4] != '-' || s[7] != '-' || (s[10] != 'T' && s[10] != 't') || s[13] != ':') return std::nullopt;
  for (size_t i : {0u, 1u, 2u, 3u, 5u, 6u, 8u, 9u, 11u, 12u, 14u, 15u})
    if (!core::IsAsciiDigit(s[i])) return std::nullopt;
  int mo = (s[5] - '0') * 10 + (s[6] - '0'), d = (s[8] - '0') * 10 + (s[9] - '0');
  int h = (s[11] - '0') * 10 + (s[12] - '0'), mi = (s[14] - '0') * 10 + (s[15] - '0');
  int y = std::stoi(std::string(s.substr(0, 4)));
  size_t i = 16;
  int sec = 0;
  int64_t frac_ms = 0;
  if (i < s.size() && s[i] == ':') {
    if (i + 3 > s.size() || !core::IsAsciiDigit(s[i + 1]) || !core::IsAsciiDigit(s[i + 2])) return std::nullopt;
    sec = (s[i + 1] - '0') * 10 + (s[i + 2] - '0');
    i += 3;
    if (i < s.size() && s[i] == '.') {
      size_t f = ++i;
      int digits = 0;
      while (i < s.size() && core::IsAsciiDigit(s[i])) {
        if (digits < 3) frac_ms = frac_ms * 10 + (s[i] - '0');
        ++digits;
        ++i;
      }
      if (i == f || digits > 7) return std::nullopt;
      for (int k = digits; k < 3; ++k) frac_ms *= 10;
    }
  }
  int offset = 0;
  bool zone = false;
  if (i < s.size()) {
    zone = true;
    if ((s[i] == 'Z' || s[i] == 'z') && i + 1 == s.size()) {
      ++i;
    } else if ((s[i] == '+' || s[i] == '-' || s[i] == ' ') && i + 6 == s.size() && core::IsAsciiDigit(s[i + 1]) &&
               core::IsAsciiDigit(s[i + 2]) && s[i + 3] == ':' && core::IsAsciiDigit(s[i + 4]) && core::IsAsciiDigit(s[i + 5])) {
      // ' ' stands for a '+' that a client left unencoded in the query ('+' decodes to space).
      int oh = (s[i + 1] - '0') * 10 + (s[i + 2] - '0'), om = (s[i + 4] - '0') * 10 + (s[i + 5] - '0');
      if (oh > 23 || om > 59) return std::nullopt;
      offset = (s[i] == '-' ? -1 : 1) * (oh * 60 + om);
      i += 6;
    } else {
      return std::nullopt;
    }
  }
  if (mo < 1 || mo > 12 || d < 1 || h > 23 || mi > 59 || sec > 59) return std::nullopt;
  static constexpr int kDays[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
  if (d > kDays[mo - 1] || (mo == 2 && d == 29 && !leap)) return std::nullopt;
  int64_t days = core::DaysFromCivil(y, static_cast<unsigned>(mo), static_cast<unsigned>(d));
  int64_t ms = ((days * 24 + h) * 60 + mi) * 60000 + sec * 1000 + frac_ms - static_cast<int64_t>(offset) * 60000;
  if (offset_minutes) *offset_minutes = offset;
  if (had_zone) *had_zone = zone;
  return ms;
}

std::optional<int64_t> ParseDuration(std::string_view s) {
  // Gateway's Edm.Time is a time of day written as an xs:duration "PT13H20M00S".
  if (s.size() < 3 || s[0] != 'P' || s[1] != 'T') return std::nullopt;
  size_t i = 2;
  int64_t total = 0;
  int last_unit = 0;  // H=1, M=2, S=3: units must appear in order, each once
  bool any = false;
  while (i < s.size()) {
    size_t start = i;
    int64_t n = 0;
    while (i < s.size() && core::IsAsciiDigit(s[i])) {
      if (n > 1000000000) return std::nullopt;
      n = n * 10 + (s[i] - '0');
      ++i;
    }
    if (i == start || i >= s.size()) return std::nullopt;
    int64_t frac = 0;
    if (s[i] == '.') {
      size_t f = ++i;
      int digits = 0;
      while (i < s.size() && core::IsAsciiDigit(s[i])) {
        if (digits < 3) frac = frac * 10 + (s[i] - '0');
        ++digits;
        ++i;
      }
      if (i == f || i >= s.size() || s[i] != 'S') return std::nullopt;
      for (int k = digits; k < 3; ++k) frac *= 10;
    }
    int unit = s[i] == 'H' ? 1 : s[i] == 'M' ? 2 : s[i] == 'S' ? 3 : 0;
    if (unit <= last_unit) return std::nullopt;
    last_unit = unit;
    total += n * (unit == 1 ? 3600000 : unit == 2 ? 60000 : 1000) + frac;
    any = true;
    ++i;
  }
  if (!any) return std::nullopt;
  return total;
}

std::string FormatDuration(int64_t ms) {
  bool neg = ms < 0;
  if (neg) ms = -ms;
  int64_t h = ms / 3600000, m = ms / 60000 % 60, sec = ms / 1000 % 60, f = ms % 1000;
  char buf[64];
  if (f)
    std::snprintf(buf, sizeof buf, "%sPT%02lldH%02lldM%02lld.%03lldS", neg ? "-" : "", static_cast<long long>(h),
                  static_cast<long long>(m), static_cast<long long>(sec), static_cast<long long>(f));
  else
    std::snprintf(buf, sizeof buf, "%sPT%02lldH%02lldM%02lldS", neg ? "-" : "", static_cast<long long>(h),
                  static_cast<long long>(m), static_cast<long long>(sec));
  return buf;
}

std::string FormatDateTimeIso(int64_t ms, bool with_millis_if_nonzero) {
  int64_t days = ms >= 0 ? ms / 86400000 : -((-ms + 86399999) / 86400000);
  int64_t rem = ms - days * 86400000;
  int64_t y;
  unsigned mo, d;
  core::CivilFromDays(days, &y, &mo, &d);
  char buf[48];
  int n = std::snprintf(buf, sizeof buf, "%04lld-%02u-%02uT%02lld:%02lld:%02lld", static_cast<long long>(y), mo, d,
                        static_cast<long long>(rem / 3600000), static_cast<long long>(rem / 60000 % 60),
                        static_cast<long long>(rem / 1000 % 60));
  std::string out(buf, static_cast<size_t>(n));
  if (with_millis_if_nonzero && rem % 1000) {
    std::snprintf(buf, sizeof buf, ".%03lld", static_cast<long long>(rem % 1000));
    out += buf;
  }
  return out;
}

std::string FormatDouble(double d) {
  char buf[40];
  auto [p, ec] = std::to_chars(buf, buf + sizeof buf, d);
  std::string out(buf, ec == std::errc() ? static_cast<size_t>(p - buf) : 0);
  return out;
}

std::string Base64Encode(std::string_view bytes) { return core::Base64Encode(bytes); }

std::optional<std::string> Base64Decode(std::string_view text) {
  std::string out;
  if (!core::Base64Decode(text, &out)) return std::nullopt;
  return out;
}

std::optional<Literal> ParseLiteral(std::string_view s) {
  Literal lit;
  if (s.empty()) return std::nullopt;
  if (s == "null") {
    lit.is_null = true;
    return lit;
  }
  if (s == "true" || s == "false") {
    lit.type = EdmType::kBoolean;
    lit.value = Value(s == "true");
    return lit;
  }
  if (s.front() == '\'') {
    auto str = Unquote(s);
    if (!str) return std::nullopt;
    lit.type = EdmType::kString;
    lit.value = Value(std::move(*str));
    return lit;
  }
  if (s.back() == '\'') {
    if (auto in = Prefixed(s, "datetimeoffset")) {
      int off = 0;
      bool zone = false;
      auto ms = ParseDateTimeIso(*in, &off, &zone);
      if (!ms || !zone) return std::nullopt;
      lit.type = EdmType::kDateTimeOffset;
      lit.value = Value(DateTimeOffset{*ms, off});
      return lit;
    }
    if (auto in = Prefixed(s, "datetime")) {
      bool zone = false;
      auto ms = ParseDateTimeIso(*in, nullptr, &zone);
      if (!ms || zone) return std::nullopt;
      lit.type = EdmType::kDateTime;
      lit.value = Value(DateTime{*ms});
      return lit;
    }
    if (auto in = Prefixed(s, "time")) {
      auto ms = ParseDuration(*in);
      if (!ms) return std::nullopt;
      lit.type = EdmType::kTime;
      lit.value = Value(Time{*ms});
      return lit;
    }
    if (auto in = Prefixed(s, "guid")) {
      auto g = ParseGuid(*in);
      if (!g) return std::nullopt;
      lit.type = EdmType::kGuid;
      lit.value = Value(Guid{std::move(*g)});
      return lit;
    }
    std::optional<std::string_view> hex = Prefixed(s, "binary");
    if (!hex && (s[0] == 'X' || s[0] == 'x')) hex = Prefixed(s, "X");
    if (hex) {
      auto bytes = ParseHex(*hex);
      if (!bytes) return std::nullopt;
      lit.type = EdmType::kBinary;
      lit.value = Value(Binary{std::move(*bytes)});
      return lit;
    }
    return std::nullopt;
  }
  char suffix = s.back();
  std::string_view body = s;
  if (suffix == 'L' || suffix == 'l' || suffix == 'M' || suffix == 'm' || suffix == 'd' || suffix == 'D' ||
      suffix == 'f' || suffix == 'F')
    body.remove_suffix(1);
  else
    suffix = 0;
  NumberShape shape = ScanNumber(body);
  if (!shape.ok) {
    // INF/NaN are legal double/single literals in V2 but have no finite value; reject them.
    return std::nullopt;
  }
  switch (suffix) {
    case 'L': case 'l': {
      if (shape.has_dot || shape.has_exp) return std::nullopt;
      auto v = ToInt64(body);
      if (!v) return std::nullopt;
      lit.type = EdmType::kInt64;
      lit.value = Value(*v);
      return lit;
    }
    case 'M': case 'm': {
      auto d = NormalizeDecimal(body);
      if (!d) return std::nullopt;
      lit.type = EdmType::kDecimal;
      lit.value = Value(Decimal{std::move(*d)});
      return lit;
    }
    case 'd': case 'D': case 'f': case 'F': {
      auto v = ToDouble(body);
      if (!v) return std::nullopt;
      lit.type = (suffix == 'f' || suffix == 'F') ? EdmType::kSingle : EdmType::kDouble;
      lit.value = Value(*v);
      return lit;
    }
    default:
      break;
  }
  if (shape.has_exp) {
    auto v = ToDouble(body);
    if (!v) return std::nullopt;
    lit.type = EdmType::kDouble;
    lit.value = Value(*v);
    return lit;
  }
  if (shape.has_dot) {
    lit.type = EdmType::kDecimal;
    lit.value = Value(Decimal{*NormalizeDecimal(body)});
    return lit;
  }
  auto v = ToInt64(body);
  if (!v) {
    lit.type = EdmType::kDecimal;  // too large for Int64: still a valid number
    lit.value = Value(Decimal{*NormalizeDecimal(body)});
    return lit;
  }
  lit.type = InRange(EdmType::kInt32, *v) ? EdmType::kInt32 : EdmType::kInt64;
  lit.value = Value(*v);
  return lit;
}

core::Result<Value> BindLiteral(const Literal& lit, EdmType type, std::optional<int> max_length, bool nullable,
                                std::string_view name) {
  auto wrong = [&] {
    return BadRequest("Invalid value for '&1': expected a literal of type &2", {std::string(name), EdmTypeName(type)},
                      std::string(name));
  };
  if (lit.is_null) {
    if (!nullable) return BadRequest("Value for '&1' must not be null", {std::string(name)}, std::string(name));
    return Value();
  }
  if (lit.type == type) {
    if (max_length) {
      if (const auto* str = lit.value.get_if<std::string>(); str && Utf8Length(*str) > static_cast<size_t>(*max_length))
        return BadRequest("Value for '&1' exceeds the maximum length &2", {std::string(name), std::to_string(*max_length)},
                          std::string(name));
      if (const auto* b = lit.value.get_if<Binary>(); b && b->bytes.size() > static_cast<size_t>(*max_length))
        return BadRequest("Value for '&1' exceeds the maximum length &2", {std::string(name), std::to_string(*max_length)},
                          std::string(name));
    }
    if (lit.value.is<int64_t>() && !InRange(type, *lit.value.get_if<int64_t>())) return wrong();
    return lit.value;
  }
  if (!IsNumeric(type) || !IsNumeric(lit.type)) return wrong();
  // Numeric widening: integer literals fit any wider integer and every decimal/float type.
  if (const auto* i = lit.value.get_if<int64_t>()) {
    switch (type) {
      case EdmType::kByte: case EdmType::kSByte: case EdmType::kInt16: case EdmType::kInt32: case EdmType::kInt64:
        if (lit.type == EdmType::kInt64 && type != EdmType::kInt64) return wrong();
        if (!InRange(type, *i)) return wrong();
        return Value(*i);
      case EdmType::kDecimal:
        return Value(Decimal{DecimalFromInt(*i)});
      default:
        return Value(static_cast<double>(*i));
    }
  }
  if (const auto* dec = lit.value.get_if<Decimal>()) {
    if (type == EdmType::kDouble || type == EdmType::kSingle) {
      auto v = ToDouble(dec->text);
      if (!v) return wrong();
      return Value(*v);
    }
    return wrong();
  }
  if (lit.value.is<double>() && (type == EdmType::kDouble || type == EdmType::kSingle)) return lit.value;
  return wrong();
}

core::Result<Value> ParseTypedLiteral(std::string_view text, EdmType type, std::optional<int> max_length,
                                      bool nullable, std::string_view name) {
  auto lit = ParseLiteral(text);
  if (!lit)
    return BadRequest("Invalid literal '&1' for '&2'", {std::string(text.substr(0, 200)), std::string(name)},
                      std::string(name));
  return BindLiteral(*lit, type, max_length, nullable, name);
}

std::string FormatLiteral(const Value& v, EdmType type) {
  if (v.is_null()) return "null";
  switch (type) {
    case EdmType::kString: {
      std::string out = "'";
      for (char c : *v.get_if<std::string>()) {
        if (c == '\'') out += '\'';
        out += c;
      }
      out += '\'';
      return out;
    }
    case EdmType::kBoolean: return *v.get_if<bool>() ? "true" : "false";
    case EdmType::kInt64: return FormatAtomText(v, type) + "L";
    case EdmType::kDecimal: return FormatAtomText(v, type) + "M";
    case EdmType::kDouble: return FormatAtomText(v, type) + "d";
    case EdmType::kSingle: return FormatAtomText(v, type) + "f";
    case EdmType::kDateTime: return "datetime'" + FormatAtomText(v, type) + "'";
    case EdmType::kDateTimeOffset: return "datetimeoffset'" + FormatAtomText(v, type) + "'";
    case EdmType::kTime: return "time'" + FormatAtomText(v, type) + "'";
    case EdmType::kGuid: return "guid'" + FormatAtomText(v, type) + "'";
    case EdmType::kBinary: {
      static constexpr char kHex[] = "0123456789ABCDEF";
      std::string out = "X'";
      for (unsigned char c : v.get_if<Binary>()->bytes) {
        out += kHex[c >> 4];
        out += kHex[c & 15];
      }
      return out + "'";
    }
    default: return FormatAtomText(v, type);
  }
}

std::string EncodePathSegment(std::string_view s) { return core::PercentEncode(s, "'()=,:$!*@"); }
std::string EncodeQueryValue(std::string_view s) { return core::PercentEncode(s, "'()=,:$!*@/"); }

std::string FormatAtomText(const Value& v, EdmType type) {
  return std::visit(
      [&](const auto& x) -> std::string {
        using T = std::decay_t<decltype(x)>;
        if constexpr (std::is_same_v<T, std::monostate>) return "";
        else if constexpr (std::is_same_v<T, bool>) return x ? "true" : "false";
        else if constexpr (std::is_same_v<T, int64_t>) {
          if (type == EdmType::kDecimal) return std::to_string(x);
          if (type == EdmType::kDouble || type == EdmType::kSingle) return FormatDouble(static_cast<double>(x));
          return std::to_string(x);
        } else if constexpr (std::is_same_v<T, double>) return FormatDouble(x);
        else if constexpr (std::is_same_v<T, std::string>) return x;
        else if constexpr (std::is_same_v<T, Decimal>) return x.text;
        else if constexpr (std::is_same_v<T, DateTime>) return FormatDateTimeIso(x.ms);
        else if constexpr (std::is_same_v<T, DateTimeOffset>) {
          std::string out = FormatDateTimeIso(x.ms + static_cast<int64_t>(x.offset_minutes) * 60000);
          if (x.offset_minutes == 0) return out + "Z";
          char buf[16];
          int off = x.offset_minutes < 0 ? -x.offset_minutes : x.offset_minutes;
          std::snprintf(buf, sizeof buf, "%c%02d:%02d", x.offset_minutes < 0 ? '-' : '+', off / 60, off % 60);
          return out + buf;
        } else if constexpr (std::is_same_v<T, Time>) return FormatDuration(x.ms);
        else if constexpr (std::is_same_v<T, Guid>) return x.text;
        else return Base64Encode(x.bytes);
      },
      v.variant());
}

std::string_view AtomTextView(const Value& v, EdmType type, std::string& scratch) {
  if (const auto* s = v.get_if<std::string>()) return *s;
  if (const auto* d = v.get_if<Decimal>()) return d->text;
  if (const auto* g = v.get_if<Guid>()) return g->text;
  scratch = FormatAtomText(v, type);
  return scratch;
}

core::Result<Value> ParseAtomText(std::string_view text, EdmType type, std::string_view name) {
  auto bad = [&] {
    return BadRequest("Invalid value '&1' for property '&2'", {std::string(text.substr(0, 200)), std::string(name)},
                      std::string(name));
  };
  switch (type) {
    case EdmType::kString: return Value(std::string(text));
    case EdmType::kBoolean:
      if (text == "true" || text == "1") return Value(true);
      if (text == "false" || text == "0") return Value(false);
      return bad();
    case EdmType::kByte: case EdmType::kSByte: case EdmType::kInt16: case EdmType::kInt32: case EdmType::kInt64: {
      auto v = ToInt64(text);
      if (!v || !InRange(type, *v)) return bad();
      return Value(*v);
    }
    case EdmType::kDecimal: {
      auto d = NormalizeDecimal(text);
      if (!d) return bad();
      return Value(Decimal{*d});
    }
    case EdmType::kDouble: case EdmType::kSingle: {
      auto v = ToDouble(text);
      if (!v) return bad();
      return Value(*v);
    }
    case EdmType::kDateTime: {
      bool zone = false;
      auto ms = ParseDateTimeIso(text, nullptr, &zone);
      if (!ms) return bad();
      return Value(DateTime{*ms});
    }
    case EdmType::kDateTimeOffset: {
      int off = 0;
      auto ms = ParseDateTimeIso(text, &off, nullptr);
      if (!ms) return bad();
      return Value(DateTimeOffset{*ms, off});
    }
    case EdmType::kTime: {
      auto ms = ParseDuration(text);
      if (!ms) return bad();
      return Value(Time{*ms});
    }
    case EdmType::kGuid: {
      auto g = ParseGuid(text);
      if (!g) return bad();
      return Value(Guid{*g});
    }
    case EdmType::kBinary: {
      auto b = Base64Decode(text);
      if (!b) return bad();
      return Value(Binary{*b});
    }
  }
  return bad();
}

}  // namespace causeway::odata
