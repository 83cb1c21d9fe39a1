#include "domain/jobs/parameter_resolution.h"

namespace causeway::jobs {
namespace {
// TemplateDefaults() writes one empty row for a parameter without default; reading that
// back must not count as a change.
bool SameValue(const std::vector<ParameterRange>& a, const std::vector<ParameterRange>& b) {
  auto blank = [](const std::vector<ParameterRange>& v) {
    for (const auto& r : v)
      if (!r.low.empty() || !r.high.empty()) return false;
    return true;
  };
  return a == b || (blank(a) && blank(b));
}
}  // namespace

ResolvedParameters ResolveParameters(const JobTemplate& t, const std::vector<ParameterValue>& supplied) {
  ResolvedParameters out;
  for (const auto& def : t.parameters) out.values.push_back({def.step_nr, def.name, def.defaults});
  auto apply = [&](size_t idx, const ParameterValue& v) {
    const ParameterDefinition& def = t.parameters[idx];
    if (def.read_only) {
      if (!SameValue(v.ranges, def.defaults)) out.removed_read_only.push_back(def.name);
      return;
    }
    out.values[idx].ranges = v.ranges;
  };
  for (const ParameterValue& v : supplied) {
    bool matched = false;
    for (size_t i = 0; i < t.parameters.size(); ++i) {
      const ParameterDefinition& def = t.parameters[i];
      if (def.name != v.name || (v.step_nr != 0 && v.step_nr != def.step_nr)) continue;
      apply(i, v);
      matched = true;
    }
    if (!matched) {
      out.errors.push_back(v.step_nr == 0
                               ? "Parameter " + v.name + " is not defined in template " + t.name
                               : "Parameter " + v.name + " is not defined for step " + std::to_string(v.step_nr) +
                                     " of template " + t.name);
    }
  }
  for (size_t i = 0; i < t.parameters.size(); ++i) {
    const ParameterDefinition& def = t.parameters[i];
    if (!def.mandatory) continue;
    bool has_value = false;
    for (const auto& r : out.values[i].ranges) has_value = has_value || !r.low.empty();
    if (!has_value)
      out.errors.push_back("Mandatory parameter " + def.name + " of step " + std::to_string(def.step_nr) +
                           " has no value");
  }
  return out;
}

std::vector<ParameterValue> TemplateDefaults(const JobTemplate& t) {
  std::vector<ParameterValue> out;
  for (const auto& def : t.parameters) {
    ParameterValue v{def.step_nr, def.name, def.defaults};
    if (v.ranges.empty()) v.ranges.push_back(ParameterRange{});
    out.push_back(std::move(v));
  }
  return out;
}

}  // namespace causeway::jobs
