#include "http/authority.h"

#include "core/ascii.h"

namespace causeway::http {
namespace {

bool IsAlnum(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'); }
bool IsUnreservedOrSubDelim(char c) {
  if (IsAlnum(c)) return true;
  switch (c) {
    case '-': case '.': case '_': case '~':                                   // unreserved
    case '!': case '$': case '&': case '\'': case '(': case ')': case '*':
    case '+': case ',': case ';': case '=':                                   // sub-delims
      return true;
    default:
      return false;
  }
}

// reg-name or IPv4address: unreserved, pct-encoded, sub-delims.
bool IsRegName(std::string_view s) {
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '%') {
      if (i + 2 >= s.size() || core::HexDigitValue(s[i + 1]) < 0 || core::HexDigitValue(s[i + 2]) < 0) return false;
      i += 2;
    } else if (!IsUnreservedOrSubDelim(s[i])) {
      return false;
    }
  }
  return true;
}

// Between the brackets of an IP literal: IPv6 (hex digits, colons, a dotted IPv4 tail, a zone
// as "%25" and a name, RFC 6874) or IPvFuture ("v" hex "." unreserved / sub-delims / ":").
// Checked by characters, not grammar: enough to keep out anything that would break out of a
// URL or a markup attribute.
bool IsIpLiteralBody(std::string_view s) {
  if (s.empty()) return false;
  for (char c : s)
    if (!IsUnreservedOrSubDelim(c) && c != ':' && c != '%') return false;
  return true;
}

bool IsPort(std::string_view s) {
  for (char c : s)
    if (c < '0' || c > '9') return false;
  return true;
}

}  // namespace

bool IsValidHostField(std::string_view v) {
  if (v.empty()) return true;
  std::string_view host = v;
  std::string_view port;
  if (v.front() == '[') {
    size_t close = v.find(']');
    if (close == std::string_view::npos || !IsIpLiteralBody(v.substr(1, close - 1))) return false;
    host = v.substr(0, close + 1);
    std::string_view rest = v.substr(close + 1);
    if (!rest.empty()) {
      if (rest.front() != ':') return false;
      port = rest.substr(1);
    }
    return IsPort(port);
  }
  if (size_t colon = v.find(':'); colon != std::string_view::npos) {
    host = v.substr(0, colon);
    port = v.substr(colon + 1);
  }
  return !host.empty() && IsRegName(host) && IsPort(port);
}

bool HasInvalidHost(const Headers& headers) {
  int seen = 0;
  for (const auto& [name, value] : headers.items()) {
    if (!core::IEquals(name, "host")) continue;
    if (++seen > 1 || !IsValidHostField(value)) return true;
  }
  return false;
}

std::string HostNameOf(std::string_view s) {
  if (size_t scheme = s.find("://"); scheme != std::string_view::npos) s.remove_prefix(scheme + 3);
  s = s.substr(0, s.find('/'));
  if (!s.empty() && s.front() == '[') return core::ToLower(s.substr(0, s.find(']') + 1));
  return core::ToLower(s.substr(0, s.find(':')));
}

bool ParsePublicHost(std::string_view text, PublicHost& out, std::string& why) {
  out = {};
  std::string_view host = text;
  if (size_t sep = text.find("://"); sep != std::string_view::npos) {
    std::string_view scheme = text.substr(0, sep);
    if (!core::IEquals(scheme, "http") && !core::IEquals(scheme, "https")) {
      why = "the scheme must be http or https";
      return false;
    }
    out.scheme = core::ToLower(scheme);
    host = text.substr(sep + 3);
    if (!host.empty() && host.back() == '/') host.remove_suffix(1);
    if (host.empty()) {
      why = "a host must follow " + out.scheme + "://";
      return false;
    }
  }
  if (host.find('/') != std::string_view::npos) {
    why = "a host[:port] without a path";
    return false;
  }
  // A Host field may carry any digits (we accept what clients send); a URL we write may not.
  std::string_view port;
  if (size_t colon = host.rfind(':');
      colon != std::string_view::npos && host.find(']', colon) == std::string_view::npos)
    port = host.substr(colon + 1);
  if (!IsValidHostField(host) || port.size() > 5 ||
      (!port.empty() && (std::stoi(std::string(port)) < 1 || std::stoi(std::string(port)) > 65535))) {
    why = "'" + std::string(host) + "' is not a host[:port]";
    return false;
  }
  out.host = std::string(host);
  return true;
}

std::string BaseUrl(const Request& req, const PublicHost& public_host) {
  std::string_view host = public_host.host;
  if (host.empty()) {
    auto field = req.headers.Get("host");
    host = field && !field->empty() ? *field : std::string_view("localhost");
  }
  std::string_view scheme = !public_host.scheme.empty() ? std::string_view(public_host.scheme)
                            : req.tls                    ? std::string_view("https")
                                                         : std::string_view("http");
  std::string url;
  url.reserve(scheme.size() + 3 + host.size());
  url.append(scheme).append("://").append(host);
  return url;
}

}  // namespace causeway::http
