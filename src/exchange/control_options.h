// The options every control-plane command of the CLI shares (`causeway task|messages|outbox|fb|
// user …`), spelled once so that each reaches a server the same way: --url, --admin, --cacert
// (also --ca-file) and --insecure for an https URL (the demo's own certificate is self-signed:
// `--cacert var/tls/cert.pem`), and the password from CAUSEWAY_PASSWORD, never an option (it would
// show in ps).
#pragma once

#include "exchange/control_call.h"

namespace CLI {
class App;
}

namespace causeway::exchange {

// `url_required` false: the command also works without a running server (`causeway user`).
void AddControlOptions(CLI::App& command, ControlCall& call, bool url_required = true);

// Sets call.password from CAUSEWAY_PASSWORD; false, after saying so on stderr, when it is unset.
bool ReadControlPassword(ControlCall& call);

}  // namespace causeway::exchange
