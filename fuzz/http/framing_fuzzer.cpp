// Fuzzes the request-target parser for SAP Gateway URLs and the tolerant header-block framing,
// checking their invariants rather than only "does not crash".
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "http/header_block.h"
#include "http/sap_path.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view in(reinterpret_cast<const char*>(data), size);

  if (auto p = causeway::http::ParseSapODataPath(in)) {
    // The canonical root always re-parses to the same service and version.
    auto again = causeway::http::ParseSapODataPath(p->root_path);
    if (!again || again->service != p->service || again->version != p->version || !again->resource_path.empty())
      std::abort();
  }

  size_t end = causeway::http::FindHeaderBlockEnd(in);
  if (end > size) std::abort();
  if (end) {
    std::string norm = causeway::http::NormalizeHeaderBlock(in.substr(0, end));
    // Normalized: every LF preceded by exactly one CR, the block still ends where it ended.
    for (size_t i = 0; i < norm.size(); ++i) {
      if (norm[i] == '\n' && (i == 0 || norm[i - 1] != '\r')) std::abort();
      if (norm[i] == '\n' && i >= 2 && norm[i - 2] == '\r' && norm[i - 1] == '\r') std::abort();
    }
    if (causeway::http::FindHeaderBlockEnd(norm) != norm.size()) std::abort();
    // The smuggling guard: any verdict is 400 or 501 with a text.
    if (auto bad = causeway::http::CheckBodyFraming(norm)) {
      if ((bad->status != 400 && bad->status != 501) || bad->text.empty()) std::abort();
    }
  }
  return 0;
}
