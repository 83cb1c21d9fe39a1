#include "odata/filter_eval.h"

#include <cmath>
#include <cstdlib>

#include "core/time_format.h"
#include "odata/errors.h"
#include "odata/literal.h"

namespace causeway::odata {
namespace {

using Kind = FilterExpr::Kind;
using Op = FilterExpr::Op;

bool IsIntegerValue(const Value& v) { return v.is<int64_t>(); }

// Numeric view of a value; decimals are compared and computed in long double (documented
// limitation: more than ~18 significant digits lose precision).
std::optional<long double> AsNumber(const Value& v) {
  if (const auto* i = v.get_if<int64_t>()) return static_cast<long double>(*i);
  if (const auto* d = v.get_if<double>()) return static_cast<long double>(*d);
  if (const auto* dec = v.get_if<Decimal>()) return std::strtold(dec->text.c_str(), nullptr);
  return std::nullopt;
}

int64_t InstantOf(const Value& v) {
  if (const auto* d = v.get_if<DateTime>()) return d->ms;
  if (const auto* o = v.get_if<DateTimeOffset>()) return o->ms;
  return 0;
}

// Civil fields of a DateTime (UTC) or DateTimeOffset (in its own offset, as written).
void CivilFields(const Value& v, int64_t* y, unsigned* mo, unsigned* d, int64_t* ms_of_day) {
  int64_t ms = InstantOf(v);
  if (const auto* o = v.get_if<DateTimeOffset>()) ms += static_cast<int64_t>(o->offset_minutes) * 60000;
  int64_t days = ms >= 0 ? ms / 86400000 : -((-ms + 86399999) / 86400000);
  *ms_of_day = ms - days * 86400000;
  core::CivilFromDays(days, y, mo, d);
}

Value MakeNumber(long double x, EdmType t) {
  switch (t) {
    case EdmType::kDecimal: {
      std::string s = FormatDouble(static_cast<double>(x));
      if (s.find_first_of("eE") != std::string::npos) {
        char buf[64];
        std::snprintf(buf, sizeof buf, "%.6Lf", x);
        s = buf;
      }
      return Value(Decimal{s});
    }
    case EdmType::kDouble: case EdmType::kSingle: return Value(static_cast<double>(x));
    default: return Value(static_cast<int64_t>(x));
  }
}

size_t Utf8Count(std::string_view s) {
  size_t n = 0;
  for (unsigned char c : s)
    if ((c & 0xC0) != 0x80) ++n;
  return n;
}

// Byte offset of the n-th UTF-8 character (or s.size()).
size_t Utf8Offset(std::string_view s, int64_t n) {
  if (n <= 0) return 0;
  int64_t seen = 0;
  for (size_t i = 0; i < s.size(); ++i) {
    if ((static_cast<unsigned char>(s[i]) & 0xC0) != 0x80) {
      if (seen == n) return i;
      ++seen;
    }
  }
  return s.size();
}

// Strings a filter builds for one entity (replace, concat), in bytes: nested replaces multiply
// a string's length at each level, so a URL of a few hundred bytes could ask for gigabytes.
// No real filter comes near this.
constexpr size_t kMaxBuiltBytes = size_t{1} << 20;

core::Status Spend(size_t& made, size_t bytes) {
  made += bytes;
  if (made > kMaxBuiltBytes)
    return BadRequest("The filter expression builds strings of more than &1 bytes per entity",
                      {std::to_string(kMaxBuiltBytes)}, "$filter");
  return core::Status::Ok();
}

core::Result<Value> Eval(const FilterExpr& e, const EntityType& type, const Entity& ent, size_t& made);

// n-ary and/or, left to right as the binary fold would: the deciding value (false for and,
// true for or) ends the evaluation; otherwise null if any operand was null.
core::Result<Value> EvalJunction(const FilterExpr& e, const EntityType& type, const Entity& ent, size_t& made) {
  const Value decisive(e.op == Op::kOr);
  bool saw_null = false;
  for (const auto& c : e.children) {
    CW_ASSIGN_OR_RETURN(Value v, Eval(c, type, ent, made));
    if (v == decisive) return decisive;
    saw_null = saw_null || v.is_null();
  }
  if (saw_null) return Value();
  return Value(e.op == Op::kAnd);
}

core::Result<Value> EvalBinary(const FilterExpr& e, const EntityType& type, const Entity& ent, size_t& made) {
  if (e.op == Op::kAnd || e.op == Op::kOr) return EvalJunction(e, type, ent, made);
  CW_ASSIGN_OR_RETURN(Value l, Eval(e.children[0], type, ent, made));
  CW_ASSIGN_OR_RETURN(Value r, Eval(e.children[1], type, ent, made));
  switch (e.op) {
    case Op::kEq: return Value(CompareValues(l, r) == 0);
    case Op::kNe: return Value(CompareValues(l, r) != 0);
    case Op::kGt: case Op::kGe: case Op::kLt: case Op::kLe: {
      if (l.is_null() || r.is_null()) return Value(false);
      int c = CompareValues(l, r);
      return Value(e.op == Op::kGt ? c > 0 : e.op == Op::kGe ? c >= 0 : e.op == Op::kLt ? c < 0 : c <= 0);
    }
    default: break;
  }
  if (l.is_null() || r.is_null()) return Value();
  if (IsIntegerValue(l) && IsIntegerValue(r) && (e.type == EdmType::kInt32 || e.type == EdmType::kInt64)) {
    int64_t a = *l.get_if<int64_t>(), b = *r.get_if<int64_t>();
    int64_t out = 0;
    switch (e.op) {
      case Op::kAdd: if (__builtin_add_overflow(a, b, &out)) return Value(); return Value(out);
      case Op::kSub: if (__builtin_sub_overflow(a, b, &out)) return Value(); return Value(out);
      case Op::kMul: if (__builtin_mul_overflow(a, b, &out)) return Value(); return Value(out);
      case Op::kDiv: if (b == 0 || (a == INT64_MIN && b == -1)) return Value(); return Value(a / b);
      case Op::kMod: if (b == 0 || (a == INT64_MIN && b == -1)) return Value(); return Value(a % b);
      default: break;
    }
  }
  auto a = AsNumber(l), b = AsNumber(r);
  if (!a || !b) return Value();
  switch (e.op) {
    case Op::kAdd: return MakeNumber(*a + *b, e.type);
    case Op::kSub: return MakeNumber(*a - *b, e.type);
    case Op::kMul: return MakeNumber(*a * *b, e.type);
    case Op::kDiv: if (*b == 0) return Value(); return MakeNumber(*a / *b, e.type);
    case Op::kMod: if (*b == 0) return Value(); return MakeNumber(std::fmod(*a, *b), e.type);
    default: return Value();
  }
}

core::Result<Value> EvalCall(const FilterExpr& e, const EntityType& type, const Entity& ent, size_t& made) {
  std::vector<Value> args;
  for (const auto& c : e.children) {
    CW_ASSIGN_OR_RETURN(Value v, Eval(c, type, ent, made));
    if (v.is_null()) return e.is_bool ? Value(false) : Value();
    args.push_back(std::move(v));
  }
  const std::string& n = e.name;
  auto s = [&](size_t i) -> const std::string& { return *args[i].get_if<std::string>(); };
  auto i64 = [&](size_t i) -> int64_t { return *args[i].get_if<int64_t>(); };
  if (n == "substringof") return Value(s(1).find(s(0)) != std::string::npos);
  if (n == "startswith") return Value(s(0).compare(0, s(1).size(), s(1)) == 0 && s(0).size() >= s(1).size());
  if (n == "endswith")
    return Value(s(0).size() >= s(1).size() && s(0).compare(s(0).size() - s(1).size(), s(1).size(), s(1)) == 0);
  if (n == "length") return Value(static_cast<int64_t>(Utf8Count(s(0))));
  if (n == "indexof") {
    size_t p = s(0).find(s(1));
    return Value(p == std::string::npos ? int64_t{-1} : static_cast<int64_t>(Utf8Count(s(0).substr(0, p))));
  }
  if (n == "replace") {
    std::string out;
    const std::string &src = s(0), &from = s(1), &to = s(2);
    if (from.empty()) return Value(src);
    size_t p = 0;
    while (true) {
      size_t q = src.find(from, p);
      if (q == std::string::npos) break;
      CW_RETURN_IF_ERROR(Spend(made, q - p + to.size()));
      out.append(src, p, q - p);
      out += to;
      p = q + from.size();
    }
    CW_RETURN_IF_ERROR(Spend(made, src.size() - p));
    out.append(src, p);
    return Value(out);
  }
  if (n == "substring") {
    const std::string& src = s(0);
    int64_t start = i64(1);
    if (start < 0) start = 0;
    size_t b = Utf8Offset(src, start);
    if (args.size() == 3) {
      int64_t len = i64(2);
      if (len < 0) len = 0;
      size_t end = Utf8Offset(src, start + len);
      return Value(src.substr(b, end - b));
    }
    return Value(src.substr(b));
  }
  if (n == "tolower" || n == "toupper") {
    std::string out = s(0);
    for (char& c : out) {
      if (n == "tolower" && c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
      if (n == "toupper" && c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
    }
    return Value(out);
  }
  if (n == "trim") {
    std::string_view v = s(0);
    while (!v.empty() && v.front() == ' ') v.remove_prefix(1);
    while (!v.empty() && v.back() == ' ') v.remove_suffix(1);
    return Value(v);
  }
  if (n == "concat") {
    CW_RETURN_IF_ERROR(Spend(made, s(0).size() + s(1).size()));
    return Value(s(0) + s(1));
  }
  if (n == "year" || n == "month" || n == "day" || n == "hour" || n == "minute" || n == "second") {
    int64_t y = 0, msd = 0;
    unsigned mo = 0, d = 0;
    if (const auto* t = args[0].get_if<Time>()) msd = t->ms;
    else CivilFields(args[0], &y, &mo, &d, &msd);
    if (n == "year") return Value(y);
    if (n == "month") return Value(static_cast<int64_t>(mo));
    if (n == "day") return Value(static_cast<int64_t>(d));
    if (n == "hour") return Value(msd / 3600000);
    if (n == "minute") return Value(msd / 60000 % 60);
    return Value(msd / 1000 % 60);
  }
  if (n == "round" || n == "floor" || n == "ceiling") {
    if (args[0].is<int64_t>()) return args[0];
    auto x = AsNumber(args[0]);
    if (!x) return Value();
    long double r = n == "round" ? std::round(*x) : n == "floor" ? std::floor(*x) : std::ceil(*x);
    if (args[0].is<Decimal>()) return Value(Decimal{std::to_string(static_cast<long long>(r))});
    return Value(static_cast<double>(r));
  }
  return BadRequest("Unknown filter function '&1'", {n});
}

core::Result<Value> Eval(const FilterExpr& e, const EntityType& type, const Entity& ent, size_t& made) {
  switch (e.kind) {
    case Kind::kLiteral: return e.literal;
    case Kind::kProperty: {
      int i = PropertyIndex(type, e.name);
      if (i < 0 || static_cast<size_t>(i) >= ent.values.size()) return BadRequest("Unknown property '&1'", {e.name});
      return ent.values[static_cast<size_t>(i)];
    }
    case Kind::kNot: {
      CW_ASSIGN_OR_RETURN(Value v, Eval(e.children[0], type, ent, made));
      if (v.is_null()) return Value();
      return Value(!*v.get_if<bool>());
    }
    case Kind::kNegate: {
      CW_ASSIGN_OR_RETURN(Value v, Eval(e.children[0], type, ent, made));
      if (const auto* i = v.get_if<int64_t>()) return *i == INT64_MIN ? Value() : Value(-*i);
      if (const auto* d = v.get_if<double>()) return Value(-*d);
      if (const auto* dec = v.get_if<Decimal>())
        return Value(Decimal{dec->text[0] == '-' ? dec->text.substr(1) : "-" + dec->text});
      return Value();
    }
    case Kind::kBinary:
      return EvalBinary(e, type, ent, made);
    case Kind::kCall:
      return EvalCall(e, type, ent, made);
  }
  return Value();
}

}  // namespace

int CompareValues(const Value& a, const Value& b) {
  if (a.is_null() || b.is_null()) return a.is_null() == b.is_null() ? 0 : (a.is_null() ? -1 : 1);
  auto na = AsNumber(a), nb = AsNumber(b);
  if (na && nb) {
    if (IsIntegerValue(a) && IsIntegerValue(b)) {
      int64_t x = *a.get_if<int64_t>(), y = *b.get_if<int64_t>();
      return x < y ? -1 : x > y ? 1 : 0;
    }
    return *na < *nb ? -1 : *na > *nb ? 1 : 0;
  }
  if ((a.is<DateTime>() || a.is<DateTimeOffset>()) && (b.is<DateTime>() || b.is<DateTimeOffset>())) {
    int64_t x = InstantOf(a), y = InstantOf(b);
    return x < y ? -1 : x > y ? 1 : 0;
  }
  if (a.variant().index() != b.variant().index())
    return a.variant().index() < b.variant().index() ? -1 : 1;
  if (const auto* s = a.get_if<std::string>()) return s->compare(*b.get_if<std::string>()) < 0 ? -1 : (*s == *b.get_if<std::string>() ? 0 : 1);
  if (const auto* x = a.get_if<bool>()) return *x == *b.get_if<bool>() ? 0 : (*x ? 1 : -1);
  if (const auto* t = a.get_if<Time>()) return t->ms < b.get_if<Time>()->ms ? -1 : t->ms > b.get_if<Time>()->ms ? 1 : 0;
  if (const auto* g = a.get_if<Guid>()) return g->text.compare(b.get_if<Guid>()->text) < 0 ? -1 : (g->text == b.get_if<Guid>()->text ? 0 : 1);
  if (const auto* bin = a.get_if<Binary>())
    return bin->bytes.compare(b.get_if<Binary>()->bytes) < 0 ? -1 : (bin->bytes == b.get_if<Binary>()->bytes ? 0 : 1);
  return 0;
}

core::Result<Value> EvaluateFilter(const FilterExpr& expr, const EntityType& type, const Entity& entity) {
  size_t made = 0;
  return Eval(expr, type, entity, made);
}

core::Result<bool> FilterMatches(const FilterExpr& expr, const EntityType& type, const Entity& entity) {
  size_t made = 0;
  CW_ASSIGN_OR_RETURN(Value v, Eval(expr, type, entity, made));
  return v == Value(true);
}

}  // namespace causeway::odata
