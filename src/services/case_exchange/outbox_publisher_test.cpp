#include "services/case_exchange/outbox_publisher.h"

#include <gtest/gtest.h>

#include <set>

namespace causeway::services::case_exchange {
namespace {

bool IsValidDestinationName(const std::string& name) {
  if (name.empty() || name.size() > 64) return false;
  for (char c : name)
    if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '.' ||
          c == '-'))
      return false;
  return true;
}

TEST(DestinationNameTest, PlainIdsKeepTheReadableName) {
  EXPECT_EQ(DestinationName("100000002", "SNOW"), "cx.100000002.SNOW");
  EXPECT_EQ(DestinationName("100000002", "my-jira_2"), "cx.100000002.my-jira_2");
}

// One destination holds one URL and one set of credentials: two systems sharing it would get
// each other's change records. Each pair here collided before.
TEST(DestinationNameTest, NoTwoSystemsShareADestination) {
  const std::vector<std::pair<std::string, std::string>> ids = {
      {"T", "Q\"S{}"},
      {"T", "Q_S__"},
      {"200000003", "X.Y"},
      {"200000003.X", "Y"},
      {"200000003_X", "Y"},
      {"t\xc3\xa9", "S"},
      {"t\xc3\xa8", "S"},
      {"t__", "S"},
      {"T", std::string(70, 'a') + "1"},
      {"T", std::string(70, 'a') + "2"},
      {"T", std::string(58, 'a')},
      {"T", std::string(59, 'a')},
      {"", "S"},
      {"T", ""},
  };
  std::set<std::string> names;
  for (const auto& [tenant, system] : ids) {
    std::string name = DestinationName(tenant, system);
    EXPECT_TRUE(IsValidDestinationName(name)) << name;
    EXPECT_TRUE(names.insert(name).second) << tenant << " / " << system << " -> " << name;
    EXPECT_EQ(DestinationName(tenant, system), name);  // stable
  }
}

}  // namespace
}  // namespace causeway::services::case_exchange
