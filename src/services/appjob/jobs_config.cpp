#include "services/appjob/jobs_config.h"

#include <sstream>

#include "domain/jobs/job_template.h"
#include "services/appjob/template_json.h"

namespace causeway::services::appjob {
namespace {

core::Error ConfigError(const std::string& text) {
  return core::MakeError(core::Code::kBadRequest, "CAUSEWAY/CONFIG", "001", text);
}

// A [[jobs.templates]] table has the field names of the control plane's template JSON, so it
// goes through the same parser (one definition of defaults and checks for both).
core::Result<jobs::JobTemplate> ParseTemplate(const toml::table& t) {
  std::string name = t["name"].value_or(std::string());
  if (name.empty() || name.size() > 40) return ConfigError("[[jobs.templates]]: name must have 1-40 characters");
  std::ostringstream json;
  json << toml::json_formatter{t};
  auto tmpl = TemplateFromJson(json.str(), name, /*allow_commands=*/true);
  if (!tmpl.ok()) return ConfigError("template " + name + ": " + tmpl.error().text);
  // The engine's own rules, checked here too so that a bad file fails at load, naming the
  // template, rather than when the engine stores it.
  if (core::Status st = jobs::ValidateTemplate(*tmpl); !st.ok()) return ConfigError("template " + name + ": " + st.error().text);
  return tmpl;
}

// A positive number of milliseconds at [jobs] `key`, or `fallback` if absent.
core::Result<std::chrono::milliseconds> Millis(const toml::table& root, const char* key,
                                               std::chrono::milliseconds fallback) {
  const int64_t ms = root["jobs"][key].value_or(static_cast<int64_t>(fallback.count()));
  if (ms <= 0) return ConfigError(std::string("[jobs] ") + key + " must be a positive number of milliseconds");
  return std::chrono::milliseconds(ms);
}

}  // namespace

core::Result<JobsConfig> ParseJobsConfig(const toml::table& root) {
  JobsConfig c;
  c.demo_templates = root["jobs"]["demo_templates"].value_or(false);
  c.workers = root["jobs"]["workers"].value_or(c.workers);
  if (c.workers < 1) return ConfigError("[jobs] workers must be at least 1");
  c.node_id = root["jobs"]["node_id"].value_or(std::string());
  CW_ASSIGN_OR_RETURN(c.lease, Millis(root, "lease_ms", c.lease));
  CW_ASSIGN_OR_RETURN(c.lease_renewal, Millis(root, "lease_renewal_ms", c.lease_renewal));
  CW_ASSIGN_OR_RETURN(c.claim_interval, Millis(root, "claim_interval_ms", c.claim_interval));
  CW_ASSIGN_OR_RETURN(c.recovery_interval, Millis(root, "recovery_interval_ms", c.recovery_interval));
  // A lease renewed less often than it lasts would let other nodes end running jobs.
  if (c.lease_renewal * 2 > c.lease) return ConfigError("[jobs] lease_renewal_ms must be at most half of lease_ms");
  if (auto cache = root["jobs"]["cache_reads"].value<bool>()) c.cache_reads = *cache;
  if (auto feed = root["jobs"]["feed_cache"].value<bool>()) c.feed_cache = *feed;
  c.cache_capacity = root["jobs"]["cache_capacity"].value_or(c.cache_capacity);
  if (c.cache_capacity < 1) return ConfigError("[jobs] cache_capacity must be at least 1");
  c.allow_command_templates = root["control"]["runtime_command_templates"].value_or(false);
  if (auto* arr = root["jobs"]["templates"].as_array()) {
    for (const auto& n : *arr) {
      const auto* t = n.as_table();
      if (!t) return ConfigError("[[jobs.templates]] entries must be tables");
      CW_ASSIGN_OR_RETURN(jobs::JobTemplate tmpl, ParseTemplate(*t));
      c.templates.push_back(std::move(tmpl));
    }
  }
  return c;
}

}  // namespace causeway::services::appjob
