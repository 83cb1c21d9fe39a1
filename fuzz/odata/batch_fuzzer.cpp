// Fuzzes a whole $batch request through the OData engine (demo service): first input line =
// the boundary, the rest = the body. Inner requests reach URI, $filter and body parsing,
// evaluation and the writers, as a client holding a CSRF token could.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "core/clock.h"
#include "demo_service.h"
#include "odata/engine.h"

using namespace causeway;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static core::ManualClock clock(core::FromUnixMillis(1704110400000));
  static const auto engine = [] {
    odata::EngineOptions options;
    options.clock = &clock;
    options.read_cache_entries = 0;
    return std::move(odata::Engine::Create(odata::demo::MakeDemoService(), options)).value();
  }();
  std::string_view in(reinterpret_cast<const char*>(data), size);
  size_t nl = in.find('\n');
  if (nl == std::string_view::npos || nl == 0 || nl > 70) return 0;
  http::Request req;
  req.method = "POST";
  req.target = "/sap/opu/odata/sap/ZDEMO_SRV/$batch";
  req.headers.Add("content-type", "multipart/mixed; boundary=" + std::string(in.substr(0, nl)));
  req.body = std::string(in.substr(nl + 1));
  req.user = "FUZZER";
  odata::RoutedRequest routed{"http://127.0.0.1/sap/opu/odata/sap/ZDEMO_SRV/", "$batch", ""};
  http::Response res = engine->Handle(req, routed);
  if (res.status < 200 || res.status > 599) __builtin_trap();
  return 0;
}
