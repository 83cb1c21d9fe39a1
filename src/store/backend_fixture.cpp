#include "store/backend_fixture.h"

#include <unistd.h>

#include "store/sqlite/sqlite_database.h"
#include "tests/support/pg_cluster.h"

namespace causeway::store::testing {

void BackendTest::SetUp() {
  const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
  std::string name = std::string(info->test_suite_name()) + "_" + info->name();
  if (postgres()) {
    if (!causeway::testing::PgCluster::Installed())
      GTEST_SKIP() << "PostgreSQL 15 server not installed (CAUSEWAY_TEST_DEPS=1 scripts/install-deps.sh)";
    std::string why;
    auto* cluster = causeway::testing::PgCluster::Shared(&why);
    ASSERT_NE(cluster, nullptr) << why;
    auto db = cluster->CreateDatabase(name);
    ASSERT_TRUE(db.ok()) << db.error().text;
    conninfo_ = *db;
  } else {
    for (char& c : name)
      if (c == '/') c = '_';
    dir_ = std::filesystem::temp_directory_path() / ("cw_store_" + std::to_string(::getpid()) + "_" + name);
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
  }
  db_ = OpenNode();
  ASSERT_NE(db_, nullptr);
}

void BackendTest::TearDown() {
  db_.reset();
  if (!dir_.empty()) std::filesystem::remove_all(dir_);
}

std::unique_ptr<Database> BackendTest::OpenNode(postgres::Options options) {
  if (postgres()) {
    if (options.conninfo.empty()) options.conninfo = conninfo_;
    auto db = postgres::PostgresDatabase::Open(options);
    EXPECT_TRUE(db.ok()) << db.error().text;
    return db.ok() ? std::move(db).value() : nullptr;
  }
  auto db = sqlite::SqliteDatabase::Open({.path = (dir_ / "db.sqlite").string()});
  EXPECT_TRUE(db.ok()) << db.error().text;
  return db.ok() ? std::move(db).value() : nullptr;
}

int64_t BackendTest::CountRows(const std::string& table) {
  int64_t n = -1;
  Status st = db_->Read([&](Tx& tx) {
    return tx.Query("SELECT COUNT(*) FROM " + table, {}, [&](const Row& r) { n = r.Int(0); });
  });
  EXPECT_TRUE(st.ok()) << st.error().text;
  return n;
}

}  // namespace causeway::store::testing
