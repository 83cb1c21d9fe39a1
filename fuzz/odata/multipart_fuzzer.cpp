// Fuzzes multipart/mixed framing and embedded HTTP request parsing ($batch).
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "odata/multipart.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view in(reinterpret_cast<const char*>(data), size);
  // First line: the boundary; the rest: the body.
  size_t nl = in.find('\n');
  if (nl == std::string_view::npos || nl == 0 || nl > 70) return 0;
  auto parts = causeway::odata::ParseMultipart(in.substr(nl + 1), in.substr(0, nl), 100);
  if (!parts.ok()) return 0;
  for (const auto& p : *parts) {
    if (auto b = causeway::odata::BoundaryOf(p.headers.Get("content-type").value_or(""))) {
      auto inner = causeway::odata::ParseMultipart(p.body, *b, 100);
      if (inner.ok())
        for (const auto& ip : *inner) (void)causeway::odata::ParseEmbeddedRequest(ip.body);
    }
    (void)causeway::odata::ParseEmbeddedRequest(p.body);
  }
  return 0;
}
