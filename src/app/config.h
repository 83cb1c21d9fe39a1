// causeway.toml, loaded into plain structs. The file format is documented in
// docs/configuration.md; `DemoConfig()` is what `causeway serve` uses without a file.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include <toml++/toml.h>

#include "app/store_config.h"
#include "core/result.h"
#include "http/authority.h"
#include "http/server.h"
#include "security/session_codec.h"
#include "security/user_directory.h"

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
  std::vector<std::string> clients;  // [server] clients; empty: default_client only
  std::string session_secret;  // empty: generated once and kept in <data_dir>/session.secret
  // This process's name among the nodes sharing a store (lease owner of jobs, outbox messages
  // and inbound SOAP messages). Empty: generated once and kept in <data_dir>/node.id, so a
  // restarted node knows its own leases and ends its orphans at once.
  std::string node_id;
  std::string log_level = "info";
  std::string access_log = "access.log";  // relative to data_dir; "-" stderr; "" off
  http::PublicHost public_host;           // [scheme://]host[:port] for absolute URLs; empty: Host header
  http::ServerOptions server;
  StoreConfig store;  // [store]
  int max_failed_logons = 3;
  security::SessionPolicy sessions;
  std::vector<security::UserConfig> users;
  security::ScenarioCatalog scenarios;  // [scenarios]: added to (or replacing) the modules' own
  bool generate_tls = false;    // create a self-signed certificate for TLS listeners without one
  bool demo = false;            // the embedded demo: modules add their demo users and data
  std::vector<DemoUser> demo_users;  // printed at start-up in demo mode
  std::filesystem::path config_dir;  // the file's folder (relative paths in it resolve there)
  // The whole file, for the modules: each reads its own sections (services/common/module.h).
  toml::table root;
};

// Parses a causeway.toml: the house's own sections (server, listeners, security, scenarios,
// users); modules parse theirs from `root`. Plain `password` values are hashed on load;
// `password_hash` is used as is. Errors name the key and line.
core::Result<Config> LoadConfig(const std::filesystem::path& file);
// Every top-level table of `root` is the house's (server, listeners, security, scenarios, users,
// store) or one of `module_sections`; otherwise CAUSEWAY/CONFIG/001 naming it.
core::Status CheckSections(const toml::table& root, const std::vector<std::string>& module_sections);
// The embedded default: SQLite under ./var, HTTP on 127.0.0.1:8080 and HTTPS on 127.0.0.1:8443
// with a generated self-signed certificate; `demo` set, so modules add their demo users and data.
Config DemoConfig();

}  // namespace causeway::app
