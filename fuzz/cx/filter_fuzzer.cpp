// Feeds arbitrary text to the EMS filter parser and evaluates what parses against a fixed
// record. Invariants beyond "no crash": an error names the filter as its target, and a filter
// that parsed evaluates the same way twice.
#include <cstdint>
#include <cstdlib>
#include <optional>
#include <string>
#include <string_view>

#include "services/case_exchange/ems_filter.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using causeway::services::case_exchange::EmsFilter;
  std::string_view text(reinterpret_cast<const char*>(data), size);
  auto f = EmsFilter::Parse(text);
  if (!f.ok()) {
    if (f.error().target != "filter") std::abort();
    return 0;
  }
  auto lookup = [](std::string_view name) -> std::optional<std::string> {
    if (name == "Id") return std::string("10001");
    if (name == "PhaseId") return std::string("Plan");
    if (name == "ExternalSystem.SystemId") return std::string("SNOW");
    if (name == "LastUpdateTime") return std::string("1714550400000");
    return std::nullopt;
  };
  if (f->Matches(lookup) != f->Matches(lookup)) std::abort();
  (void)f->EqualityOn("Id");
  return 0;
}
