#include "odata/filter_parser.h"

#include <cstring>

#include "core/ascii.h"
#include "core/utf8.h"
#include "odata/errors.h"
#include "odata/literal.h"

namespace causeway::odata {

const char* FilterOpName(FilterExpr::Op op) {
  static constexpr const char* kNames[] = {"eq", "ne", "gt", "ge", "lt", "le", "and",
                                           "or", "add", "sub", "mul", "div", "mod"};
  return kNames[static_cast<int>(op)];
}

namespace {

using Kind = FilterExpr::Kind;
using Op = FilterExpr::Op;

// Recursion depth of the parser itself (parentheses, not, unary minus, call arguments).
constexpr int kMaxDepth = 64;

enum class Tok { kEnd, kLParen, kRParen, kComma, kMinus, kWord, kLiteral };

struct Token {
  Tok kind = Tok::kEnd;
  std::string_view text;
  size_t pos = 0;
};

bool IsWordStart(char c) { return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '_'; }
bool IsWordChar(char c) { return IsWordStart(c) || (c >= '0' && c <= '9') || c == '/' || c == '.'; }

// Numeric type rank for promotion; 0 = not numeric.
int NumericRank(EdmType t) {
  switch (t) {
    case EdmType::kByte: case EdmType::kSByte: case EdmType::kInt16: case EdmType::kInt32: return 1;
    case EdmType::kInt64: return 2;
    case EdmType::kDecimal: return 3;
    case EdmType::kSingle: case EdmType::kDouble: return 4;
    default: return 0;
  }
}

EdmType Promote(EdmType a, EdmType b) {
  int r = std::max(NumericRank(a), NumericRank(b));
  return r == 1 ? EdmType::kInt32 : r == 2 ? EdmType::kInt64 : r == 3 ? EdmType::kDecimal : EdmType::kDouble;
}

bool IsNullLiteral(const FilterExpr& e) { return e.kind == Kind::kLiteral && e.literal.is_null(); }

class Parser {
 public:
  Parser(std::string_view text, const EntityType& type) : text_(text), type_(type) {}

  core::Result<FilterExpr> Run() {
    CW_RETURN_IF_ERROR(Next());
    CW_ASSIGN_OR_RETURN(FilterExpr e, ParseOr(0));
    if (tok_.kind != Tok::kEnd) return Error("unexpected '" + std::string(tok_.text) + "'");
    if (!e.is_bool) return Error("the expression is not boolean");
    return e;
  }

 private:
  core::Error Error(const std::string& why) const {
    return BadRequest("Invalid filter expression at position &1: &2", {std::to_string(tok_.pos), why}, "$filter");
  }

  core::Status Next() {
    while (pos_ < text_.size() && (text_[pos_] == ' ' || text_[pos_] == '\t')) ++pos_;
    tok_.pos = pos_;
    if (pos_ >= text_.size()) {
      tok_ = {Tok::kEnd, {}, pos_};
      return core::Status::Ok();
    }
    char c = text_[pos_];
    size_t start = pos_;
    auto emit = [&](Tok k, size_t end) {
      tok_ = {k, text_.substr(start, end - start), start};
      pos_ = end;
      return core::Status::Ok();
    };
    if (c == '(') return emit(Tok::kLParen, pos_ + 1);
    if (c == ')') return emit(Tok::kRParen, pos_ + 1);
    if (c == ',') return emit(Tok::kComma, pos_ + 1);
    if (c == '\'') return emit(Tok::kLiteral, QuotedEnd(pos_));
    if (core::IsAsciiDigit(c) || (c == '-' && pos_ + 1 < text_.size() && core::IsAsciiDigit(text_[pos_ + 1]))) {
      size_t i = pos_ + 1;
      while (i < text_.size() && (core::IsAsciiDigit(text_[i]) || text_[i] == '.' || text_[i] == 'e' || text_[i] == 'E' ||
                                  ((text_[i] == '+' || text_[i] == '-') && (text_[i - 1] == 'e' || text_[i - 1] == 'E'))))
        ++i;
      if (i < text_.size() && std::strchr("LlMmDdFf", text_[i])) ++i;
      return emit(Tok::kLiteral, i);
    }
    if (c == '-') return emit(Tok::kMinus, pos_ + 1);
    if (IsWordStart(c)) {
      size_t i = pos_;
      while (i < text_.size() && IsWordChar(text_[i])) ++i;
      if (i < text_.size() && text_[i] == '\'') return emit(Tok::kLiteral, QuotedEnd(i));  // datetime'…'
      return emit(Tok::kWord, i);
    }
    // Quote the whole character, not the first byte of a multi-byte one.
    return Error("unexpected character '" + std::string(text_.substr(pos_, core::Utf8SequenceLength(text_.substr(pos_)))) + "'");
  }

