// causeway.toml, loaded into plain structs. The file format is documented in
// docs/configuration.md; `DemoConfig()` is what `causeway serve` uses without a file.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "core/result.h"
#include "domain/jobs/job_template.h"
#include "http/server.h"
#include "security/session_codec.h"
#include "security/user_directory.h"
#include "services/task_activity/mount.h"

namespace causeway::app {

struct DemoUser {
  std::string name;
  std::string password;  // only for printing the demo credentials
  std::string role;
};

struct Config {
  std::filesystem::path data_dir = "var";
  std::string system_id = "CWY";
  std::string default_client = "100";
  std::string session_secret;  // empty: generated once and kept in <data_dir>/session.secret
  std::string log_level = "info";
  std::string access_log = "access.log";  // relative to data_dir; "-" stderr; "" off
  std::string public_host;                // host[:port] for absolute URLs; empty: Host header
  http::ServerOptions server;
  int max_failed_logons = 3;
  security::SessionPolicy sessions;
  std::vector<security::UserConfig> users;
  security::ScenarioCatalog scenarios = security::DefaultScenarioCatalog();
  int job_workers = 4;
  bool demo_templates = false;  // load the demo job templates
  std::vector<jobs::JobTemplate> job_templates;  // [[jobs.templates]]
  // [control] runtime_command_templates: PUT /_causeway/templates may define `command` steps
  // (programs the server will run). Off by default: a control-plane password then cannot be
  // turned into running arbitrary programs.
  bool runtime_command_templates = false;
  bool generate_tls = false;    // create a self-signed certificate for TLS listeners without one
  std::vector<DemoUser> demo_users;  // printed at start-up in demo mode
  services::task_activity::Options task_activity;  // [task_activity]
};

// Parses a causeway.toml. Plain `password` values are hashed on load; `password_hash` is used
// as is. Errors name the key and line.
core::Result<Config> LoadConfig(const std::filesystem::path& file);
// The embedded default: SQLite under ./var, demo users and templates, HTTP on 127.0.0.1:8080
// and HTTPS on 127.0.0.1:8443 with a generated self-signed certificate.
Config DemoConfig();

}  // namespace causeway::app
