#include "exchange/destination.h"

#include <unistd.h>

#include <algorithm>
#include <filesystem>

#include "core/ascii.h"

namespace causeway::exchange {

namespace {

core::Error FieldError(std::string field, std::string text) {
  core::Error e = core::MakeError(core::Code::kBadRequest, "CAUSEWAY/EXCHANGE", "001",
                                  "Destination " + field + ": " + text);
  e.target = std::move(field);
  return e;
}

core::Error PathError(std::string text) {
  core::Error e = core::MakeError(core::Code::kBadRequest, "CAUSEWAY/EXCHANGE", "002", std::move(text));
  e.target = "path";
  return e;
}

bool IsNameChar(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
         c == '.' || c == '-';
}

// Space, controls and DEL never belong in a URL; every other byte is the server's business.
bool HasBadUrlChar(std::string_view s) {
  return std::any_of(s.begin(), s.end(), [](char c) {
    auto u = static_cast<unsigned char>(c);
    return u <= 0x20 || u == 0x7f;
  });
}

// Checks "http(s)://authority[/path]" and returns what is wrong, or "" when it is fine.
std::string BaseUrlProblem(std::string_view url) {
  if (url.empty()) return "is empty";
  if (HasBadUrlChar(url)) return "contains a space or control character";
  size_t scheme_end = url.find("://");
  if (scheme_end == std::string_view::npos) return "must start with http:// or https://";
  std::string_view scheme = url.substr(0, scheme_end);
  if (!core::IEquals(scheme, "http") && !core::IEquals(scheme, "https")) {
    return "scheme must be http or https";
  }
  std::string_view rest = url.substr(scheme_end + 3);
  if (rest.find_first_of("?#") != std::string_view::npos) return "must not contain a query or fragment";
  std::string_view authority = rest.substr(0, rest.find('/'));
  if (authority.find('@') != std::string_view::npos) {
    return "must not contain credentials (use user and password)";
  }
  std::string_view host = authority;
  std::string_view port;
  if (authority.starts_with('[')) {  // IPv6 literal
    size_t close = authority.find(']');
    if (close == std::string_view::npos) return "has an unclosed IPv6 address";
    host = authority.substr(0, close + 1);
    std::string_view after = authority.substr(close + 1);
    if (!after.empty()) {
      if (after[0] != ':') return "has garbage after the IPv6 address";
      port = after.substr(1);
      if (port.empty()) return "has an empty port";
    }
  } else if (size_t colon = authority.rfind(':'); colon != std::string_view::npos) {
    host = authority.substr(0, colon);
    port = authority.substr(colon + 1);
    if (port.empty()) return "has an empty port";
  }
  if (host.empty() || host == "[]") return "has no host";
  if (!port.empty()) {
    if (port.size() > 5 || !std::all_of(port.begin(), port.end(), [](char c) { return c >= '0' && c <= '9'; })) {
      return "has a port that is not a number";
    }
    int n = std::stoi(std::string(port));
    if (n < 1 || n > 65535) return "has a port outside 1-65535";
  }
  return "";
}

std::string FileProblem(const std::string& path) {
  std::error_code ec;
  if (!std::filesystem::is_regular_file(path, ec)) return "is not a file: " + path;
  if (::access(path.c_str(), R_OK) != 0) return "is not readable: " + path;
  return "";
}

// Header fields the client sets itself from other settings; a destination setting them would
// either break the framing or put credentials where they are shown (headers are not secret).
bool IsReservedHeader(std::string_view name) {
  static constexpr std::string_view kReserved[] = {"authorization", "proxy-authorization", "host",
                                                   "content-length", "transfer-encoding", "connection",
                                                   "expect", "te", "upgrade", "cookie"};
  return std::any_of(std::begin(kReserved), std::end(kReserved),
                     [&](std::string_view r) { return core::IEquals(r, name); });
}

}  // namespace

core::Status ValidateDestination(const Destination& d) {
  if (d.name.empty() || d.name.size() > 64 || !std::all_of(d.name.begin(), d.name.end(), IsNameChar)) {
    return FieldError("name", "must be 1-64 characters of A-Z a-z 0-9 _ . -");
  }
  if (std::string problem = BaseUrlProblem(d.base_url); !problem.empty()) {
    return FieldError("base_url", problem);
  }
  if (d.user.find(':') != std::string::npos) return FieldError("user", "must not contain ':' (Basic)");
  if (!IsHeaderValue(d.user)) return FieldError("user", "contains a line break");
  if (d.user.empty() && !d.password.empty()) return FieldError("password", "is set without a user");
  if (!IsHeaderValue(d.password.Reveal())) return FieldError("password", "contains a line break");
  if (!d.ca_file.empty()) {
    if (std::string problem = FileProblem(d.ca_file); !problem.empty()) return FieldError("ca_file", problem);
  }
  if (!d.client_cert.empty()) {
    if (std::string problem = FileProblem(d.client_cert); !problem.empty()) {
      return FieldError("client_cert", problem);
    }
  }
  if (!d.client_key.empty()) {
    if (d.client_cert.empty()) return FieldError("client_key", "is set without client_cert");
    if (std::string problem = FileProblem(d.client_key); !problem.empty()) {
      return FieldError("client_key", problem);
    }
  }
  if (d.connect_timeout.count() <= 0) return FieldError("connect_timeout", "must be positive");
  if (d.total_timeout.count() <= 0) return FieldError("total_timeout", "must be positive");
  if (d.connect_timeout > d.total_timeout) {
    return FieldError("connect_timeout", "must not exceed total_timeout");
  }
  if (d.max_concurrent < 1 || d.max_concurrent > 4096) {
    return FieldError("max_concurrent", "must lie between 1 and 4096");
  }
  for (const auto& [name, value] : d.headers) {
    if (!IsHeaderName(name)) return FieldError("headers", "'" + name + "' is not a valid header name");
    if (IsReservedHeader(name)) {
      return FieldError("headers." + name,
                        "is set by the client itself (credentials go in user and password)");
    }
    if (!IsHeaderValue(value)) return FieldError("headers." + name, "contains a line break");
  }
  if (d.follow_redirects && (d.max_redirects < 1 || d.max_redirects > 20)) {
    return FieldError("max_redirects", "must lie between 1 and 20");
  }
  if (d.max_answer_bytes < 1 || d.max_answer_bytes > (size_t{1} << 30)) {
    return FieldError("max_answer_bytes", "must lie between 1 and 1 GiB");
  }
  if (!d.idempotency_header.empty() &&
      (!IsHeaderName(d.idempotency_header) || IsReservedHeader(d.idempotency_header))) {
    return FieldError("idempotency_header", "is not a usable header name");
  }
  return ValidateBackoffPolicy(d.retry);
}

core::Result<std::string> JoinUrl(std::string_view base_url, std::string_view path) {
  if (HasBadUrlChar(path)) return PathError("Request path contains a space or control character");
  if (path.find('#') != std::string_view::npos) return PathError("Request path must not contain a fragment");
  if (path.starts_with("//")) return PathError("Request path must be relative to the destination, not //host");
  // "scheme:" (a letter, then letters, digits, + - .) starts an absolute URL; a colon after
  // anything else is data, as in OData keys: JobSet('A:B').
  size_t colon = path.find(':');
  if (colon != std::string_view::npos && colon > 0 && core::AsciiLower(path[0]) >= 'a' &&
      core::AsciiLower(path[0]) <= 'z' &&
      std::all_of(path.begin(), path.begin() + static_cast<std::ptrdiff_t>(colon), [](char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '+' ||
               c == '-' || c == '.';
      })) {
    return PathError("Request path must be relative to the destination, not an absolute URL");
  }
  std::string url(base_url);
  if (path.empty()) return url;
  if (path.starts_with('?')) {
    url.append(path);
    return url;
  }
  while (!url.empty() && url.back() == '/' && url.size() > url.find("://") + 3) url.pop_back();
  path.remove_prefix(path.starts_with('/') ? 1 : 0);
  url += '/';
  url.append(path);
  return url;
}

}  // namespace causeway::exchange