  // End of a quoted literal starting at text_[q] == '\'' (doubled quotes stay inside).
  size_t QuotedEnd(size_t q) const {
    size_t i = q + 1;
    while (i < text_.size()) {
      if (text_[i] == '\'') {
        if (i + 1 < text_.size() && text_[i + 1] == '\'') {
          i += 2;
          continue;
        }
        return i + 1;
      }
      ++i;
    }
    return text_.size();  // unterminated: ParseLiteral rejects it
  }

  bool AtWord(const char* w) const { return tok_.kind == Tok::kWord && tok_.text == w; }

  // Counts a new node against kMaxFilterNodes.
  core::Status CountNode() {
    if (++nodes_ > kMaxFilterNodes)
      return Error("expression has more than " + std::to_string(kMaxFilterNodes) + " operands and operators");
    return core::Status::Ok();
  }

  // Sets e.height from its children and checks it against kMaxFilterHeight.
  core::Status Seal(FilterExpr& e) {
    int below = 0;
    for (const auto& c : e.children) below = std::max(below, c.height);
    e.height = below + 1;
    if (e.height > kMaxFilterHeight) return Error("expression nested too deeply");
    return core::Status::Ok();
  }

  core::Result<FilterExpr> Binary(Op op, FilterExpr l, FilterExpr r) {
    if ((op == Op::kAnd || op == Op::kOr) && l.kind == Kind::kBinary && l.op == op) {
      // Extend the n-ary chain instead of nesting one level per operator.
      if (!(r.is_bool || IsNullLiteral(r)))
        return Error(std::string("operands of '") + FilterOpName(op) + "' must be boolean");
      l.children.push_back(std::move(r));
      CW_RETURN_IF_ERROR(Seal(l));
      return l;
    }
    CW_RETURN_IF_ERROR(CountNode());
    FilterExpr e;
    e.kind = Kind::kBinary;
    e.op = op;
    switch (op) {
      case Op::kAnd: case Op::kOr:
        if (!(l.is_bool || IsNullLiteral(l)) || !(r.is_bool || IsNullLiteral(r)))
          return Error(std::string("operands of '") + FilterOpName(op) + "' must be boolean");
        e.is_bool = true;
        e.type = EdmType::kBoolean;
        break;
      case Op::kEq: case Op::kNe: case Op::kGt: case Op::kGe: case Op::kLt: case Op::kLe:
        if (!Comparable(l, r, op == Op::kEq || op == Op::kNe))
          return Error(std::string("operands of '") + FilterOpName(op) + "' have incompatible types " +
                       TypeText(l) + " and " + TypeText(r));
        e.is_bool = true;
        e.type = EdmType::kBoolean;
        break;
      default: {
        bool ln = IsNullLiteral(l), rn = IsNullLiteral(r);
        if ((!ln && (l.is_bool || !NumericRank(l.type))) || (!rn && (r.is_bool || !NumericRank(r.type))))
          return Error(std::string("operands of '") + FilterOpName(op) + "' must be numeric");
        e.type = ln ? r.type : rn ? l.type : Promote(l.type, r.type);
        break;
      }
    }
    e.children.push_back(std::move(l));
    e.children.push_back(std::move(r));
    CW_RETURN_IF_ERROR(Seal(e));
    return e;
  }

  static std::string TypeText(const FilterExpr& e) { return IsNullLiteral(e) ? "null" : EdmTypeName(e.type); }

  static bool Comparable(const FilterExpr& l, const FilterExpr& r, bool equality) {
    if (IsNullLiteral(l) || IsNullLiteral(r)) return true;
    if (l.is_bool || r.is_bool) return l.is_bool && r.is_bool && equality;
    if (NumericRank(l.type) && NumericRank(r.type)) return true;
    if ((l.type == EdmType::kDateTime || l.type == EdmType::kDateTimeOffset) &&
        (r.type == EdmType::kDateTime || r.type == EdmType::kDateTimeOffset))
      return true;
    if (l.type != r.type) return false;
    return equality || l.type != EdmType::kGuid;
  }

