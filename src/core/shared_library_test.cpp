#include "core/shared_library.h"

#include <gtest/gtest.h>

#include <cstring>

namespace causeway::core {
namespace {

TEST(SharedLibraryTest, OpensOnFirstUseAndFindsSymbols) {
  SharedLibrary libc("libc.so.6");
  auto length = libc.Function<size_t (*)(const char*)>("strlen");
  ASSERT_NE(length, nullptr);
  EXPECT_EQ(length("four"), 4u);
  EXPECT_TRUE(libc.Open());
  EXPECT_EQ(libc.why(), "");
  EXPECT_EQ(libc.Symbol("no_such_function_in_libc"), nullptr);
}

TEST(SharedLibraryTest, AMissingLibrarySaysWhyAndHasNoSymbols) {
  SharedLibrary missing("libcauseway-does-not-exist.so.1");
  EXPECT_FALSE(missing.Open());
  EXPECT_NE(missing.why().find("libcauseway-does-not-exist.so.1"), std::string::npos) << missing.why();
  EXPECT_EQ(missing.Symbol("strlen"), nullptr);
}

}  // namespace
}  // namespace causeway::core
