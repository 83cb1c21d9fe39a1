#include "odata/select.h"

#include <gtest/gtest.h>

namespace causeway::odata {
namespace {

using List = std::vector<std::string>;

TEST(SelectTest, ALevelKeepsWhatItsItemsNameOrPassThrough) {
  EXPECT_TRUE(IsSelected({}, "Name"));
  EXPECT_TRUE(IsSelected({"*"}, "Category"));
  EXPECT_TRUE(IsSelected({"Name"}, "Name"));
  EXPECT_TRUE(IsSelected({"Category/Title"}, "Category"));
  EXPECT_FALSE(IsSelected({"Category/Title"}, "Cat"));
  EXPECT_FALSE(IsSelected({"Categories"}, "Category"));
  EXPECT_FALSE(IsSelected({"Name"}, "Category"));
}

TEST(SelectTest, BelowANavigationPropertyOnlyItsOwnPathsNarrow) {
  EXPECT_EQ(SelectBelow({}, "Category"), List{});
  EXPECT_EQ(SelectBelow({"*"}, "Category"), List{});
  EXPECT_EQ(SelectBelow({"Category"}, "Category"), List{});
  EXPECT_EQ(SelectBelow({"Category/Title", "Category"}, "Category"), List{});
  EXPECT_EQ(SelectBelow({"*", "Category/Title"}, "Category"), List{"Title"});
  EXPECT_EQ(SelectBelow({"Category/Title", "Category/Products/ID", "Name"}, "Category"),
            (List{"Title", "Products/ID"}));
  EXPECT_EQ(SelectBelow({"*", "Category/*"}, "Category"), List{"*"});
  EXPECT_EQ(SelectBelow({"Categories/Title"}, "Category"), List{});
}

}  // namespace
}  // namespace causeway::odata
