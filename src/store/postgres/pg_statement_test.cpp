#include "store/postgres/pg_statement.h"

#include <gtest/gtest.h>

namespace causeway::store::postgres {
namespace {

struct Case {
  const char* name;
  const char* in;
  const char* out;
  int params;
  bool cacheable;
};

TEST(RewritePlaceholdersTest, RewritesOnlyPlaceholdersInCode) {
  const Case cases[] = {
      {"plain", "SELECT a FROM t WHERE b = ? AND c = ?", "SELECT a FROM t WHERE b = $1 AND c = $2", 2, true},
      {"none", "SELECT 1", "SELECT 1", 0, true},
      {"string", "SELECT '?', ? FROM t", "SELECT '?', $1 FROM t", 1, true},
      {"escaped quote", "SELECT 'it''s ?', ?", "SELECT 'it''s ?', $1", 1, true},
      {"identifier", "SELECT \"a?\" FROM t WHERE x = ?", "SELECT \"a?\" FROM t WHERE x = $1", 1, true},
      {"line comment", "SELECT ? -- why?\n, ?", "SELECT $1 -- why?\n, $2", 2, true},
      {"block comment", "SELECT /* ? */ ?", "SELECT /* ? */ $1", 1, true},
      {"dollar quote", "DO $$ BEGIN PERFORM '?'; END $$", "DO $$ BEGIN PERFORM '?'; END $$", 0, false},
      {"tagged dollar quote", "SELECT $f$ ? $$ ? $f$, ?", "SELECT $f$ ? $$ ? $f$, $1", 1, true},
      {"dollar in identifier", "SELECT a$b, ?", "SELECT a$b, $1", 1, true},
      {"ddl", "CREATE TABLE t (a TEXT DEFAULT '?')", "CREATE TABLE t (a TEXT DEFAULT '?')", 0, false},
      {"ddl after comment", "-- c\n  alter table t add b TEXT", "-- c\n  alter table t add b TEXT", 0, false},
      {"ten", "VALUES (?,?,?,?,?,?,?,?,?,?)", "VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10)", 10, true},
  };
  for (const Case& c : cases) {
    auto r = RewritePlaceholders(c.in);
    ASSERT_TRUE(r.ok()) << c.name;
    EXPECT_EQ(r->sql, c.out) << c.name;
    EXPECT_EQ(r->params, c.params) << c.name;
    EXPECT_EQ(r->cacheable, c.cacheable) << c.name;
  }
}

TEST(RewritePlaceholdersTest, RejectsNumberedPlaceholders) {
  auto r = RewritePlaceholders("SELECT ?1");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().message_number, "002");
}

}  // namespace
}  // namespace causeway::store::postgres
