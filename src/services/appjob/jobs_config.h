// The job module's part of causeway.toml (docs/configuration.md): [jobs] workers,
// demo_templates, the node's claims and leases and the read cache, [[jobs.templates]] (the
// control plane's template fields, parsed by the same code), and [control]
// runtime_command_templates.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include <toml++/toml.h>

#include "core/result.h"
#include "domain/jobs/job_template.h"

namespace causeway::services::appjob {

struct JobsConfig {
  int workers = 4;
  bool demo_templates = false;
  // Several nodes on one store (jobs::EngineOptions): the lease owner name (empty: random per
  // start), the lease and how often it is renewed, how often to look for jobs other nodes
  // scheduled and for jobs of dead nodes.
  std::string node_id;
  std::chrono::milliseconds lease{5000};
  std::chrono::milliseconds lease_renewal{500};
  std::chrono::milliseconds claim_interval{200};
  std::chrono::milliseconds recovery_interval{1000};
  // How long a canceled or timed-out command step gets after SIGTERM before SIGKILL.
  std::chrono::milliseconds kill_grace{5000};
  // Reads through a bounded cache; unset: on for SQLite (one node), off for PostgreSQL.
  std::optional<bool> cache_reads;
  // Without cache_reads (nodes sharing PostgreSQL): a cache kept fresh by the store's change feed.
  bool feed_cache = true;
  int cache_capacity = 4096;
  // PUT /_causeway/templates may define `command` steps (programs the server will run). Off by
  // default: a control-plane password then cannot be turned into running arbitrary programs.
  bool allow_command_templates = false;
  std::vector<jobs::JobTemplate> templates;
};

// Errors name the template or the key and the field (kBadRequest, CAUSEWAY/CONFIG/001).
core::Result<JobsConfig> ParseJobsConfig(const toml::table& root);

}  // namespace causeway::services::appjob