  core::Result<FilterExpr> ParseOr(int depth) {
    CW_ASSIGN_OR_RETURN(FilterExpr l, ParseAnd(depth));
    while (AtWord("or")) {
      CW_RETURN_IF_ERROR(Next());
      CW_ASSIGN_OR_RETURN(FilterExpr r, ParseAnd(depth));
      CW_ASSIGN_OR_RETURN(l, Binary(Op::kOr, std::move(l), std::move(r)));
    }
    return l;
  }

  core::Result<FilterExpr> ParseAnd(int depth) {
    CW_ASSIGN_OR_RETURN(FilterExpr l, ParseComparison(depth));
    while (AtWord("and")) {
      CW_RETURN_IF_ERROR(Next());
      CW_ASSIGN_OR_RETURN(FilterExpr r, ParseComparison(depth));
      CW_ASSIGN_OR_RETURN(l, Binary(Op::kAnd, std::move(l), std::move(r)));
    }
    return l;
  }

  core::Result<FilterExpr> ParseComparison(int depth) {
    CW_ASSIGN_OR_RETURN(FilterExpr l, ParseAdditive(depth));
    static constexpr std::pair<const char*, Op> kOps[] = {{"eq", Op::kEq}, {"ne", Op::kNe}, {"gt", Op::kGt},
                                                          {"ge", Op::kGe}, {"lt", Op::kLt}, {"le", Op::kLe}};
    while (tok_.kind == Tok::kWord) {
      const std::pair<const char*, Op>* hit = nullptr;
      for (const auto& o : kOps)
        if (tok_.text == o.first) hit = &o;
      if (!hit) break;
      CW_RETURN_IF_ERROR(Next());
      CW_ASSIGN_OR_RETURN(FilterExpr r, ParseAdditive(depth));
      CW_ASSIGN_OR_RETURN(l, Binary(hit->second, std::move(l), std::move(r)));
    }
    return l;
  }

  core::Result<FilterExpr> ParseAdditive(int depth) {
    CW_ASSIGN_OR_RETURN(FilterExpr l, ParseMultiplicative(depth));
    while (AtWord("add") || AtWord("sub")) {
      Op op = tok_.text == "add" ? Op::kAdd : Op::kSub;
      CW_RETURN_IF_ERROR(Next());
      CW_ASSIGN_OR_RETURN(FilterExpr r, ParseMultiplicative(depth));
      CW_ASSIGN_OR_RETURN(l, Binary(op, std::move(l), std::move(r)));
    }
    return l;
  }

  core::Result<FilterExpr> ParseMultiplicative(int depth) {
    CW_ASSIGN_OR_RETURN(FilterExpr l, ParseUnary(depth));
    while (AtWord("mul") || AtWord("div") || AtWord("mod")) {
      Op op = tok_.text == "mul" ? Op::kMul : tok_.text == "div" ? Op::kDiv : Op::kMod;
      CW_RETURN_IF_ERROR(Next());
      CW_ASSIGN_OR_RETURN(FilterExpr r, ParseUnary(depth));
      CW_ASSIGN_OR_RETURN(l, Binary(op, std::move(l), std::move(r)));
    }
    return l;
  }

  core::Result<FilterExpr> ParseUnary(int depth) {
    if (depth > kMaxDepth) return Error("expression nested too deeply");
    if (AtWord("not")) {
      CW_RETURN_IF_ERROR(Next());
      CW_ASSIGN_OR_RETURN(FilterExpr operand, ParseUnary(depth + 1));
      if (!operand.is_bool && !IsNullLiteral(operand)) return Error("operand of 'not' must be boolean");
      CW_RETURN_IF_ERROR(CountNode());
      FilterExpr e;
      e.kind = Kind::kNot;
      e.is_bool = true;
      e.type = EdmType::kBoolean;
      e.children.push_back(std::move(operand));
      CW_RETURN_IF_ERROR(Seal(e));
      return e;
    }
    if (tok_.kind == Tok::kMinus) {
      CW_RETURN_IF_ERROR(Next());
      CW_ASSIGN_OR_RETURN(FilterExpr operand, ParseUnary(depth + 1));
      if (operand.is_bool || !NumericRank(operand.type)) return Error("operand of '-' must be numeric");
      CW_RETURN_IF_ERROR(CountNode());
      FilterExpr e;
      e.kind = Kind::kNegate;
      e.type = operand.type;
      e.children.push_back(std::move(operand));
      CW_RETURN_IF_ERROR(Seal(e));
      return e;
    }
    return ParsePrimary(depth);
  }

