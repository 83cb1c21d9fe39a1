#include "domain/changes/change.h"

#include <algorithm>
#include <array>
#include <cstdio>

namespace causeway::changes {

const std::vector<std::string_view> kUrgencies = {"NoDisruption", "SlightDisruption", "SevereDisruption",
                                                  "TotalLossOfService"};
const std::vector<std::string_view> kImpactScopes = {"Enterprise", "SiteOrDepartment", "MultipleUsers", "SingleUser"};
// Only Withdrawn is public for changes (S-CXCHG); the others are this project's choice (README).
const std::vector<std::string_view> kCompletionCodes = {"Successful", "SuccessfulWithIssues", "Unsuccessful",
                                                        "Rejected", "Withdrawn"};
const std::vector<std::string_view> kPrivacyTypes = {"PUBLIC", "PRIVATE"};

bool OneOf(const std::vector<std::string_view>& values, std::string_view v) {
  return std::find(values.begin(), values.end(), v) != values.end();
}

std::string PriorityOf(std::string_view urgency, std::string_view impact_scope) {
  // Rows: urgency from TotalLossOfService down; columns: Enterprise, SiteOrDepartment,
  // MultipleUsers, SingleUser (spec B.5).
  static constexpr std::array<std::array<const char*, 4>, 4> kTable = {{
      {"CriticalPriority", "HighPriority", "HighPriority", "MediumPriority"},
      {"HighPriority", "HighPriority", "MediumPriority", "MediumPriority"},
      {"HighPriority", "MediumPriority", "MediumPriority", "LowPriority"},
      {"MediumPriority", "MediumPriority", "LowPriority", "LowPriority"},
  }};
  static constexpr std::array<std::string_view, 4> kRows = {"TotalLossOfService", "SevereDisruption",
                                                            "SlightDisruption", "NoDisruption"};
  auto row = std::find(kRows.begin(), kRows.end(), urgency);
  auto col = std::find(kImpactScopes.begin(), kImpactScopes.end(), impact_scope);
  if (row == kRows.end() || col == kImpactScopes.end()) return {};
  return kTable[static_cast<size_t>(row - kRows.begin())][static_cast<size_t>(col - kImpactScopes.begin())];
}

namespace {
constexpr std::array<std::string_view, 9> kOperationNames = {"Create", "Update", "Assign", "Accept", "Reject",
                                                             "Cancel", "Resolve", "Close", "Reopen"};
}

std::string_view OperationName(Operation op) { return kOperationNames[static_cast<size_t>(op)]; }

std::optional<Operation> ParseOperation(std::string_view name) {
  for (size_t i = 0; i < kOperationNames.size(); ++i)
    if (kOperationNames[i] == name) return static_cast<Operation>(i);
  return std::nullopt;
}

std::string PropertyText(const PropertyValue& v) {
  struct Visitor {
    std::string operator()(std::monostate) const { return {}; }
    std::string operator()(bool b) const { return b ? "true" : "false"; }
    std::string operator()(int64_t i) const { return std::to_string(i); }
    std::string operator()(double d) const {
      char buf[32];
      std::snprintf(buf, sizeof buf, "%.17g", d);
      return buf;
    }
    std::string operator()(const std::string& s) const { return s; }
  };
  return std::visit(Visitor{}, v);
}

}  // namespace causeway::changes
