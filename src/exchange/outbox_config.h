// The outbox's section of causeway.toml: destinations and the scheduler's settings.
//
//   [outbox]
//   node_id = "node-1"             # lease owner; default: the server's node id ([server] node_id)
//   retention_h = 168              # delivered and skipped messages are kept this long
//   lease_s = 300                  # claims held at least this long
//   lease_sweep_s = 30             # other nodes' expired leases looked for this often
//   prune_interval_s = 600
//   stop_timeout_s = 10
//
//   [outbox.destinations.focused_build]       # the table key is the destination's name
//   base_url = "https://fb.example.com/api"
//   user = "CAUSEWAY"
//   password = "…"                 # or password_env = "FB_PASSWORD" (read at load)
//   ca_file = "certs/fb-ca.pem"    # relative paths: to the configuration file's folder
//   client_cert = "…"  client_key = "…"
//   insecure = false
//   connect_timeout_ms = 10000
//   total_timeout_ms = 30000
//   max_concurrent = 8
//   headers = { "X-Api-Version" = "2" }
//   follow_redirects = false  max_redirects = 5
//   max_answer_bytes = 1048576
//   keep_cookies = false
//   idempotency_header = "Idempotency-Key"   # "" = send none
//   [outbox.destinations.focused_build.retry]
//   initial_ms = 500  max_delay_ms = 300000  multiplier = 2.0
//   jitter = "full"                # none, full, decorrelated
//   max_attempts = 10              # 0 = unlimited
//   max_age_s = 86400              # 0 = unlimited
//
// The same fields are what a run-time change (Outbox::SetDestination) takes: the integrator's
// control-plane PUT can parse a JSON body through toml++ or build the Destination directly.
#pragma once

#include <toml++/toml.h>

#include <filesystem>
#include <vector>

#include "core/result.h"
#include "exchange/destination.h"
#include "exchange/outbox.h"

namespace causeway::exchange {

// Parses a table whose keys are destination names and whose values are destination tables.
// Every problem is reported: the error (kBadRequest CAUSEWAY/EXCHANGE/001, or 003 for a retry
// field) names the first bad field in `target` ("focused_build.retry.initial_ms") and text,
// and `details` lists every bad field (wrong type, unknown field, out of range). A password
// never appears in an error. Relative file paths are resolved against `base_dir`.
core::Result<std::vector<Destination>> ParseDestinations(const toml::table& destinations,
                                                         const std::filesystem::path& base_dir = {});

// Parses the [outbox] table (settings and its `destinations` table) into options without
// kinds (the consumers register those). Errors as ParseDestinations, target "outbox.<field>"
// for a setting.
core::Result<OutboxOptions> ParseOutboxConfig(const toml::table& outbox, const std::filesystem::path& base_dir = {});

}  // namespace causeway::exchange
