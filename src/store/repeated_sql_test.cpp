#include "store/repeated_sql.h"

#include <gtest/gtest.h>

#include <stdexcept>

namespace causeway::store {
namespace {

TEST(RepeatedSqlTest, EachCountHasItsText) {
  const RepeatedSql in("SELECT a FROM t WHERE k IN (", "?", ", ", ") ORDER BY a", 3);
  EXPECT_EQ(in.max(), 3u);
  EXPECT_EQ(in(1), "SELECT a FROM t WHERE k IN (?) ORDER BY a");
  EXPECT_EQ(in(3), "SELECT a FROM t WHERE k IN (?, ?, ?) ORDER BY a");
  const RepeatedSql values("INSERT INTO t (a, b) VALUES ", "(?, ?)", ", ", "", 2);
  EXPECT_EQ(values(2), "INSERT INTO t (a, b) VALUES (?, ?), (?, ?)");
  EXPECT_THROW(in(0), std::out_of_range);
  EXPECT_THROW(in(4), std::out_of_range);
}

}  // namespace
}  // namespace causeway::store
