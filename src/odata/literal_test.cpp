#include "odata/literal.h"

#include <gtest/gtest.h>

#include "odata/filter_eval.h"
#include "odata/filter_parser.h"
#include "odata/filter_sql.h"
#include "odata/multipart.h"
#include "odata/uri_parser.h"

namespace causeway::odata {
namespace {

struct LiteralCase {
  const char* text;
  bool ok;
  EdmType type;
  const char* canonical;  // FormatLiteral of the parsed value
};

TEST(LiteralTest, ParsesAndFormatsEveryType) {
  const LiteralCase cases[] = {
      {"'It''s'", true, EdmType::kString, "'It''s'"},
      {"''", true, EdmType::kString, "''"},
      {"'a'b'", false, EdmType::kString, ""},
      {"'open", false, EdmType::kString, ""},
      {"true", true, EdmType::kBoolean, "true"},
      {"TRUE", false, EdmType::kBoolean, ""},
      {"42", true, EdmType::kInt32, "42"},
      {"-7", true, EdmType::kInt32, "-7"},
      {"3000000000", true, EdmType::kInt64, "3000000000L"},
      {"123L", true, EdmType::kInt64, "123L"},
      {"1.5L", false, EdmType::kInt64, ""},
      {"12.50M", true, EdmType::kDecimal, "12.50M"},
      {"12.50", true, EdmType::kDecimal, "12.50M"},
      {"1.5d", true, EdmType::kDouble, "1.5d"},
      {"1e3", true, EdmType::kDouble, "1000d"},
      {"2.5f", true, EdmType::kSingle, "2.5f"},
      {"1.", false, EdmType::kDouble, ""},
      {"datetime'2018-11-20T00:00'", true, EdmType::kDateTime, "datetime'2018-11-20T00:00:00'"},
      {"datetime'2018-11-20T10:20:30.1234567'", true, EdmType::kDateTime, "datetime'2018-11-20T10:20:30.123'"},
      {"datetime'2018-02-30T00:00'", false, EdmType::kDateTime, ""},
      {"datetime'2018-11-20T00:00Z'", false, EdmType::kDateTime, ""},
      {"datetimeoffset'2018-11-20T00:00:00Z'", true, EdmType::kDateTimeOffset, "datetimeoffset'2018-11-20T00:00:00Z'"},
      {"datetimeoffset'2018-11-20T00:00:00-02:30'", true, EdmType::kDateTimeOffset,
       "datetimeoffset'2018-11-20T00:00:00-02:30'"},
      {"datetimeoffset'2018-11-20T00:00:00'", false, EdmType::kDateTimeOffset, ""},
      {"time'PT13H20M00S'", true, EdmType::kTime, "time'PT13H20M00S'"},
      {"time'PT5M'", true, EdmType::kTime, "time'PT00H05M00S'"},
      {"time'PT5M1H'", false, EdmType::kTime, ""},
      {"guid'005056A2-0000-1111-2222-333344445555'", true, EdmType::kGuid, "guid'005056a2-0000-1111-2222-333344445555'"},
      {"guid'005056A2'", false, EdmType::kGuid, ""},
      {"X'0aFF'", true, EdmType::kBinary, "X'0AFF'"},
      {"binary'00'", true, EdmType::kBinary, "X'00'"},
      {"X'0'", false, EdmType::kBinary, ""},
      {"", false, EdmType::kString, ""},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.text);
    auto lit = ParseLiteral(c.text);
    ASSERT_EQ(lit.has_value(), c.ok);
    if (!c.ok) continue;
    EXPECT_EQ(lit->type, c.type);
    EXPECT_EQ(FormatLiteral(lit->value, lit->type), c.canonical);
  }
  auto null_lit = ParseLiteral("null");
  ASSERT_TRUE(null_lit.has_value());
  EXPECT_TRUE(null_lit->is_null);
}

TEST(LiteralTest, BindChecksTypeRangeLengthAndNull) {
  EXPECT_TRUE(ParseTypedLiteral("5", EdmType::kInt64, std::nullopt, true, "P").ok());
  EXPECT_TRUE(ParseTypedLiteral("5", EdmType::kDecimal, std::nullopt, true, "P").ok());
  EXPECT_FALSE(ParseTypedLiteral("5L", EdmType::kInt32, std::nullopt, true, "P").ok());
  EXPECT_FALSE(ParseTypedLiteral("40000", EdmType::kInt16, std::nullopt, true, "P").ok());
  EXPECT_FALSE(ParseTypedLiteral("'5'", EdmType::kInt32, std::nullopt, true, "P").ok());
  EXPECT_FALSE(ParseTypedLiteral("'abcd'", EdmType::kString, 3, true, "P").ok());
  EXPECT_TRUE(ParseTypedLiteral("'äöü'", EdmType::kString, 3, true, "P").ok());  // characters, not bytes
  auto missing = ParseTypedLiteral("null", EdmType::kString, std::nullopt, false, "P");
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.error().target, "P");
  EXPECT_EQ(missing.error().HttpStatus(), 400);
}

