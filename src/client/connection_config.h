// Where the connection comes from: command-line flags, then environment variables, then a TOML
// config file (first found wins per setting). See src/client/README.md for the names.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "client/http_client.h"
#include "core/result.h"

namespace causeway::client {

struct ConnectionFlags {
  std::string url, user, password, config_file, client_cert, client_key, ca_bundle, sap_client;
  std::string connect_timeout, request_timeout;
  bool insecure = false;
  bool disable_saml = false;
};

struct Connection {
  std::string url;  // service root
  HttpOptions http;
  std::vector<std::pair<std::string, std::string>> extra_query;
  std::vector<std::string> warnings;  // to print on stderr (never containing secrets)
};

using EnvLookup = std::function<std::optional<std::string>(const char* name)>;
// The process environment.
std::optional<std::string> ProcessEnv(const char* name);

// Resolves flags > env (CAUSEWAY_URL, CAUSEWAY_USER, CAUSEWAY_PASSWORD, CAUSEWAY_CLIENT_CERT,
// CAUSEWAY_CLIENT_KEY, CAUSEWAY_CA_BUNDLE, CAUSEWAY_SAP_CLIENT, CAUSEWAY_CONFIG) > config file
// (--config, $CAUSEWAY_CONFIG, else $XDG_CONFIG_HOME or ~/.config /causeway/client.toml if it
// exists). kBadRequest (a usage error) when: the config file is readable by group/others (mode
// looser than 0600), unparseable or has unknown keys; no URL; the URL is not http(s) or carries
// user:password@; neither user+password nor a client certificate is given.
core::Result<Connection> ResolveConnection(const ConnectionFlags& flags, const EnvLookup& env);

}  // namespace causeway::client