  core::Result<FilterExpr> ParsePrimary(int depth) {
    if (tok_.kind == Tok::kLParen) {
      CW_RETURN_IF_ERROR(Next());
      CW_ASSIGN_OR_RETURN(FilterExpr e, ParseOr(depth + 1));
      if (tok_.kind != Tok::kRParen) return Error("missing ')'");
      CW_RETURN_IF_ERROR(Next());
      return e;
    }
    if (tok_.kind == Tok::kLiteral ||
        (tok_.kind == Tok::kWord && (tok_.text == "true" || tok_.text == "false" || tok_.text == "null"))) {
      auto lit = ParseLiteral(tok_.text);
      if (!lit) return Error("invalid literal " + std::string(tok_.text.substr(0, 100)));
      CW_RETURN_IF_ERROR(CountNode());
      FilterExpr e;
      e.kind = Kind::kLiteral;
      e.literal = lit->value;
      e.type = lit->type;
      e.is_bool = !lit->is_null && lit->type == EdmType::kBoolean;
      CW_RETURN_IF_ERROR(Next());
      return e;
    }
    if (tok_.kind != Tok::kWord) return Error("expected an operand");
    std::string name(tok_.text);
    CW_RETURN_IF_ERROR(Next());
    if (tok_.kind == Tok::kLParen) return ParseCall(name, depth);
    if (name.find('/') != std::string::npos || name.find('.') != std::string::npos)
      return Error("property paths are not supported ('" + name + "')");
    int idx = PropertyIndex(type_, name);
    if (idx < 0) return Error("property '" + name + "' does not exist in type '" + type_.name + "'");
    CW_RETURN_IF_ERROR(CountNode());
    FilterExpr e;
    e.kind = Kind::kProperty;
    e.name = name;
    e.type = type_.properties[static_cast<size_t>(idx)].type;
    e.is_bool = e.type == EdmType::kBoolean;
    return e;
  }

  core::Result<FilterExpr> ParseCall(const std::string& name, int depth) {
    CW_RETURN_IF_ERROR(Next());  // '('
    CW_RETURN_IF_ERROR(CountNode());
    FilterExpr e;
    e.kind = Kind::kCall;
    e.name = name;
    if (tok_.kind != Tok::kRParen) {
      while (true) {
        CW_ASSIGN_OR_RETURN(FilterExpr arg, ParseOr(depth + 1));
        e.children.push_back(std::move(arg));
        if (tok_.kind == Tok::kComma) {
          CW_RETURN_IF_ERROR(Next());
          continue;
        }
        break;
      }
    }
    if (tok_.kind != Tok::kRParen) return Error("missing ')' after arguments of '" + name + "'");
    CW_RETURN_IF_ERROR(Next());
    CW_RETURN_IF_ERROR(CheckCall(e));
    CW_RETURN_IF_ERROR(Seal(e));
    return e;
  }