TEST(UriParserTest, PathsAndKeys) {
  auto p = ParseResourcePath("Set(K1='a%2Fb',K2=5)/Nav/$count");
  ASSERT_TRUE(p.ok());
  ASSERT_EQ(p->segments.size(), 3u);
  EXPECT_EQ(p->segments[0].key[0].literal, "'a/b'");
  EXPECT_EQ(p->segments[0].key[1].name, "K2");
  EXPECT_EQ(p->segments[2].name, "$count");
  EXPECT_EQ(ParseResourcePath("$metadata")->kind, ParsedPath::Kind::kMetadata);
  EXPECT_EQ(ParseResourcePath("")->kind, ParsedPath::Kind::kServiceDocument);
  auto quoted = ParseResourcePath("Set('a,b)')");
  ASSERT_TRUE(quoted.ok());
  EXPECT_EQ(quoted->segments[0].key[0].literal, "'a,b)'");
  for (const char* bad : {"Set('x", "Set(", "1Set", "Set('a','b')", "Set(K=)", "Set%ZZ", "A//B"})
    EXPECT_FALSE(ParseResourcePath(bad).ok()) << bad;
}

TEST(UriParserTest, QueryStringDecodesOnceAndPlusIsSpace) {
  auto q = ParseQueryString("$filter=Name+eq+'a%2Bb'&&x=%2525");
  ASSERT_TRUE(q.ok());
  ASSERT_EQ(q->size(), 2u);
  EXPECT_EQ((*q)[0].value, "Name eq 'a+b'");
  EXPECT_EQ((*q)[1].value, "%25");
  EXPECT_FALSE(ParseQueryString("a=%2").ok());
}

EntityType FilterType() {
  return EntityType{.name = "T",
                    .keys = {"Id"},
                    .properties = {{.name = "Id", .type = EdmType::kInt32, .nullable = false},
                                   {.name = "Name", .type = EdmType::kString},
                                   {.name = "When", .type = EdmType::kDateTime}}};
}

