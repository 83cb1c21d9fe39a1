#include "store/sql_text.h"

#include <gtest/gtest.h>

#include "store/migration.h"

namespace causeway::store {
namespace {

TEST(SqlTextTest, ClassifiesEachKindOfSpan) {
  struct Case {
    const char* sql;
    SqlSpan span;
    size_t end;
  } cases[] = {
      {"x", SqlSpan::kCode, 1},
      {"'a''b' x", SqlSpan::kString, 6},
      {"\"id\" x", SqlSpan::kIdentifier, 4},
      {"-- c\nx", SqlSpan::kLineComment, 4},
      {"/* c */x", SqlSpan::kBlockComment, 7},
      {"$$a;b$$x", SqlSpan::kDollarQuoted, 7},
      {"$t$a$$b$t$x", SqlSpan::kDollarQuoted, 10},
      {"$1", SqlSpan::kCode, 1},
      {"'open", SqlSpan::kString, 5},
  };
  for (const Case& c : cases) {
    size_t end = 0;
    EXPECT_EQ(NextSqlSpan(c.sql, 0, &end), c.span) << c.sql;
    EXPECT_EQ(end, c.end) << c.sql;
  }
}

TEST(SqlTextTest, SplitsStatementsOutsideQuotesAndDropsComments) {
  auto stmts = SplitSqlStatements(
      "-- header; comment\nCREATE TABLE a (x TEXT DEFAULT ';');\n\nINSERT INTO a VALUES ('--x');\n"
      "/* ; */ DO $$ BEGIN PERFORM 1; END $$;\n");
  ASSERT_EQ(stmts.size(), 3u);
  EXPECT_NE(stmts[0].find("DEFAULT ';'"), std::string::npos);
  EXPECT_EQ(stmts[0].find("header"), std::string::npos);
  EXPECT_NE(stmts[1].find("'--x'"), std::string::npos);
  EXPECT_NE(stmts[2].find("PERFORM 1; END $$"), std::string::npos);
}

TEST(SqlTextTest, DialectMarkersKeepOnlyTheBackEndsLines) {
  const char* sql =
      "CREATE TABLE a (x TEXT);\n"
      "  -- dialect: postgres\n"
      "CREATE INDEX CONCURRENTLY i ON a (x);\n"
      "-- dialect: sqlite\n"
      "CREATE INDEX i ON a (x);\n"
      "-- dialect: all\n"
      "INSERT INTO a VALUES ('x');";
  auto pg = SqlForDialect(sql, Dialect::kPostgres);
  auto lite = SqlForDialect(sql, Dialect::kSqlite);
  ASSERT_TRUE(pg.ok());
  ASSERT_TRUE(lite.ok());
  EXPECT_EQ(*pg, "CREATE TABLE a (x TEXT);\n\nCREATE INDEX CONCURRENTLY i ON a (x);\n\n\n\nINSERT INTO a VALUES ('x');");
  EXPECT_EQ(*lite, "CREATE TABLE a (x TEXT);\n\n\n\nCREATE INDEX i ON a (x);\n\nINSERT INTO a VALUES ('x');");
  auto bad = SqlForDialect("-- dialect: mysql\nSELECT 1", Dialect::kSqlite);
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.error().text.find("mysql"), std::string::npos);
}

}  // namespace
}  // namespace causeway::store
