// Fuzzes the $filter parser, the in-memory evaluator and the SQL translator against a fixed
// entity type, and checks the parser's bounds (everything after it recurses over its tree).
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "odata/filter_eval.h"
#include "odata/filter_parser.h"
#include "odata/filter_sql.h"

using namespace causeway::odata;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const EntityType type{
      .name = "T",
      .keys = {"Id"},
      .properties = {{.name = "Id", .type = EdmType::kInt32, .nullable = false},
                     {.name = "Big", .type = EdmType::kInt64},
                     {.name = "Name", .type = EdmType::kString},
                     {.name = "Price", .type = EdmType::kDecimal},
                     {.name = "Rate", .type = EdmType::kDouble},
                     {.name = "When", .type = EdmType::kDateTime},
                     {.name = "At", .type = EdmType::kTime},
                     {.name = "Flag", .type = EdmType::kBoolean}}};
  static const Entity entity{{Value(int64_t{7}), Value(INT64_MIN), Value("Tea Pot"), Value(Decimal{"-12.50"}),
                              Value(1.5), Value(DateTime{-62135596800000}), Value(Time{3600000}), Value()},
                             {}};
  auto f = ParseFilter(std::string_view(reinterpret_cast<const char*>(data), size), type);
  if (!f.ok()) return 0;
  if (f->height > kMaxFilterHeight) __builtin_trap();
  (void)FilterMatches(*f, type, entity);
  (void)TranslateFilterToSql(*f, [](std::string_view p) { return std::optional<std::string>("\"" + std::string(p) + "\""); });
  return 0;
}
