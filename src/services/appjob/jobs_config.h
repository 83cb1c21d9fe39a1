// The job module's part of causeway.toml (docs/configuration.md): [jobs] workers and
// demo_templates, [[jobs.templates]] (the control plane's template fields, parsed by the same
// code), and [control] runtime_command_templates.
#pragma once

#include <vector>

#include <toml++/toml.h>

#include "core/result.h"
#include "domain/jobs/job_template.h"

namespace causeway::services::appjob {

struct JobsConfig {
  int workers = 4;
  bool demo_templates = false;
  // PUT /_causeway/templates may define `command` steps (programs the server will run). Off by
  // default: a control-plane password then cannot be turned into running arbitrary programs.
  bool allow_command_templates = false;
  std::vector<jobs::JobTemplate> templates;
};

// Errors name the template and the field (kBadRequest, CAUSEWAY/CONFIG/001).
core::Result<JobsConfig> ParseJobsConfig(const toml::table& root);

}  // namespace causeway::services::appjob
