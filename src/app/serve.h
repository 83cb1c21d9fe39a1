// `causeway serve`: loads the configuration (or the embedded demo), opens the store, wires
// every layer, serves until SIGTERM/SIGINT and shuts down gracefully.
#pragma once

#include <optional>
#include <string>

namespace causeway::app {

struct ServeOptions {
  std::string config_file;          // empty: the embedded demo
  std::optional<std::string> data_dir;  // overrides the config's data_dir
  std::optional<int> port;          // overrides the first listener's port (0 = any free)
  std::optional<int> tls_port;      // overrides the first TLS listener's port (-1 = no TLS listener)
  std::string ready_file;           // if set, "<http port> <https port>\n" is written here once serving
  std::optional<std::string> access_log;
};

int RunServe(const ServeOptions& options);

}  // namespace causeway::app
