#include "services/case_exchange/cx_config.h"

#include <gtest/gtest.h>

#include "core/ascii.h"

namespace causeway::services::case_exchange {
namespace {

TEST(CxConfigTest, ParsesTenantsAndWorkflows) {
  auto o = ParseOptions(toml::parse(R"(
[case_exchange]
token_lifetime_s = 600
default_tenant = "7"
[[case_exchange.tenants]]
id = "7"
name = "Seven"
[[case_exchange.tenants.external_systems]]
id = "SNOW"
authorized_user = "sx"
url = "http://127.0.0.1:9/cx"
user = "u"
password = "p"
[[case_exchange.tenants.groups]]
id = "g1"
name = "Group"
external_system = "SNOW"
[[case_exchange.tenants.people]]
id = "p1"
login = "sx"
password = "Welcome1!"
roles = ["agent"]
[[case_exchange.workflows]]
change_type = "Minor"
phases = [{id = "Log", metaphase = "Classification"}, {id = "Done", metaphase = "Done"}]
transitions = [{from = "Log", to = "Done", requires = ["DisplayLabel"], automatic = true}]
)"));
  ASSERT_TRUE(o.ok()) << o.error().text;
  EXPECT_EQ(o->token_lifetime.count(), 600);
  ASSERT_EQ(o->tenants.size(), 1u);
  const TenantConfig& t = o->tenants[0];
  EXPECT_EQ(t.systems[0].url, "http://127.0.0.1:9/cx");
  EXPECT_EQ(t.systems[0].push_password, "p");
  EXPECT_EQ(t.groups[0].external_system, "SNOW");
  EXPECT_EQ(t.people[0].password, "Welcome1!");
  EXPECT_EQ(t.people[0].person.roles, std::vector<std::string>{"agent"});
  ASSERT_EQ(o->workflows.size(), 1u);
  EXPECT_TRUE(o->workflows[0].transitions[0].automatic);
}

TEST(CxConfigTest, ErrorsNameTheKey) {
  struct Row {
    const char* toml;
    const char* key;
  };
  const Row rows[] = {
      {"[case_exchange]\ntoken_lifetime_s = 0", "case_exchange.token_lifetime_s"},
      {"[case_exchange]\ntoken_lifetime_s = \"x\"", "case_exchange.token_lifetime_s"},
      {"[[case_exchange.tenants]]\nname = \"x\"", "case_exchange.tenants[0].id"},
      {"[[case_exchange.tenants]]\nid = \"a/b\"", "case_exchange.tenants[0].id"},
      {"[[case_exchange.tenants]]\nid = \"1\"\n[[case_exchange.tenants.groups]]\nid = \"g\"\nname = "
       "\"G\"\nexternal_system = \"NOPE\"",
       "case_exchange.tenants[0].groups[0].external_system"},
      {"[[case_exchange.tenants]]\nid = \"1\"\n[[case_exchange.tenants.people]]\nid = \"p\"\nroles = [\"boss\"]",
       "case_exchange.tenants[0].people[0].roles"},
      {"[[case_exchange.tenants]]\nid = \"1\"\n[[case_exchange.tenants.people]]\nid = \"p\"\npassword = "
       "\"a\"\npassword_hash = \"b\"",
       "case_exchange.tenants[0].people[0]"},
      {"[[case_exchange.tenants]]\nid = \"1\"\n[[case_exchange.tenants.external_systems]]\nid = \"S\"\nauthorized_user "
       "= \"nobody\"",
       "case_exchange.tenants[0].external_systems"},
      {"[[case_exchange.tenants]]\nid = \"1\"\n[[case_exchange.tenants]]\nid = \"1\"", "case_exchange.tenants[1].id"},
      // Per-tenant identifiers named twice: the second would silently replace (or, for a login,
      // shadow) the first.
      {"[[case_exchange.tenants]]\nid = \"1\"\n[[case_exchange.tenants.people]]\nid = \"p\"\nlogin = \"bob\"\n"
       "[[case_exchange.tenants.people]]\nid = \"q\"\nlogin = \"Bob\"",
       "case_exchange.tenants[0].people[1].login"},
      {"[[case_exchange.tenants]]\nid = \"1\"\n[[case_exchange.tenants.people]]\nid = \"p\"\nlogin = \"bob\"\n"
       "[[case_exchange.tenants.people]]\nid = \"p\"\nlogin = \"rob\"",
       "case_exchange.tenants[0].people[1].id"},
      {"[[case_exchange.tenants]]\nid = \"1\"\n[[case_exchange.tenants.groups]]\nid = \"g\"\nname = \"G\"\n"
       "[[case_exchange.tenants.groups]]\nid = \"g\"\nname = \"H\"",
       "case_exchange.tenants[0].groups[1].id"},
      {"[[case_exchange.tenants]]\nid = \"1\"\n[[case_exchange.tenants.external_systems]]\nid = \"S\"\nauthorized_user "
       "= \"u\"\n"
       "[[case_exchange.tenants.external_systems]]\nid = \"S\"\nauthorized_user = \"u\"",
       "case_exchange.tenants[0].external_systems[1].id"},
      {"[[case_exchange.workflows]]\nchange_type = \"X\"\nphases = [{id = \"A\", metaphase = \"M\"}]\n"
       "transitions = [{from = \"A\", to = \"B\"}]",
       "case_exchange.workflows[0].transitions"},
      // A misspelt key is refused, not ignored.
      {"[case_exchange]\ntoken_lifetime = 60", "case_exchange.token_lifetime"},
      {"[[case_exchange.tenants]]\nid = \"1\"\ndescription = \"x\"", "case_exchange.tenants[0].description"},
      {"[[case_exchange.tenants]]\nid = \"1\"\n[[case_exchange.tenants.external_systems]]\nid = \"S\"\n"
       "authorized_user = \"u\"\nurl = \"http://h\"\npush_password = \"x\"",
       "case_exchange.tenants[0].external_systems[0].push_password"},
      // A system that could not be pushed to is refused, not left out with a warning in the log.
      {"[[case_exchange.tenants]]\nid = \"1\"\n[[case_exchange.tenants.external_systems]]\nid = \"S\"\n"
       "authorized_user = \"u\"\nurl = \"http://u:secret@h/cx\"",
       "case_exchange.tenants[0].external_systems[0].url"},
      {"[[case_exchange.tenants]]\nid = \"1\"\n[[case_exchange.tenants.external_systems]]\nid = \"S\"\n"
       "authorized_user = \"u\"\nurl = \"http://h/cx\"\npassword = \"x\"",
       "case_exchange.tenants[0].external_systems[0].password"},
      {"[[case_exchange.tenants]]\nid = \"1\"\n[[case_exchange.tenants.people]]\nid = \"p\"\nrole = [\"agent\"]",
       "case_exchange.tenants[0].people[0].role"},
      {"[[case_exchange.tenants]]\nid = \"1\"\n[[case_exchange.tenants.groups]]\nid = \"g\"\nname = \"G\"\nsystem = "
       "\"S\"",
       "case_exchange.tenants[0].groups[0].system"},
      {"[[case_exchange.workflows]]\nchange_type = \"X\"\nphases = [{id = \"A\", meta = \"M\"}]",
       "case_exchange.workflows[0].phases[0].meta"},
  };
  for (const Row& r : rows) {
    auto o = ParseOptions(toml::parse(r.toml));
    ASSERT_FALSE(o.ok()) << r.toml;
    EXPECT_EQ(o.error().target, r.key) << o.error().text;
    EXPECT_EQ(o.error().GatewayCode(), "CAUSEWAY/CONFIG/001");
  }
}

TEST(CxConfigTest, DemoTenantIsConsistent) {
  TenantConfig t = DemoTenant();
  EXPECT_EQ(t.id, "100000002");
  for (const auto& s : t.systems)
    EXPECT_TRUE(std::any_of(t.people.begin(), t.people.end(), [&](const auto& p) { return p.person.login == s.authorized_user; }));
  for (const auto& g : t.groups) EXPECT_TRUE(changes::ValidateGroup(g, nullptr).ok());
  for (size_t i = 0; i < t.people.size(); ++i)
    for (size_t j = 0; j < i; ++j) {
      EXPECT_NE(t.people[i].person.id, t.people[j].person.id);
      EXPECT_FALSE(core::IEquals(t.people[i].person.login, t.people[j].person.login)) << t.people[i].person.login;
    }
}

TEST(CxConfigTest, PeopleWithoutALoginAreMany) {
  auto o = ParseOptions(toml::parse(R"(
[[case_exchange.tenants]]
id = "1"
[[case_exchange.tenants.people]]
id = "p"
[[case_exchange.tenants.people]]
id = "q"
[[case_exchange.tenants]]
id = "2"
[[case_exchange.tenants.people]]
id = "p"
login = "bob"
[[case_exchange.tenants]]
id = "3"
[[case_exchange.tenants.people]]
id = "p"
login = "bob"
)"));
  ASSERT_TRUE(o.ok()) << o.error().text;
  EXPECT_EQ(o->tenants[0].people.size(), 2u);
}

}  // namespace
}  // namespace causeway::services::case_exchange