  // Validates argument count and types and sets the result type.
  core::Status CheckCall(FilterExpr& e) {
    auto is = [&](size_t i, auto pred) { return IsNullLiteral(e.children[i]) || pred(e.children[i]); };
    auto str = [](const FilterExpr& a) { return !a.is_bool && a.type == EdmType::kString; };
    auto num = [](const FilterExpr& a) { return !a.is_bool && NumericRank(a.type) > 0; };
    auto integer = [](const FilterExpr& a) { return !a.is_bool && NumericRank(a.type) > 0 && NumericRank(a.type) <= 2; };
    auto date = [](const FilterExpr& a) {
      return !a.is_bool && (a.type == EdmType::kDateTime || a.type == EdmType::kDateTimeOffset);
    };
    auto time_like = [&](const FilterExpr& a) { return date(a) || (!a.is_bool && a.type == EdmType::kTime); };
    const std::string& n = e.name;
    size_t argc = e.children.size();
    auto bad = [&](const char* sig) { return Error("function '" + n + "' expects " + sig); };
    if (n == "substringof" || n == "startswith" || n == "endswith") {
      if (argc != 2 || !is(0, str) || !is(1, str)) return bad("(Edm.String, Edm.String)");
      e.is_bool = true;
      e.type = EdmType::kBoolean;
    } else if (n == "length") {
      if (argc != 1 || !is(0, str)) return bad("(Edm.String)");
      e.type = EdmType::kInt32;
    } else if (n == "indexof") {
      if (argc != 2 || !is(0, str) || !is(1, str)) return bad("(Edm.String, Edm.String)");
      e.type = EdmType::kInt32;
    } else if (n == "replace") {
      if (argc != 3 || !is(0, str) || !is(1, str) || !is(2, str)) return bad("(Edm.String, Edm.String, Edm.String)");
      e.type = EdmType::kString;
    } else if (n == "substring") {
      if ((argc != 2 && argc != 3) || !is(0, str) || !is(1, integer) || (argc == 3 && !is(2, integer)))
        return bad("(Edm.String, Edm.Int32[, Edm.Int32])");
      e.type = EdmType::kString;
    } else if (n == "tolower" || n == "toupper" || n == "trim") {
      if (argc != 1 || !is(0, str)) return bad("(Edm.String)");
      e.type = EdmType::kString;
    } else if (n == "concat") {
      if (argc != 2 || !is(0, str) || !is(1, str)) return bad("(Edm.String, Edm.String)");
      e.type = EdmType::kString;
    } else if (n == "year" || n == "month" || n == "day") {
      if (argc != 1 || !is(0, date)) return bad("(Edm.DateTime)");
      e.type = EdmType::kInt32;
    } else if (n == "hour" || n == "minute" || n == "second") {
      if (argc != 1 || !is(0, time_like)) return bad("(Edm.DateTime or Edm.Time)");
      e.type = EdmType::kInt32;
    } else if (n == "round" || n == "floor" || n == "ceiling") {
      if (argc != 1 || !is(0, num)) return bad("(Edm.Decimal or Edm.Double)");
      EdmType t = e.children[0].type;
      e.type = NumericRank(t) == 4 ? EdmType::kDouble : NumericRank(t) == 3 ? EdmType::kDecimal : t;
    } else {
      return Error("unknown function '" + n + "'");
    }
    return core::Status::Ok();
  }

  std::string_view text_;
  const EntityType& type_;
  int nodes_ = 0;
  size_t pos_ = 0;
  Token tok_;
};

std::string_view TrimSpaces(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

}  // namespace

core::Result<FilterExpr> ParseFilter(std::string_view text, const EntityType& type) {
  if (TrimSpaces(text).empty()) return BadRequest("Invalid filter expression: empty", {}, "$filter");
  return Parser(text, type).Run();
}

std::vector<std::string> SplitList(std::string_view text) {
  std::vector<std::string> out;
  size_t pos = 0;
  while (pos <= text.size()) {
    size_t comma = text.find(',', pos);
    if (comma == std::string_view::npos) comma = text.size();
    std::string_view item = TrimSpaces(text.substr(pos, comma - pos));
    if (!item.empty()) out.emplace_back(item);
    if (comma == text.size()) break;
    pos = comma + 1;
  }
  if (out.size() == 1 && out[0] == "*") out.clear();
  return out;
}

core::Result<std::vector<OrderBy>> ParseOrderBy(std::string_view text, const EntityType& type) {
  std::vector<OrderBy> out;
  for (const std::string& item : SplitList(text)) {
    OrderBy o;
    std::string_view s = item;
    size_t sp = s.find(' ');
    if (sp != std::string_view::npos) {
      std::string_view dir = TrimSpaces(s.substr(sp + 1));
      if (dir == "desc") o.descending = true;
      else if (dir != "asc")
        return BadRequest("Invalid $orderby direction '&1'", {std::string(dir.substr(0, 50))}, "$orderby");
      s = s.substr(0, sp);
    }
    o.property = std::string(s);
    if (PropertyIndex(type, o.property) < 0)
      return BadRequest("Property '&1' in $orderby does not exist in type '&2'", {o.property, type.name}, "$orderby");
    out.push_back(std::move(o));
  }
  if (out.empty()) return BadRequest("Invalid $orderby: empty", {}, "$orderby");
  return out;
}

}  // namespace causeway::odata
