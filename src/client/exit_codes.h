// Process exit codes of `causeway job …`. They are a public contract: schedulers (Control-M,
// Tidal, Autosys) map them to OK/NOTOK/rerun rules. Never renumber; only append. The table in
// src/client/README.md must list every value.
#pragma once

#include <string_view>

#include "core/error.h"

namespace causeway::client {

enum class ExitCode : int {
  kFinished = 0,             // job status F
  kInternal = 1,             // unexpected client-side failure (a bug)
  kUsage = 2,                // bad command line, config file or parameter file
  kFinishedWithWarning = 3,  // job status W
  kFailed = 4,               // job status A (failed/aborted) or U (user error)
  kCancelled = 5,            // job status C, D or K (cancelled, deleted, skipped)
  kTimedOut = 6,             // --timeout expired (job cancelled, or left running)
  kConnection = 7,           // DNS, connect, TLS handshake/verification, read timeout
  kAuth = 8,                 // 401 (wrong password, locked user), 403 no authorization, login page
  kServerError = 9,          // 5xx, unparseable or unexpected response, unknown job status
  kRejected = 10,            // 4xx business error from the service, e.g. APJ_RT/015 unknown template
  kSigInt = 130,             // interrupted by SIGINT; the remote job was cancelled (128+2)
  kSigTerm = 143,            // killed by SIGTERM; the remote job was cancelled (128+15)
};

// Exit code for a terminal job status letter (spec §1.6). Non-terminal letters → kInternal.
ExitCode ExitCodeForStatus(char job_status);

// Exit code for an error returned by the HTTP/OData layer (see the mapping in exit_codes.cpp).
ExitCode ExitCodeForError(const core::Error& error);

// Stable machine-readable name, e.g. "finished_with_warning" (used in --json "exit_reason").
std::string_view ExitReasonName(ExitCode code);

}  // namespace causeway::client
