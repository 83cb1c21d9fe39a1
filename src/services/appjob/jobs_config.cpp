#include "services/appjob/jobs_config.h"

#include <sstream>

#include "domain/jobs/job_template.h"
#include "services/appjob/template_json.h"
#include "services/common/config_table.h"

namespace causeway::services::appjob {
namespace {

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

}  // namespace

core::Result<JobsConfig> ParseJobsConfig(const toml::table& root) {
  JobsConfig c;
  CW_ASSIGN_OR_RETURN(ConfigTable jobs, ConfigTable::Section(root, "jobs"));
  CW_RETURN_IF_ERROR(jobs.Bool("demo_templates", c.demo_templates));
  CW_RETURN_IF_ERROR(jobs.Int("workers", c.workers, 1, 4096));
  CW_RETURN_IF_ERROR(jobs.String("node_id", c.node_id));
  // Positive numbers of milliseconds.
  constexpr int64_t kDay = int64_t{86400} * 1000;
  for (auto [key, value] :
       {std::pair{"lease_ms", &c.lease}, std::pair{"lease_renewal_ms", &c.lease_renewal},
        std::pair{"claim_interval_ms", &c.claim_interval}, std::pair{"recovery_interval_ms", &c.recovery_interval},
        std::pair{"kill_grace_ms", &c.kill_grace}}) {
    int64_t ms = value->count();
    CW_RETURN_IF_ERROR(jobs.Int(key, 1, kDay, ms));
    *value = std::chrono::milliseconds(ms);
  }
  // A lease renewed less often than it lasts would let other nodes end running jobs.
  if (c.lease_renewal * 2 > c.lease) return ConfigError("[jobs] lease_renewal_ms must be at most half of lease_ms");
  CW_RETURN_IF_ERROR(jobs.Bool("cache_reads", c.cache_reads));
  CW_RETURN_IF_ERROR(jobs.Bool("feed_cache", c.feed_cache));
  CW_RETURN_IF_ERROR(jobs.Int("cache_capacity", c.cache_capacity, 1, 100'000'000));
  jobs.Known({"templates"});
  CW_RETURN_IF_ERROR(jobs.Done());
  CW_ASSIGN_OR_RETURN(ConfigTable control, ConfigTable::Section(root, "control"));
  CW_RETURN_IF_ERROR(control.Bool("runtime_command_templates", c.allow_command_templates));
  CW_RETURN_IF_ERROR(control.Done());
  if (const toml::node* templates = jobs.table() ? jobs.table()->get("templates") : nullptr) {
    const toml::array* arr = templates->as_array();
    if (!arr) return ConfigError("[[jobs.templates]] must be an array of tables", "jobs.templates");
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
