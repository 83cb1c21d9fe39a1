#include "odata/edm.h"

#include <gtest/gtest.h>

namespace causeway::odata {
namespace {

Schema OneType(std::string property_name) {
  Schema s;
  s.namespace_name = "NS";
  EntityType t;
  t.name = "Thing";
  Property key;
  key.name = "Id";
  key.nullable = false;
  t.properties.push_back(key);
  Property p;
  p.name = std::move(property_name);
  t.properties.push_back(p);
  t.keys = {"Id"};
  s.entity_types.push_back(t);
  EntitySet set;
  set.name = "Things";
  set.entity_type = "Thing";
  s.entity_sets.push_back(set);
  return s;
}

TEST(ModelCreate, AcceptsSimpleIdentifiers) {
  EXPECT_TRUE(Model::Create(OneType("Job_Name2")).ok());
  EXPECT_TRUE(Model::Create(OneType("_x")).ok());
}

// The writers emit names unescaped into JSON keys and XML element names, so a name that would
// need escaping must never reach them.
TEST(ModelCreate, RejectsNamesThatAreNotSimpleIdentifiers) {
  for (const char* bad : {"", "2abc", "a\"b", "a<b", "a b", "a-b", "a/b", "ä"}) {
    auto m = Model::Create(OneType(bad));
    ASSERT_FALSE(m.ok()) << bad;
    EXPECT_NE(m.error().text.find("simple identifier"), std::string::npos) << m.error().text;
  }
}

TEST(ModelCreate, RejectsDuplicateProperties) {
  auto m = Model::Create(OneType("Id"));
  ASSERT_FALSE(m.ok());
  EXPECT_NE(m.error().text.find("duplicate property name 'Id'"), std::string::npos) << m.error().text;
}

}  // namespace
}  // namespace causeway::odata
