// The one canonical error type. Every layer returns it; each wire format (Gateway OData error,
// SOAP fault, REST problem JSON) maps it in exactly one place. See docs/errors.md.
#pragma once

#include <string>
#include <vector>

namespace causeway::core {

// What went wrong, independent of protocol. The HTTP status for each code is fixed in
// HttpStatusOf(); update docs/errors.md when adding one.
enum class Code {
  kBadRequest,            // 400: malformed input, bad literal, business rule (APJ_RT/...)
  kUnauthorized,          // 401
  kForbidden,             // 403
  kNotFound,              // 404
  kMethodNotAllowed,      // 405
  kConflict,              // 409
  kPreconditionFailed,    // 412 (ETag mismatch)
  kPayloadTooLarge,       // 413
  kPreconditionRequired,  // 428
  kInternal,              // 500
  kNotImplemented,        // 501
  kUnavailable,           // 503
};

int HttpStatusOf(Code code);

enum class Severity { kError, kWarning, kInfo, kSuccess };
const char* SeverityName(Severity s);  // "error", "warning", "info", "success"

struct ErrorDetail {
  std::string code;  // "<class>/<number>", e.g. "APJ_RT/003"
  std::string message;
  std::string target;
  Severity severity = Severity::kError;
};

struct Error {
  Code code = Code::kInternal;
  std::string message_class;   // e.g. "APJ_RT", "/IWBEP/CM_MGW_RT"
  std::string message_number;  // three digits, e.g. "003"
  std::string text;            // human-readable, already with &1.. substituted
  std::string target;          // property or parameter the error is about, may be empty
  std::vector<ErrorDetail> details;

  // "<class>/<number>", or just the class if there is no number.
  std::string GatewayCode() const;
  int HttpStatus() const { return HttpStatusOf(code); }
};

// Builds an error; `text` may contain &1..&4 which are replaced by the variables in order.
Error MakeError(Code code, std::string message_class, std::string number, std::string text,
                std::initializer_list<std::string> vars = {});

// Substitutes SAP message variables &1..&4 (and a bare & in order) in `text`.
std::string SubstituteMessageVars(std::string_view text, const std::vector<std::string>& vars);

}  // namespace causeway::core
