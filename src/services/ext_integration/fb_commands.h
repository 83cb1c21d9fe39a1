// `causeway fb …`: drives a running server's Focused Build control plane (/_causeway/fb/, see
// control_routes.h) — what the Solution Manager UI does — and prints its JSON answers:
//
//   causeway fb list [--after TICKET] [--limit N] [--type S1IT]
//   causeway fb show|history|pushes|links ID
//   causeway fb create --json '{"process_type":"S1IT","description":…}' | --file BODY.json
//   causeway fb change ID --json '{…}' | --file BODY.json
//   causeway fb text ID --text-id S115 --text "…" [--author 4711]
//   causeway fb status ID E0022
//   causeway fb upload ID --file PATH [--kind document|attachment] [--content-type T] [--title T]
//   causeway fb handover ID                     (S1_CALL_EXT)
//   causeway fb customizing [SECTION] [--put FILE.json]
//   causeway fb system
// Each takes --url (the server's base URL), --admin (a CAUSEWAY_CONTROL user; the password from
// CAUSEWAY_PASSWORD), --ca-file and --insecure for https. HTTP goes through
// exchange::CurlHttpClient::SendAndWait. Exit codes: 0 ok, 1 server or transport error,
// 2 usage, 3 refused (4xx other than 404), 4 not found.
#pragma once

#include <memory>

#include <CLI/CLI.hpp>

namespace causeway::services::ext_integration {

class FbCommands {
 public:
  virtual ~FbCommands() = default;
  virtual bool Selected() const = 0;
  virtual int Run() = 0;
};

std::shared_ptr<FbCommands> AddFbCommands(CLI::App& app);

}  // namespace causeway::services::ext_integration
