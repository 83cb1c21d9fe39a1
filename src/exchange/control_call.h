// One synchronous call to a running Causeway's control plane, for the command-line tools
// (`causeway user --url …`, `causeway task …`, `causeway outbox …`): Basic credentials of a
// control-plane user, TLS verified (or `insecure`), through the one HTTP client.
#pragma once

#include <string>

#include "core/result.h"

namespace causeway::exchange {

struct ControlCall {
  std::string base_url;  // e.g. "http://127.0.0.1:8080"
  std::string user;      // a user granted CAUSEWAY_CONTROL
  std::string password;  // never logged
  std::string ca_file;   // empty: the system store
  bool insecure = false;
};

struct ControlAnswer {
  int status = 0;
  std::string body;
  std::string content_type;  // as the answer gave it ("" when it gave none)
};

// Sends `method path` (path with its query, e.g. "/_causeway/outbox/messages?state=failed") with
// `body` as JSON when not empty, accepting JSON, within 120 s. kUnavailable when no answer came
// (connection, TLS, timeout), kBadRequest for a bad base URL.
core::Result<ControlAnswer> CallControl(const ControlCall& call, const std::string& method, const std::string& path,
                                        const std::string& body = "");

// Prints a 2xx answer's body on stdout, anything else on stderr, and returns the exit code every
// control-plane tool shares: 0 for 2xx; 4 for 404; 3 for any other 4xx (refused: credentials,
// authorization, a bad request, a conflict); 2 when the call could not be made as given (a bad
// base URL); 1 for no answer (connection, TLS, timeout) and 5xx.
int PrintControlAnswer(const core::Result<ControlAnswer>& answer);

}  // namespace causeway::exchange
