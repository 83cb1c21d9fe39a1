#include "http/sap_path.h"

#include <charconv>
#include <vector>

#include "core/ascii.h"
#include "core/url.h"

namespace causeway::http {
namespace {

constexpr std::string_view kPrefix = "/sap/opu/odata/";
// ICF's alias without /sap, as the Focused Build guide writes its service URL.
constexpr std::string_view kShortPrefix = "/opu/odata/";

bool ParseVersion(std::string_view v, int* out) {
  if (v.empty() || v.size() > 4) return false;
  int n = 0;
  auto [p, ec] = std::from_chars(v.data(), v.data() + v.size(), n);
  if (ec != std::errc() || p != v.data() + v.size() || n <= 0) return false;
  *out = n;
  return true;
}

std::string DecodedOption(std::string_view value) {
  std::string out;
  return core::PercentDecode(value, /*plus_is_space=*/true, &out) ? out : std::string(value);
}

// Removes the SAP options from a raw query and records them. Names compare case-insensitively
// (ICF treats form fields so).
std::string FilterQuery(std::string_view query, SapODataPath* out) {
  std::string kept;
  while (!query.empty()) {
    size_t amp = query.find('&');
    std::string_view item = query.substr(0, amp);
    query = amp == std::string_view::npos ? std::string_view() : query.substr(amp + 1);
    if (item.empty()) continue;
    size_t eq = item.find('=');
    std::string_view name = item.substr(0, eq);
    std::string_view value = eq == std::string_view::npos ? std::string_view() : item.substr(eq + 1);
    if (core::IEquals(name, "sap-client")) {
      out->sap_client = DecodedOption(value);
      continue;
    }
    if (core::IEquals(name, "sap-language")) {
      out->sap_language = DecodedOption(value);
      continue;
    }
    if (core::IEquals(name, "saml2")) continue;
    if (name == "v") {
      int v;
      if (ParseVersion(value, &v)) {
        out->version = v;
        continue;
      }
    }
    if (!kept.empty()) kept += '&';
    kept.append(item);
  }
  return kept;
}

}  // namespace

std::optional<SapODataPath> ParseSapODataPath(std::string_view target) {
  std::string_view prefix = core::IStartsWith(target, kPrefix)        ? kPrefix
                            : core::IStartsWith(target, kShortPrefix) ? kShortPrefix
                                                                      : std::string_view();
  if (prefix.empty()) return std::nullopt;
  std::string_view rest = target.substr(prefix.size());
  SapODataPath out;
  bool explicit_version = false;
  std::string_view matrix_version;  // ";v=…" as sent

  size_t slash = rest.find('/');
  size_t q = rest.find('?');
  if (slash == std::string_view::npos || (q != std::string_view::npos && q < slash)) return std::nullopt;
  out.namespace_segment = std::string(rest.substr(0, slash));
  rest = rest.substr(slash + 1);

  // Service segment: up to '/', '?' or end; matrix parameters after ';'.
  size_t end = core::FindAny(rest, "/?");
  std::string_view segment = rest.substr(0, end);
  rest = end == std::string_view::npos ? std::string_view() : rest.substr(end);
  size_t semi = segment.find(';');
  out.service = std::string(segment.substr(0, semi));
  if (out.service.empty()) return std::nullopt;
  while (semi != std::string_view::npos) {
    segment = segment.substr(semi + 1);
    semi = segment.find(';');
    std::string_view param = segment.substr(0, semi);
    if (param.size() > 2 && (param[0] == 'v' || param[0] == 'V') && param[1] == '=') {
      int v;
      if (ParseVersion(param.substr(2), &v)) {
        out.version = v;
        explicit_version = true;
        matrix_version = param.substr(2);
      }
    }
  }

  std::string_view resource;
  std::string_view query;
  if (!rest.empty() && rest[0] == '?' && rest.size() > 3 && rest.substr(1, 2) == "v=" &&
      rest.find('/') != std::string_view::npos &&
      (rest.find('&') == std::string_view::npos || rest.find('/') < rest.find('&'))) {
    // "?v=2/JobSchedule/?JobTemplateName=..." : the resource hides in the query string.
    std::string_view inner = rest.substr(3);
    size_t s = inner.find('/');
    int v;
    if (ParseVersion(inner.substr(0, s), &v)) {
      out.version = v;
      explicit_version = true;
    }
    inner = inner.substr(s + 1);
    size_t iq = inner.find('?');
    resource = inner.substr(0, iq);
    query = iq == std::string_view::npos ? std::string_view() : inner.substr(iq + 1);
  } else {
    size_t rq = rest.find('?');
    std::string_view path = rest.substr(0, rq);
    query = rq == std::string_view::npos ? std::string_view() : rest.substr(rq + 1);
    if (!path.empty() && path[0] == '/') path.remove_prefix(1);
    resource = path;
  }
  // Tolerate the trailing '/' clients put after a resource ("JobSchedule/?...").
  while (!resource.empty() && resource.back() == '/') resource.remove_suffix(1);
  out.resource_path = std::string(resource);
  // "%24metadata", "%24batch": clients that encode every '$' mean the same resources.
  if (core::IStartsWith(out.resource_path, "%24")) out.resource_path = "$" + out.resource_path.substr(3);
  const int version_before_query = out.version;
  out.query = FilterQuery(query, &out);
  explicit_version = explicit_version || out.version != version_before_query;

  // The root as the client addressed it: a service addressed without a version (version 1)
  // has no ";v=" in its ids, as Gateway writes them.
  out.root_path = std::string(prefix) + out.namespace_segment + "/" + out.service;
  // A matrix version keeps its spelling (";v=2" stays ";v=2": the ids and xml:base a client
  // compares with its own URLs); one given as a query option is written as Gateway's four digits.
  if (!matrix_version.empty() && out.version == version_before_query) {
    out.root_path += ";v=";
    out.root_path += matrix_version;
  } else if (explicit_version || out.version != 1) {
    char vbuf[8];
    std::snprintf(vbuf, sizeof vbuf, "%04d", out.version);
    out.root_path += std::string(";v=") + vbuf;
  }
  out.root_path += "/";
  return out;
}

SapUrlOptions SapUrlOptionsOf(std::string_view target) {
  SapUrlOptions out;
  size_t q = target.find('?');
  if (q == std::string_view::npos) return out;
  SapODataPath options;
  (void)FilterQuery(target.substr(q + 1), &options);
  out.sap_client = std::move(options.sap_client);
  out.sap_language = std::move(options.sap_language);
  return out;
}

}  // namespace causeway::http
