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

std::string BackendTest::Plan(const std::string& sql, std::vector<Value> params, bool generic,
                              const std::string& without_index) {
  std::string plan;
  const Status rolled_back = MakeError(core::Code::kConflict, "TEST", "001", "roll back the plan's transaction");
  auto add = [&](const Row& r) { plan += r.String(postgres() ? 0 : 3) + "\n"; };
  Status st = db_->Write([&](Tx& tx) -> Status {
    plan.clear();
    if (!without_index.empty()) CW_RETURN_IF_ERROR(tx.Exec("DROP INDEX " + without_index));
    // A text of its own per index left out: SQLite would answer from the EXPLAIN statement it
    // cached earlier (an EXPLAIN never checks whether the schema changed since).
    const std::string tag = without_index.empty() ? "" : "/* without " + without_index + " */ ";
    if (!postgres()) {
      CW_RETURN_IF_ERROR(tx.Query("EXPLAIN QUERY PLAN " + tag + sql, params, add));
    } else if (!generic) {
      CW_RETURN_IF_ERROR(tx.Query("EXPLAIN " + tag + sql, params, add));
    } else {
      std::string numbered, values;
      int n = 0;
      for (char c : sql) numbered += c == '?' ? "$" + std::to_string(++n) : std::string(1, c);
      for (const Value& v : params) {
        if (!values.empty()) values += ", ";
        if (const auto* i = std::get_if<int64_t>(&v)) values += std::to_string(*i);
        else if (const auto* t = std::get_if<std::string>(&v)) values += "'" + *t + "'";  // test literals only
        else values += "NULL";
      }
      CW_RETURN_IF_ERROR(tx.Exec("PREPARE plan_of_test AS " + numbered));
      CW_RETURN_IF_ERROR(tx.Exec("SET LOCAL plan_cache_mode = force_generic_plan"));
      CW_RETURN_IF_ERROR(tx.Query("EXPLAIN EXECUTE plan_of_test(" + values + ")", {}, add));
      CW_RETURN_IF_ERROR(tx.Exec("DEALLOCATE plan_of_test"));
    }
    return rolled_back;
  });
  EXPECT_TRUE(!st.ok() && st.error().text == rolled_back.error().text) << (st.ok() ? "" : st.error().text);
  return plan;
}

}  // namespace causeway::store::testing
