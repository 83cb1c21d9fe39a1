#include "services/case_exchange/ems_filter.h"

#include <gtest/gtest.h>

#include <map>

namespace causeway::services::case_exchange {
namespace {

bool Match(std::string_view filter, const std::map<std::string, std::string, std::less<>>& record) {
  auto f = EmsFilter::Parse(filter);
  EXPECT_TRUE(f.ok()) << filter << ": " << (f.ok() ? "" : f.error().text);
  if (!f.ok()) return false;
  return f->Matches([&](std::string_view name) -> std::optional<std::string> {
    auto it = record.find(name);
    return it == record.end() ? std::nullopt : std::optional<std::string>(it->second);
  });
}

TEST(EmsFilterTest, MatchesTable) {
  const std::map<std::string, std::string, std::less<>> r = {
      {"Id", "10001"}, {"PhaseId", "Plan"}, {"Count", "9"}, {"ExternalSystem.SystemId", "SNOW"}, {"Name", "O'Hara"}};
  struct Row {
    const char* filter;
    bool expected;
  };
  const Row rows[] = {
      {"", true},
      {"Id='10001'", true},
      {"Id = '10002'", false},
      {"EntityId='10001'", false},  // missing property: null
      {"EntityId = null", true},
      {"EntityId != null", false},
      {"Id='10001' and ExternalSystem.SystemId='SNOW'", true},
      {"Id='10001' AND ExternalSystem.SystemId='JIRA'", false},
      {"Id='1' or PhaseId='Plan'", true},
      {"(Id='1' or PhaseId='Plan') and Count > 10", false},
      {"Count > 10", false},  // numeric, not text order
      {"Count < 10", true},
      {"Count btw (9, 12)", true},
      {"Count btw (10, 12)", false},
      {"PhaseId in ('Build','Plan')", true},
      {"PhaseId in ('Build')", false},
      {"Name = 'O''Hara'", true},
      {"Id >= 10001 and Id <= 10001", true},
      {"Id != '10001'", false},
  };
  for (const Row& row : rows) EXPECT_EQ(Match(row.filter, r), row.expected) << row.filter;
}

TEST(EmsFilterTest, RefusesWithPosition) {
  for (const char* bad : {"Id=", "Id 'x'", "(Id='1'", "Id='1' and", "Id in ()", "Id btw (1)", "Id='unterminated",
                          "='x'", "Id='1' Id='2'"}) {
    auto f = EmsFilter::Parse(bad);
    ASSERT_FALSE(f.ok()) << bad;
    EXPECT_EQ(f.error().GatewayCode(), "CAUSEWAY/CX/110");
    EXPECT_EQ(f.error().target, "filter");
    EXPECT_NE(f.error().text.find("position"), std::string::npos);
  }
  std::string deep(100, '(');
  EXPECT_FALSE(EmsFilter::Parse(deep + "Id='1'" + std::string(100, ')')).ok());
}

TEST(EmsFilterTest, EqualityOnNarrowsReads) {
  auto f = EmsFilter::Parse("EntityId='10009' and ExternalSystem.SystemId='SNOW'");
  ASSERT_TRUE(f.ok());
  EXPECT_EQ(f->EqualityOn("EntityId"), "10009");
  EXPECT_EQ(f->EqualityOn("ExternalSystem.SystemId"), "SNOW");
  EXPECT_EQ(f->EqualityOn("ExternalId"), std::nullopt);
  auto g = EmsFilter::Parse("EntityId='1' or EntityId='2'");
  EXPECT_EQ(g->EqualityOn("EntityId"), std::nullopt);  // not a plain conjunct
}

}  // namespace
}  // namespace causeway::services::case_exchange