TEST(FilterTest, EvaluatesTable) {
  EntityType t = FilterType();
  Entity e{{Value(int64_t{7}), Value("Tea Pot"), Value(DateTime{1709251200000})}, {}};  // 2024-03-01
  struct Case {
    const char* filter;
    bool parses;
    bool matches;
  };
  const Case cases[] = {
      {"Id eq 7", true, true},
      {"Id add 1 eq 8 and Id mod 4 eq 3", true, true},
      {"Id div 0 eq 1", true, false},  // division by zero yields null
      {"not (Id lt 7)", true, true},
      {"-Id eq -7", true, true},
      {"substringof('Pot', Name)", true, true},
      {"startswith(Name,'Tea') and endswith(Name,'Pot')", true, true},
      {"length(Name) eq 7 and indexof(Name,'Pot') eq 4", true, true},
      {"substring(Name,4) eq 'Pot' and substring(Name,0,3) eq 'Tea'", true, true},
      {"toupper(Name) eq 'TEA POT' and tolower(Name) eq 'tea pot'", true, true},
      {"trim(concat(' ', Name)) eq 'Tea Pot'", true, true},
      {"replace(Name,' ','-') eq 'Tea-Pot'", true, true},
      {"year(When) eq 2024 and month(When) eq 3 and day(When) eq 1 and hour(When) eq 0", true, true},
      {"round(2.5M) eq 3M and floor(2.5d) eq 2 and ceiling(2.1) eq 3", true, true},
      {"Name eq null", true, false},
      {"When gt datetime'2024-01-01T00:00'", true, true},
      {"Name eq 1", false, false},
      {"Id", false, false},
      {"foo(Id)", false, false},
      {"Id eq", false, false},
      {"(Id eq 1", false, false},
      {"Nope eq 1", false, false},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.filter);
    auto f = ParseFilter(c.filter, t);
    ASSERT_EQ(f.ok(), c.parses) << (f.ok() ? "" : f.error().text);
    if (!c.parses) continue;
    auto m = FilterMatches(*f, t, e);
    ASSERT_TRUE(m.ok());
    EXPECT_EQ(*m, c.matches);
  }
}

TEST(FilterTest, DepthIsBounded) {
  std::string deep(200, '(');
  deep += "Id eq 1";
  deep += std::string(200, ')');
  EXPECT_FALSE(ParseFilter(deep, FilterType()).ok());
}

TEST(FilterSqlTest, ValuesBecomeParameters) {
  EntityType t = FilterType();
  auto f = ParseFilter("Name eq 'x'' OR 1=1' and Id ne null or startswith(Name,'a%')", t);
  ASSERT_TRUE(f.ok());
  auto sql = TranslateFilterToSql(*f, [](std::string_view p) -> std::optional<std::string> {
    if (p == "Name") return "\"name\"";
    if (p == "Id") return "\"id\"";
    return std::nullopt;
  });
  ASSERT_TRUE(sql.ok());
  EXPECT_EQ(sql->sql,
            "(((\"name\" = ?) AND (\"id\" IS NOT NULL)) OR (SUBSTR(\"name\", 1, LENGTH(?)) = ?))");
  ASSERT_EQ(sql->params.size(), 3u);
  EXPECT_EQ(sql->params[0], Value("x' OR 1=1"));
  auto unmapped = TranslateFilterToSql(*ParseFilter("year(When) eq 1", t), [](std::string_view) {
    return std::optional<std::string>("\"c\"");
  });
  EXPECT_FALSE(unmapped.ok());  // year() has no portable SQL form here
}

TEST(MultipartTest, SplitsPartsAndRejectsBadFraming) {
  std::string body = "preamble\r\n--b\r\nContent-Type: application/http\r\n\r\nGET X HTTP/1.1\r\n\r\n\r\n--b--\r\n";
  auto parts = ParseMultipart(body, "b", 10);
  ASSERT_TRUE(parts.ok());
  ASSERT_EQ(parts->size(), 1u);
  auto req = ParseEmbeddedRequest((*parts)[0].body);
  ASSERT_TRUE(req.ok());
  EXPECT_EQ(req->method, "GET");
  EXPECT_EQ(req->target, "X");
  EXPECT_FALSE(ParseMultipart("--b\r\nA: b\r\n\r\nx", "b", 10).ok());
  EXPECT_FALSE(ParseMultipart("--b\r\n\r\nx\r\n--b\r\n\r\ny\r\n--b--", "b", 1).ok());
  EXPECT_EQ(BoundaryOf("multipart/mixed; boundary=\"batch_1\"").value_or(""), "batch_1");
}

}  // namespace
}  // namespace causeway::odata
