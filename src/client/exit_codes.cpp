#include "client/exit_codes.h"

namespace causeway::client {

ExitCode ExitCodeForStatus(char job_status) {
  switch (job_status) {
    case 'F': return ExitCode::kFinished;
    case 'W': return ExitCode::kFinishedWithWarning;
    case 'A':
    case 'U': return ExitCode::kFailed;
    case 'C':
    case 'D':
    case 'K': return ExitCode::kCancelled;
    case 'X': return ExitCode::kServerError;  // the server itself does not know the status
    default: return ExitCode::kInternal;
  }
}

// The only place errors become exit codes. The HTTP layer (odata_session.cpp) chooses the Code:
//   connection/TLS/timeout          -> kUnavailable   -> kConnection
//   401, 403 (not CSRF), login page -> kUnauthorized/kForbidden -> kAuth
//   other 4xx (Gateway APJ_RT/...)  -> kBadRequest/kNotFound/kMethodNotAllowed/... -> kRejected
//   5xx, unparseable body           -> kInternal/kNotImplemented -> kServerError
ExitCode ExitCodeForError(const core::Error& error) {
  switch (error.code) {
    case core::Code::kUnavailable: return ExitCode::kConnection;
    case core::Code::kUnauthorized:
    case core::Code::kForbidden: return ExitCode::kAuth;
    case core::Code::kBadRequest:
    case core::Code::kNotFound:
    case core::Code::kMethodNotAllowed:
    case core::Code::kConflict:
    case core::Code::kPreconditionFailed:
    case core::Code::kPayloadTooLarge:
    case core::Code::kPreconditionRequired: return ExitCode::kRejected;
    case core::Code::kInternal:
    case core::Code::kNotImplemented: return ExitCode::kServerError;
  }
  return ExitCode::kServerError;
}

std::string_view ExitReasonName(ExitCode code) {
  switch (code) {
    case ExitCode::kFinished: return "finished";
    case ExitCode::kInternal: return "internal_error";
    case ExitCode::kUsage: return "usage_error";
    case ExitCode::kFinishedWithWarning: return "finished_with_warning";
    case ExitCode::kFailed: return "failed";
    case ExitCode::kCancelled: return "cancelled";
    case ExitCode::kTimedOut: return "timed_out";
    case ExitCode::kConnection: return "connection_error";
    case ExitCode::kAuth: return "authentication_error";
    case ExitCode::kServerError: return "server_error";
    case ExitCode::kRejected: return "rejected";
    case ExitCode::kSigInt: return "interrupted_sigint";
    case ExitCode::kSigTerm: return "interrupted_sigterm";
  }
  return "internal_error";
}

}  // namespace causeway::client
