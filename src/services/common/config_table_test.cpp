#include "services/common/config_table.h"

#include <gtest/gtest.h>

namespace causeway::services {
namespace {

TEST(ConfigTableTest, ReadsTypedValuesAndKeepsDefaultsForAbsentKeys) {
  toml::table root = toml::parse("[s]\nname = \"x\"\nflag = true\nn = 7\nlist = [\"a\", \"b\"]\n");
  auto t = ConfigTable::Section(root, "s");
  ASSERT_TRUE(t.ok());
  std::string name, other = "default";
  bool flag = false;
  int n = 0, absent = 42;
  std::vector<std::string> list;
  EXPECT_TRUE(t->String("name", name).ok());
  EXPECT_TRUE(t->String("other", other).ok());
  EXPECT_TRUE(t->Bool("flag", flag).ok());
  EXPECT_TRUE(t->Int("n", n, 1, 10).ok());
  EXPECT_TRUE(t->Int("absent", absent, 1, 100).ok());
  EXPECT_TRUE(t->Strings("list", list).ok());
  EXPECT_TRUE(t->Done().ok());
  EXPECT_EQ(name, "x");
  EXPECT_EQ(other, "default");
  EXPECT_TRUE(flag);
  EXPECT_EQ(n, 7);
  EXPECT_EQ(absent, 42);
  EXPECT_EQ(list, (std::vector<std::string>{"a", "b"}));
}

TEST(ConfigTableTest, WrongTypesRangesAndUnknownKeysNameTheKey) {
  toml::table root = toml::parse("[s]\nport = \"8443\"\nbig = 70000\nflag = 1\nlist = [1]\ntypo = 2\n");
  auto t = ConfigTable::Section(root, "s");
  ASSERT_TRUE(t.ok());
  uint16_t port = 0, big = 0;
  bool flag = false;
  std::vector<std::string> list = {"kept"};
  auto port_st = t->Int("port", port);
  ASSERT_FALSE(port_st.ok());
  EXPECT_EQ(port_st.error().text, "[s] port: must be an integer from 0 to 65535");
  EXPECT_EQ(port_st.error().target, "s.port");
  EXPECT_EQ(port_st.error().GatewayCode(), "CAUSEWAY/CONFIG/001");
  EXPECT_FALSE(t->Int("big", big).ok());
  EXPECT_EQ(t->Bool("flag", flag).error().text, "[s] flag: must be true or false");
  EXPECT_EQ(t->Strings("list", list).error().text, "[s] list: must be an array of strings");
  EXPECT_EQ(list, std::vector<std::string>{"kept"});  // nothing half-read
  auto done = t->Done();
  ASSERT_FALSE(done.ok());
  EXPECT_EQ(done.error().text, "[s] typo: is not a known setting");
  t->Known({"typo"});
  EXPECT_TRUE(t->Done().ok());
}

TEST(ConfigTableTest, AnAbsentTableIsFineAndAnotherTypeIsNot) {
  toml::table root = toml::parse("s = 3\n");
  auto absent = ConfigTable::Section(root, "missing");
  ASSERT_TRUE(absent.ok());
  int v = 5;
  EXPECT_TRUE(absent->Int("v", v, 0, 9).ok());
  EXPECT_EQ(v, 5);
  EXPECT_TRUE(absent->Done().ok());
  auto wrong = ConfigTable::Section(root, "s");
  ASSERT_FALSE(wrong.ok());
  EXPECT_EQ(wrong.error().text, "[s] must be a table");
  EXPECT_EQ(wrong.error().target, "s");
}

TEST(ConfigTableTest, ArraysOfTablesAndOptionalFlags) {
  toml::table root = toml::parse("[[l]]\nport = 1\nflag = false\n[[l]]\nport = 2\nsize = 5\n");
  auto l = ConfigTable::Array(root, "l");
  ASSERT_TRUE(l.ok());
  ASSERT_EQ(l->size(), 2u);
  EXPECT_EQ((*l)[1].path(), "l[1]");
  std::optional<bool> flag, unset;
  EXPECT_TRUE((*l)[0].Bool("flag", flag).ok());
  EXPECT_TRUE((*l)[0].Bool("other", unset).ok());
  EXPECT_EQ(flag, std::optional<bool>(false));
  EXPECT_FALSE(unset.has_value());
  EXPECT_TRUE((*l)[0].Has("port"));
  EXPECT_FALSE((*l)[0].Has("other"));
  uint64_t size = 0;  // an unsigned 64-bit target keeps a usable default range
  EXPECT_TRUE((*l)[1].Int("size", size).ok());
  EXPECT_EQ(size, 5u);
  auto typo = (*l)[1].Done();
  ASSERT_FALSE(typo.ok());
  EXPECT_EQ(typo.error().text, "[[l]] #2 port: is not a known setting");
  EXPECT_EQ(typo.error().target, "l[1].port");
  EXPECT_TRUE(ConfigTable::Array(root, "absent")->empty());
  auto not_tables = ConfigTable::Array(toml::parse("l = [1]\n"), "l");
  ASSERT_FALSE(not_tables.ok());
  EXPECT_EQ(not_tables.error().text, "[[l]] entries must be tables");
  EXPECT_EQ(not_tables.error().target, "l[0]");
  EXPECT_EQ(ConfigTable::Array(toml::parse("l = 1\n"), "l").error().text, "[[l]] must be an array of tables");
}

}  // namespace
}  // namespace causeway::services
