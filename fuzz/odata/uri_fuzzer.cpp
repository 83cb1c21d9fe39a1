// Fuzzes resource-path, key-predicate, query-string and literal parsing (must never crash, hang
// or leak; every input either parses or yields an error).
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "odata/literal.h"
#include "odata/uri_parser.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view in(reinterpret_cast<const char*>(data), size);
  size_t q = in.find('?');
  auto path = causeway::odata::ParseResourcePath(in.substr(0, q));
  if (path.ok())
    for (const auto& seg : path->segments)
      for (const auto& k : seg.key)
        if (auto lit = causeway::odata::ParseLiteral(k.literal))
          (void)causeway::odata::FormatLiteral(lit->value, lit->type);
  if (q != std::string_view::npos) {
    auto params = causeway::odata::ParseQueryString(in.substr(q + 1));
    if (params.ok())
      for (const auto& p : *params) {
        auto lit = causeway::odata::ParseLiteral(p.value);
        if (lit && !lit->is_null) {
          std::string again = causeway::odata::FormatLiteral(lit->value, lit->type);
          // Round trip: the canonical form must parse to the same value.
          auto back = causeway::odata::ParseLiteral(again);
          if (!back || !(back->value == lit->value)) __builtin_trap();
        }
      }
  }
  (void)causeway::odata::ParseLiteral(in);
  return 0;
}
