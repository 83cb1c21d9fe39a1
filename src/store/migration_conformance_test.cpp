// store::Migrate on every back end: idempotence, dialect sections, nodes migrating at once.
#include <gtest/gtest.h>

#include <thread>

#include "store/backend_fixture.h"
#include "store/migration.h"

namespace causeway::store::testing {
namespace {

class MigrationConformanceTest : public BackendTest {};
CW_STORE_BACKENDS(MigrationConformanceTest);

TEST_P(MigrationConformanceTest, AppliesOnlyNewMigrationsInOrder) {
  std::vector<Migration> v1 = {{2, "0002_b", "INSERT INTO a VALUES ('two')"}, {1, "0001_a", "CREATE TABLE a (x TEXT)"}};
  ASSERT_TRUE(Migrate(*db_, v1).ok());
  // Running again applies nothing (the INSERT would otherwise duplicate).
  v1.push_back({3, "0003_c", "INSERT INTO a VALUES ('three')"});
  ASSERT_TRUE(Migrate(*db_, v1).ok());
  ASSERT_TRUE(Migrate(*db_, v1).ok());
  EXPECT_EQ(CountRows("a"), 2);
  EXPECT_EQ(CountRows("schema_migrations"), 3);
}

TEST_P(MigrationConformanceTest, FailedMigrationIsNotRecordedAndStopsTheRest) {
  ASSERT_TRUE(Migrate(*db_, {{1, "0001_a", "CREATE TABLE a (x TEXT)"}}).ok());
  struct Case {
    const char* name;
    const char* sql;
  };
  // A failing DDL statement, and a failing INSERT (which PostgreSQL may report only at COMMIT).
  for (const Case& c : {Case{"0004_bad_ddl", "INSERT INTO a VALUES ('4'); CREATE TABLE a (x TEXT)"},
                        Case{"0004_bad_insert", "INSERT INTO a VALUES ('4'); INSERT INTO a (nope) VALUES ('4')"}}) {
    Status bad = Migrate(*db_, {{1, "0001_a", "CREATE TABLE a (x TEXT)"},
                                {4, c.name, c.sql},
                                {5, "0005_after", "INSERT INTO a VALUES ('5')"}});
    ASSERT_FALSE(bad.ok()) << c.name;
    EXPECT_NE(bad.error().text.find(c.name), std::string::npos) << bad.error().text;
    EXPECT_EQ(CountRows("a"), 0) << c.name;  // 0004's INSERT was rolled back with it, 0005 never ran
    EXPECT_EQ(CountRows("schema_migrations"), 1) << c.name;
  }
}

TEST_P(MigrationConformanceTest, DialectSectionsPickTheBackEndsSql) {
  // The one place the dialects differ most often: an auto-numbered key.
  const std::string sql =
      "-- dialect: sqlite\n"
      "CREATE TABLE d (id INTEGER PRIMARY KEY AUTOINCREMENT, v TEXT NOT NULL);\n"
      "-- dialect: postgres\n"
      "CREATE TABLE d (id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY, v TEXT NOT NULL);\n"
      "-- dialect: all\n"
      "INSERT INTO d (v) VALUES ('first');\n";
  ASSERT_TRUE(Migrate(*db_, {{1, "0001_d", sql}}).ok());
  ASSERT_TRUE(db_->Write([](Tx& tx) { return tx.Exec("INSERT INTO d (v) VALUES ('second')"); }).ok());
  std::vector<int64_t> ids;
  ASSERT_TRUE(db_->Read([&](Tx& tx) {
                   return tx.Query("SELECT id FROM d ORDER BY id", {}, [&](const Row& r) { ids.push_back(r.Int(0)); });
                 }).ok());
  EXPECT_EQ(ids, (std::vector<int64_t>{1, 2}));
}

TEST_P(MigrationConformanceTest, RejectsDuplicateVersionsAndUnknownDialectsBeforeApplying) {
  Status dup = Migrate(*db_, {{1, "0001_a", "CREATE TABLE a (x TEXT)"}, {1, "0001_b", "CREATE TABLE b (x TEXT)"}});
  ASSERT_FALSE(dup.ok());
  EXPECT_EQ(dup.error().message_number, "009");
  Status dialect = Migrate(*db_, {{1, "0001_a", "CREATE TABLE a (x TEXT)"},
                                  {2, "0002_b", "-- dialect: oracle\nCREATE TABLE b (x TEXT)"}});
  ASSERT_FALSE(dialect.ok());
  EXPECT_NE(dialect.error().text.find("oracle"), std::string::npos);
  int64_t tables = -1;
  ASSERT_TRUE(db_->Read([&](Tx& tx) {
                   const char* sql = postgres() ? "SELECT COUNT(*) FROM pg_tables WHERE tablename = 'a'"
                                                : "SELECT COUNT(*) FROM sqlite_master WHERE name = 'a'";
                   return tx.Query(sql, {}, [&](const Row& r) { tables = r.Int(0); });
                 }).ok());
  EXPECT_EQ(tables, 0);
}

TEST_P(MigrationConformanceTest, NodesMigratingAtOnceApplyEachMigrationOnce) {
  // Non-idempotent migrations: an INSERT applied twice would show, and so would a CREATE TABLE
  // run twice (it fails).
  std::vector<Migration> all;
  for (int v = 1; v <= 8; ++v) {
    std::string n = std::to_string(v);
    all.push_back({v, "000" + n + "_m",
                   (v == 1 ? std::string("CREATE TABLE log (v INTEGER NOT NULL);") : std::string()) +
                       "CREATE TABLE m" + n + " (x TEXT); INSERT INTO log VALUES (" + n + ")"});
  }
  std::vector<std::unique_ptr<Database>> nodes;
  for (int i = 0; i < 3; ++i) nodes.push_back(OpenNode());
  std::vector<std::thread> threads;
  std::vector<Status> results(6);
  for (int i = 0; i < 6; ++i)
    threads.emplace_back([&, i] { results[i] = Migrate(*nodes[i % 3], all); });
  for (auto& t : threads) t.join();
  for (const Status& st : results) EXPECT_TRUE(st.ok()) << st.error().text;
  EXPECT_EQ(CountRows("log"), 8);
  EXPECT_EQ(CountRows("schema_migrations"), 8);
}

}  // namespace
}  // namespace causeway::store::testing
