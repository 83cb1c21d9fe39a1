#include "core/error.h"

namespace causeway::core {

int HttpStatusOf(Code code) {
  switch (code) {
    case Code::kBadRequest: return 400;
    case Code::kUnauthorized: return 401;
    case Code::kForbidden: return 403;
    case Code::kNotFound: return 404;
    case Code::kMethodNotAllowed: return 405;
    case Code::kConflict: return 409;
    case Code::kPreconditionFailed: return 412;
    case Code::kPayloadTooLarge: return 413;
    case Code::kPreconditionRequired: return 428;
    case Code::kInternal: return 500;
    case Code::kNotImplemented: return 501;
    case Code::kUnavailable: return 503;
  }
  return 500;
}

const char* SeverityName(Severity s) {
  switch (s) {
    case Severity::kError: return "error";
    case Severity::kWarning: return "warning";
    case Severity::kInfo: return "info";
    case Severity::kSuccess: return "success";
  }
  return "error";
}

std::string Error::GatewayCode() const {
  if (message_number.empty()) return message_class;
  return message_class + "/" + message_number;
}

std::string SubstituteMessageVars(std::string_view text, const std::vector<std::string>& vars) {
  std::string out;
  out.reserve(text.size() + 32);
  size_t next_positional = 0;
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] != '&') {
      out += text[i];
      continue;
    }
    if (i + 1 < text.size() && text[i + 1] >= '1' && text[i + 1] <= '4') {
      size_t idx = static_cast<size_t>(text[i + 1] - '1');
      if (idx < vars.size()) out += vars[idx];
      ++i;
    } else if (next_positional < vars.size()) {
      out += vars[next_positional++];
    } else {
      out += '&';
    }
  }
  return out;
}

Error MakeError(Code code, std::string message_class, std::string number, std::string text,
                std::initializer_list<std::string> vars) {
  Error e;
  e.code = code;
  e.message_class = std::move(message_class);
  e.message_number = std::move(number);
  e.text = vars.size() ? SubstituteMessageVars(text, std::vector<std::string>(vars)) : std::move(text);
  return e;
}

}  // namespace causeway::core
