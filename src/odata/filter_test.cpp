// $filter bounds and n-ary and/or: what the parser builds is what evaluation, SQL translation
// and destruction recurse over, so its height and size are bounded at parse time.
#include <gtest/gtest.h>

#include <string>

#include "odata/filter_eval.h"
#include "odata/filter_parser.h"
#include "odata/filter_sql.h"

namespace causeway::odata {
namespace {

EntityType Thing() {
  EntityType t;
  t.name = "Thing";
  Property name;
  name.name = "Name";
  Property qty;
  qty.name = "Qty";
  qty.type = EdmType::kInt32;
  t.properties = {name, qty};
  t.keys = {"Name"};
  return t;
}

Entity Row(std::string name, int64_t qty) { return Entity{{Value(std::move(name)), Value(qty)}, {}}; }

std::string Chain(int terms, const std::string& term, const std::string& op) {
  std::string s;
  for (int i = 0; i < terms; ++i) s += (i ? " " + op + " " : "") + term;
  return s;
}

int MaxParenDepth(const std::string& sql) {
  int depth = 0, max = 0;
  for (char c : sql) {
    if (c == '(') max = std::max(max, ++depth);
    if (c == ')') --depth;
  }
  return max;
}

TEST(FilterBounds, LongOrChainIsOneFlatNode) {
  EntityType t = Thing();
  std::string f;
  for (int i = 0; i < 2000; ++i) f += (i ? " or " : "") + std::string("Name eq 'N") + std::to_string(i) + "'";
  auto e = ParseFilter(f, t);
  ASSERT_TRUE(e.ok()) << e.error().text;
  EXPECT_EQ(e->kind, FilterExpr::Kind::kBinary);
  EXPECT_EQ(e->op, FilterExpr::Op::kOr);
  EXPECT_EQ(e->children.size(), 2000u);
  EXPECT_EQ(e->height, 3);
  auto hit = FilterMatches(*e, t, Row("N1999", 0));
  ASSERT_TRUE(hit.ok());
  EXPECT_TRUE(*hit);
  auto miss = FilterMatches(*e, t, Row("X", 0));
  ASSERT_TRUE(miss.ok());
  EXPECT_FALSE(*miss);

  auto sql = TranslateFilterToSql(*e, [](std::string_view p) { return std::optional<std::string>(std::string(p)); });
  ASSERT_TRUE(sql.ok()) << sql.error().text;
  EXPECT_EQ(sql->params.size(), 2000u);
  // Halves, not a 2000-deep chain: SQLite refuses expression trees deeper than 1000.
  EXPECT_LE(MaxParenDepth(sql->sql), 14);
}

TEST(FilterBounds, TooManyNodesIsA400NotACrash) {
  EntityType t = Thing();
  for (const char* op : {"and", "or"}) {
    auto e = ParseFilter(Chain(6000, "Name eq 'A'", op), t);
    ASSERT_FALSE(e.ok()) << op;
    EXPECT_EQ(e.error().HttpStatus(), 400);
    EXPECT_NE(e.error().text.find("more than 10000"), std::string::npos) << e.error().text;
  }
}

TEST(FilterBounds, StringsThatGrowPerLevelAreA400NotGigabytes) {
  EntityType t = Thing();
  // Each level multiplies the length by 100: five levels would be 10 GB from a 600-byte URL.
  std::string e = "Name";
  for (int i = 0; i < 5; ++i) e = "replace(" + e + ",'0','" + std::string(100, '0') + "')";
  auto f = ParseFilter("length(" + e + ") eq 1", t);
  ASSERT_TRUE(f.ok()) << f.error().text;
  auto r = FilterMatches(*f, t, Row("0", 1));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().HttpStatus(), 400);
  EXPECT_NE(r.error().text.find("more than 1048576 bytes"), std::string::npos) << r.error().text;
  // concat doubling through nesting is bounded by the same budget.
  std::string c = "Name";
  for (int i = 0; i < 40 && c.size() < 9000; ++i) c = "concat(" + c + "," + c + ")";
  auto cf = ParseFilter("length(" + c + ") eq 1", t);
  ASSERT_TRUE(cf.ok()) << cf.error().text;
  auto cr = FilterMatches(*cf, t, Row(std::string(4000, 'x'), 1));
  ASSERT_FALSE(cr.ok());
  EXPECT_EQ(cr.error().HttpStatus(), 400);
  // What real filters build stays well within it.
  auto fine = ParseFilter("replace(Name,'a','bb') eq 'bbbb' and concat(Name,'x') eq 'aax'", t);
  ASSERT_TRUE(fine.ok());
  EXPECT_TRUE(FilterMatches(*fine, t, Row("aa", 1)).value());
  auto big = ParseFilter("length(replace(Name,'a','" + std::string(1000, 'b') + "')) eq 1000000", t);
  ASSERT_TRUE(big.ok());
  EXPECT_TRUE(FilterMatches(*big, t, Row(std::string(1000, 'a'), 1)).value());
}

TEST(FilterBounds, DeepArithmeticChainIsA400) {
  EntityType t = Thing();
  // `add` is left-deep (one level per operator): 6000 would have been 6000 frames deep.
  for (int terms : {150, 6000}) {
    auto e = ParseFilter(Chain(terms, "Qty", "add") + " eq 1", t);
    ASSERT_FALSE(e.ok()) << terms;
    EXPECT_EQ(e.error().HttpStatus(), 400);
    EXPECT_NE(e.error().text.find("nested too deeply"), std::string::npos) << e.error().text;
  }
  auto ok = ParseFilter(Chain(50, "Qty", "add") + " eq 50", t);
  ASSERT_TRUE(ok.ok()) << ok.error().text;
  auto hit = FilterMatches(*ok, t, Row("a", 1));
  ASSERT_TRUE(hit.ok());
  EXPECT_TRUE(*hit);
}

TEST(FilterBounds, DeepNotAndParenthesesAreA400) {
  EntityType t = Thing();
  std::string nots;
  for (int i = 0; i < 200; ++i) nots += "not ";
  EXPECT_FALSE(ParseFilter(nots + "Name eq 'a'", t).ok());
  std::string parens(200, '(');
  EXPECT_FALSE(ParseFilter(parens + "Name eq 'a'" + std::string(200, ')'), t).ok());
}

TEST(FilterBounds, EveryParsedTreeRespectsTheHeightBound) {
  EntityType t = Thing();
  for (const std::string& f :
       {Chain(99, "Qty", "mul") + " eq 1", "(" + Chain(60, "Qty eq 1", "and") + ") or Qty eq 2",
        Chain(30, "(Qty eq 1 and Name eq 'a')", "or")}) {
    auto e = ParseFilter(f, t);
    if (e.ok()) {
      EXPECT_LE(e->height, kMaxFilterHeight) << f;
    }
  }
}

// n-ary and/or keep the binary fold's null logic: the deciding value wins, else null if any.
TEST(FilterJunction, NullLogicMatchesTheBinaryFold) {
  EntityType t = Thing();
  struct Case {
    const char* filter;
    bool want;
  } cases[] = {
      {"Qty eq 1 or null or Qty eq 5", true},      // true beats null
      {"Qty eq 1 or null or Qty eq 2", false},     // null → not a match
      {"Qty eq 5 and null and Qty eq 5", false},   // null
      {"Qty eq 5 and null and Qty eq 4", false},   // false beats null
      {"Qty eq 5 and Qty gt 1 and Qty lt 9", true},
      {"(Qty eq 1 or Qty eq 5) and (Name eq 'a' or Name eq 'b')", true},
      {"not (Qty eq 1 or Qty eq 2 or Qty eq 3)", true},
  };
  for (const auto& c : cases) {
    auto e = ParseFilter(c.filter, t);
    ASSERT_TRUE(e.ok()) << c.filter << ": " << e.error().text;
    auto m = FilterMatches(*e, t, Row("a", 5));
    ASSERT_TRUE(m.ok()) << c.filter;
    EXPECT_EQ(*m, c.want) << c.filter;
  }
}

TEST(FilterJunction, ParenthesizedSameOperatorChainsMerge) {
  auto e = ParseFilter("(Qty eq 1 or Qty eq 2) or Qty eq 3 or (Qty eq 4)", Thing());
  ASSERT_TRUE(e.ok());
  EXPECT_EQ(e->children.size(), 4u);
  auto mixed = ParseFilter("Qty eq 1 and Qty eq 2 or Qty eq 3", Thing());
  ASSERT_TRUE(mixed.ok());
  EXPECT_EQ(mixed->op, FilterExpr::Op::kOr);
  ASSERT_EQ(mixed->children.size(), 2u);
  EXPECT_EQ(mixed->children[0].op, FilterExpr::Op::kAnd);
}

TEST(FilterJunction, OperandsMustStillBeBoolean) {
  EXPECT_FALSE(ParseFilter("Qty eq 1 or Qty eq 2 or Qty", Thing()).ok());
  EXPECT_FALSE(ParseFilter("Qty eq 1 and Name and Qty eq 2", Thing()).ok());
}

}  // namespace
}  // namespace causeway::odata
