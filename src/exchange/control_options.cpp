#include "exchange/control_options.h"

#include <CLI/CLI.hpp>
#include <cstdlib>
#include <iostream>

namespace causeway::exchange {

void AddControlOptions(CLI::App& command, ControlCall& call, bool url_required) {
  CLI::Option* url =
      command.add_option("--url", call.base_url, "base URL of the running server, e.g. http://127.0.0.1:8080");
  if (url_required) url->required();
  CLI::Option* admin = command.add_option("--admin", call.user, "control-plane user (password from CAUSEWAY_PASSWORD)");
  if (url_required) admin->required();
  command.add_option("--cacert,--ca-file", call.ca_file, "PEM bundle of the CAs trusted for an https URL");
  command.add_flag("--insecure", call.insecure, "do not verify the server's TLS certificate (sandboxes only)");
}

bool ReadControlPassword(ControlCall& call) {
  const char* password = std::getenv("CAUSEWAY_PASSWORD");
  if (!password) {
    std::cerr << "causeway: set CAUSEWAY_PASSWORD to the password of " << call.user << "\n";
    return false;
  }
  call.password = password;
  return true;
}

}  // namespace causeway::exchange
