#include "services/common/control_methods.h"

#include <gtest/gtest.h>

namespace causeway::services {
namespace {

TEST(ControlMethodsTest, HeadIsDispatchedAsGet) {
  http::Request req;
  for (const char* m : {"GET", "POST", "PUT", "DELETE", "PATCH"}) {
    req.method = m;
    EXPECT_EQ(ControlMethod(req), m);
  }
  req.method = "HEAD";
  EXPECT_EQ(ControlMethod(req), "GET");
}

TEST(ControlMethodsTest, AllowNamesHeadAfterGet) {
  EXPECT_EQ(AllowedMethods({"GET"}), "GET, HEAD");
  EXPECT_EQ(AllowedMethods({"POST"}), "POST");
  EXPECT_EQ(AllowedMethods({"GET", "PUT", "DELETE"}), "GET, HEAD, PUT, DELETE");
  EXPECT_EQ(AllowedMethods({"POST", "PUT"}), "POST, PUT");
}

TEST(ControlMethodsTest, MethodNotAllowedCarriesCodeAndAllow) {
  struct Row {
    std::initializer_list<std::string_view> methods;
    const char* allow;
    const char* body;
  };
  const Row rows[] = {
      {{"GET"}, "GET, HEAD", R"({"error":{"code":"CAUSEWAY/CONTROL/002","message":"Use GET"}})"},
      {{"GET", "POST"}, "GET, HEAD, POST", R"({"error":{"code":"CAUSEWAY/CONTROL/002","message":"Use GET or POST"}})"},
      {{"GET", "PUT", "DELETE"}, "GET, HEAD, PUT, DELETE",
       R"({"error":{"code":"CAUSEWAY/CONTROL/002","message":"Use GET, PUT or DELETE"}})"},
  };
  for (const Row& row : rows) {
    http::Response r = MethodNotAllowed(row.methods);
    EXPECT_EQ(r.status, 405);
    EXPECT_EQ(r.headers.Get("allow").value_or(""), row.allow);
    EXPECT_EQ(r.body, row.body);
  }
}

TEST(ControlMethodsTest, SubresourceIsWhatFollowsTheResourceName) {
  EXPECT_EQ(ControlSubresource("tasks", "tasks"), std::string_view());
  EXPECT_EQ(ControlSubresource("tasks/42", "tasks"), std::string_view("42"));
  EXPECT_EQ(ControlSubresource("tasks/42/x", "tasks"), std::string_view("42/x"));
  EXPECT_EQ(ControlSubresource("tasks/", "tasks"), std::string_view());
  EXPECT_EQ(ControlSubresource("taskset", "tasks"), std::nullopt);
  EXPECT_EQ(ControlSubresource("task", "tasks"), std::nullopt);
  EXPECT_EQ(ControlSubresource("partners", "tasks"), std::nullopt);
}

}  // namespace
}  // namespace causeway::services
