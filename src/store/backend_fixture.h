// Test support for the Database conformance tests: a fixture parameterized by back end
// ("sqlite" or "postgres") that gives each test a fresh, empty store — a SQLite file in a
// temporary folder, or a new database in the test process's throw-away PostgreSQL cluster
// (tests/support/pg_cluster.h). PostgreSQL tests are skipped, with the reason, only when the
// server binaries are not installed; a cluster that fails to start fails the test.
#pragma once

#include <gtest/gtest.h>

#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "store/database.h"
#include "store/postgres/postgres_database.h"

namespace causeway::store::testing {

class BackendTest : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override;
  void TearDown() override;

  bool postgres() const { return GetParam() == "postgres"; }
  // Opens another handle on the same store, as a second node or a restart would.
  std::unique_ptr<Database> OpenNode(postgres::Options options = {});
  int64_t CountRows(const std::string& table);
  // How the back end would run `sql` with `params` ('?' placeholders), one line per plan row:
  // PostgreSQL's EXPLAIN (a custom plan; `generic`: the generic plan a pooled connection settles
  // on after a few runs), SQLite's EXPLAIN QUERY PLAN details. With `without_index`, as if that
  // index did not exist (dropped inside the transaction, which is then rolled back).
  std::string Plan(const std::string& sql, std::vector<Value> params, bool generic = false,
                   const std::string& without_index = "");

  std::unique_ptr<Database> db_;
  std::filesystem::path dir_;  // SQLite: the store's folder
  std::string conninfo_;       // PostgreSQL: the test database
};

inline std::string BackendName(const ::testing::TestParamInfo<std::string>& info) { return info.param; }

}  // namespace causeway::store::testing

#define CW_STORE_BACKENDS(Suite)                                                                   \
  INSTANTIATE_TEST_SUITE_P(Backends, Suite, ::testing::Values(std::string("sqlite"), std::string("postgres")), \
                           ::causeway::store::testing::BackendName)
