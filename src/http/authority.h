// The authority a request was addressed to (the Host field, RFC 9110 §7.2) and the base URL
// Causeway writes into what it sends back: OData's xml:base and entity ids, a WSDL's service
// address, the document links pushed to external tools.
#pragma once

#include <string>
#include <string_view>

#include "http/message.h"

namespace causeway::http {

// True if `value` is a Host field value RFC 9112 §3.2 lets a server accept: uri-host [":" port]
// (RFC 3986 §3.2.2: a bracketed IP literal, an IPv4 address or a reg-name of unreserved
// characters, percent-escapes and sub-delims), or empty (a target without authority). Names
// with underscores (container service names) and a trailing dot pass; quotes, angle brackets,
// spaces, slashes, user info and a port that is not digits do not.
bool IsValidHostField(std::string_view value);

// A request whose Host fields a server must answer 400 (RFC 9112 §3.2): more than one, or a
// value IsValidHostField refuses. A missing Host is accepted (HTTP/1.0 clients, tools).
bool HasInvalidHost(const Headers& headers);

// The host of an Origin ("scheme://host[:port]") or a Host field ("host[:port]"), lower case,
// without the port (a bracketed IPv6 literal keeps its brackets).
std::string HostNameOf(std::string_view origin_or_authority);

// `[server] public_host` split: "host[:port]" keeps the connection's scheme; a leading
// "http://" or "https://" fixes it (a TLS-terminating proxy in front of a plain listener).
struct PublicHost {
  std::string scheme;  // "http", "https", or "" = the connection's
  std::string host;    // host[:port], or "" = the request's Host field
};

// Parses `[server] public_host`. False (and `why`) for another scheme, a path, or a host that
// IsValidHostField refuses.
bool ParsePublicHost(std::string_view text, PublicHost& out, std::string& why);

// "scheme://host[:port]" for absolute URLs in answers to `req`: the configured public host where
// set, else the request's Host field ("localhost" without one or with an empty one); the
// configured scheme, else https on a TLS connection and http otherwise.
std::string BaseUrl(const Request& req, const PublicHost& public_host);

}  // namespace causeway::http
