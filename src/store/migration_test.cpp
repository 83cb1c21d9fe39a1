#include "store/migration.h"

#include <gtest/gtest.h>

#include <filesystem>

#include "store/sqlite/sqlite_database.h"

namespace causeway::store {
namespace {

TEST(MigrationTest, SplitsStatementsOutsideQuotesAndDropsComments) {
  auto stmts = SplitSqlStatements("-- header; comment\nCREATE TABLE a (x TEXT DEFAULT ';');\n\nINSERT INTO a VALUES ('--x');\n");
  ASSERT_EQ(stmts.size(), 2u);
  EXPECT_NE(stmts[0].find("DEFAULT ';'"), std::string::npos);
  EXPECT_NE(stmts[1].find("'--x'"), std::string::npos);
}

TEST(MigrationTest, AppliesOnlyNewMigrationsInOrder) {
  auto dir = std::filesystem::temp_directory_path() / ("cw_migr_" + std::to_string(::getpid()));
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  {
    auto db = sqlite::SqliteDatabase::Open({.path = (dir / "m.sqlite").string()});
    ASSERT_TRUE(db.ok());
    std::vector<Migration> v1 = {{2, "0002_b", "INSERT INTO a VALUES ('two')"}, {1, "0001_a", "CREATE TABLE a (x TEXT)"}};
    ASSERT_TRUE(Migrate(**db, v1).ok());
    // Running again applies nothing (the INSERT would otherwise duplicate).
    v1.push_back({3, "0003_c", "INSERT INTO a VALUES ('three')"});
    ASSERT_TRUE(Migrate(**db, v1).ok());
    int64_t n = 0;
    ASSERT_TRUE((*db)->Read([&](Tx& tx) {
                       return tx.Query("SELECT COUNT(*) FROM a", {}, [&](const Row& r) { n = r.Int(0); });
                     }).ok());
    EXPECT_EQ(n, 2);
    Status bad = Migrate(**db, {{4, "0004_bad", "CREATE TABLE a (x TEXT)"}});
    EXPECT_FALSE(bad.ok());
  }
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace causeway::store
