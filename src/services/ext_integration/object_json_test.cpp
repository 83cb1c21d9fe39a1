#include "services/ext_integration/object_json.h"

#include <boost/json.hpp>
#include <gtest/gtest.h>

namespace causeway::services::ext_integration {
namespace {

core::Result<workitems::ObjectPatch> Patch(std::string_view body) { return PatchFromJson(boost::json::parse(body)); }

TEST(ObjectJsonTest, EffortIsReadInHundredthsInEveryForm) {
  for (auto [body, hundredths] : std::vector<std::pair<std::string, int64_t>>{
           {R"({"effort":24480})", 2448000},
           {R"({"effort":24480.5})", 2448050},
           {R"({"effort":"24480.00"})", 2448000},
           {R"({"effort":999999999999999})", 99999999999999900},
           {R"({"effort":"999999999999999.99"})", 99999999999999999},
       }) {
    auto p = Patch(body);
    ASSERT_TRUE(p.ok()) << body << ": " << p.error().text;
    EXPECT_EQ(p->effort_hundredths, hundredths) << body;
  }
}

// An integer whose hundredths do not fit in 64 bits overflowed (undefined behaviour) and stored
// what the wrap-around left, answered with 200.
TEST(ObjectJsonTest, AnEffortTooLargeForItsHundredthsIsRefused) {
  for (const char* body : {R"({"effort":184467440737095517})", R"({"effort":9223372036854775807})",
                           R"({"effort":18446744073709551615})", R"({"effort":1000000000000000})",
                           R"({"effort":-1000000000000000})", R"({"effort":1e300})", R"({"effort":9.1e13})",
                           R"({"effort":"1000000000000000"})"}) {
    auto p = Patch(body);
    ASSERT_FALSE(p.ok()) << body;
    EXPECT_EQ(p.error().code, core::Code::kBadRequest) << body;
    EXPECT_NE(p.error().text.find("effort"), std::string::npos) << p.error().text;
  }
}

}  // namespace
}  // namespace causeway::services::ext_integration
