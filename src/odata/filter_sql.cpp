#include "odata/filter_sql.h"

#include "odata/errors.h"

namespace causeway::odata {
namespace {

using Kind = FilterExpr::Kind;
using Op = FilterExpr::Op;

class Translator {
 public:
  explicit Translator(const ColumnMap& columns) : columns_(columns) {}

  core::Status Emit(const FilterExpr& e) {
    switch (e.kind) {
      case Kind::kLiteral:
        if (e.literal.is_null()) {
          out_.sql += "NULL";
        } else {
          out_.sql += '?';
          out_.params.push_back(e.literal);
        }
        return core::Status::Ok();
      case Kind::kProperty: {
        auto col = columns_(e.name);
        if (!col) return BadRequest("Property '&1' cannot be used in $filter", {e.name}, e.name);
        out_.sql += *col;
        return core::Status::Ok();
      }
      case Kind::kNot:
        out_.sql += "NOT (";
        CW_RETURN_IF_ERROR(Emit(e.children[0]));
        out_.sql += ')';
        return core::Status::Ok();
      case Kind::kNegate:
        out_.sql += "-(";
        CW_RETURN_IF_ERROR(Emit(e.children[0]));
        out_.sql += ')';
        return core::Status::Ok();
      case Kind::kBinary: return EmitBinary(e);
      case Kind::kCall: return EmitCall(e);
    }
    return core::Status::Ok();
  }

  SqlFragment Take() { return std::move(out_); }

 private:
  static bool IsNull(const FilterExpr& e) { return e.kind == Kind::kLiteral && e.literal.is_null(); }

  // and/or over children [first, last), split in halves: SQL parsers build one tree level per
  // operator of a flat chain (SQLite refuses expressions deeper than 1000), halves keep it log n.
  core::Status EmitJunction(const FilterExpr& e, size_t first, size_t last) {
    if (last - first == 1) return Emit(e.children[first]);
    size_t mid = first + (last - first) / 2;
    out_.sql += '(';
    CW_RETURN_IF_ERROR(EmitJunction(e, first, mid));
    out_.sql += e.op == Op::kAnd ? " AND " : " OR ";
    CW_RETURN_IF_ERROR(EmitJunction(e, mid, last));
    out_.sql += ')';
    return core::Status::Ok();
  }

  core::Status EmitBinary(const FilterExpr& e) {
    if (e.op == Op::kAnd || e.op == Op::kOr) return EmitJunction(e, 0, e.children.size());
    const FilterExpr &l = e.children[0], &r = e.children[1];
    // SQL's "= NULL" is never true; OData's "eq null" means IS NULL.
    if ((e.op == Op::kEq || e.op == Op::kNe) && (IsNull(l) || IsNull(r))) {
      const FilterExpr& other = IsNull(l) ? r : l;
      if (IsNull(other)) {
        out_.sql += e.op == Op::kEq ? "(1 = 1)" : "(1 = 0)";
        return core::Status::Ok();
      }
      out_.sql += '(';
      CW_RETURN_IF_ERROR(Emit(other));
      out_.sql += e.op == Op::kEq ? " IS NULL)" : " IS NOT NULL)";
      return core::Status::Ok();
    }
    static constexpr const char* kSql[] = {" = ", " <> ", " > ", " >= ", " < ", " <= ", " AND ",
                                           " OR ", " + ", " - ", " * ", " / ", " % "};
    out_.sql += '(';
    CW_RETURN_IF_ERROR(Emit(l));
    out_.sql += kSql[static_cast<int>(e.op)];
    CW_RETURN_IF_ERROR(Emit(r));
    out_.sql += ')';
    return core::Status::Ok();
  }

  core::Status Args(const FilterExpr& e, const char* sep = ", ") {
    for (size_t i = 0; i < e.children.size(); ++i) {
      if (i) out_.sql += sep;
      CW_RETURN_IF_ERROR(Emit(e.children[i]));
    }
    return core::Status::Ok();
  }

  core::Status Wrap(const char* fn, const FilterExpr& e) {
    out_.sql += fn;
    out_.sql += '(';
    CW_RETURN_IF_ERROR(Args(e));
    out_.sql += ')';
    return core::Status::Ok();
  }

  core::Status EmitCall(const FilterExpr& e) {
    const std::string& n = e.name;
    if (n == "substringof") {  // substringof(needle, haystack)
      out_.sql += "(INSTR(";
      CW_RETURN_IF_ERROR(Emit(e.children[1]));
      out_.sql += ", ";
      CW_RETURN_IF_ERROR(Emit(e.children[0]));
      out_.sql += ") > 0)";
      return core::Status::Ok();
    }
    if (n == "startswith" || n == "endswith") {
      // substr comparison instead of LIKE so that '%' and '_' in the value stay literal.
      out_.sql += n == "startswith" ? "(SUBSTR(" : "(SUBSTR(";
      CW_RETURN_IF_ERROR(Emit(e.children[0]));
      if (n == "startswith") {
        out_.sql += ", 1, LENGTH(";
        CW_RETURN_IF_ERROR(Emit(e.children[1]));
        out_.sql += ")) = ";
      } else {
        out_.sql += ", -LENGTH(";
        CW_RETURN_IF_ERROR(Emit(e.children[1]));
        out_.sql += ")) = ";
      }
      CW_RETURN_IF_ERROR(Emit(e.children[1]));
      out_.sql += ')';
      return core::Status::Ok();
    }
    if (n == "length") return Wrap("LENGTH", e);
    if (n == "tolower") return Wrap("LOWER", e);
    if (n == "toupper") return Wrap("UPPER", e);
    if (n == "trim") return Wrap("TRIM", e);
    if (n == "replace") return Wrap("REPLACE", e);
    if (n == "round") return Wrap("ROUND", e);
    if (n == "indexof") {
      out_.sql += "(INSTR(";
      CW_RETURN_IF_ERROR(Args(e));
      out_.sql += ") - 1)";
      return core::Status::Ok();
    }
    if (n == "concat") {
      out_.sql += '(';
      CW_RETURN_IF_ERROR(Args(e, " || "));
      out_.sql += ')';
      return core::Status::Ok();
    }
    if (n == "substring") {  // OData is 0-based, SQL 1-based
      out_.sql += "SUBSTR(";
      CW_RETURN_IF_ERROR(Emit(e.children[0]));
      out_.sql += ", (";
      CW_RETURN_IF_ERROR(Emit(e.children[1]));
      out_.sql += ") + 1";
      if (e.children.size() == 3) {
        out_.sql += ", ";
        CW_RETURN_IF_ERROR(Emit(e.children[2]));
      }
      out_.sql += ')';
      return core::Status::Ok();
    }
    return core::Error(core::MakeError(core::Code::kNotImplemented, kRuntimeClass, "021",
                                       "Filter function '&1' is not supported by this data provider", {n}));
  }

  const ColumnMap& columns_;
  SqlFragment out_;
};

}  // namespace

core::Result<SqlFragment> TranslateFilterToSql(const FilterExpr& expr, const ColumnMap& columns) {
  Translator t(columns);
  CW_RETURN_IF_ERROR(t.Emit(expr));
  return t.Take();
}

core::Result<std::string> TranslateOrderByToSql(const std::vector<OrderBy>& orderby, const ColumnMap& columns) {
  std::string out;
  for (const auto& o : orderby) {
    auto col = columns(o.property);
    if (!col) return BadRequest("Property '&1' cannot be used in $orderby", {o.property}, o.property);
    if (!out.empty()) out += ", ";
    out += *col;
    out += o.descending ? " DESC" : " ASC";
  }
  return out;
}

}  // namespace causeway::odata
