#include "odata/multipart.h"

#include "core/ascii.h"
#include "odata/errors.h"

namespace causeway::odata {
namespace {

core::Error Framing(std::string_view why) { return BatchError(core::Code::kBadRequest, std::string("Invalid $batch body: ") + std::string(why)); }

// Reads one line (without its CR/LF) starting at *pos; advances past the line end.
std::string_view ReadLine(std::string_view s, size_t* pos) {
  size_t start = *pos;
  size_t nl = s.find('\n', start);
  if (nl == std::string_view::npos) {
    *pos = s.size();
    return s.substr(start);
  }
  *pos = nl + 1;
  std::string_view line = s.substr(start, nl - start);
  if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
  return line;
}

// Parses header lines until an empty line; returns false if the input ends first.
bool ReadHeaders(std::string_view s, size_t* pos, http::Headers* headers) {
  while (*pos < s.size()) {
    std::string_view line = ReadLine(s, pos);
    if (line.empty()) return true;
    size_t colon = line.find(':');
    if (colon == std::string_view::npos || colon == 0) return false;
    headers->Add(std::string(core::Trim(line.substr(0, colon))), std::string(core::Trim(line.substr(colon + 1))));
    if (headers->size() > 100) return false;
  }
  return false;
}

}  // namespace

std::optional<std::string> BoundaryOf(std::string_view content_type) {
  size_t semi = content_type.find(';');
  while (semi != std::string_view::npos) {
    size_t next = content_type.find(';', semi + 1);
    std::string_view param = core::Trim(content_type.substr(semi + 1, next == std::string_view::npos ? std::string_view::npos : next - semi - 1));
    if (core::IStartsWith(param, "boundary=")) {
      std::string_view b = param.substr(9);
      if (b.size() >= 2 && b.front() == '"' && b.back() == '"') b = b.substr(1, b.size() - 2);
      if (b.empty() || b.size() > 70) return std::nullopt;
      return std::string(b);
    }
    semi = next;
  }
  return std::nullopt;
}

core::Result<std::vector<MimePart>> ParseMultipart(std::string_view body, std::string_view boundary, size_t max_parts) {
  std::string delim = "--" + std::string(boundary);
  std::vector<MimePart> parts;
  // Find the first delimiter at a line start.
  size_t pos = 0;
  while (true) {
    if (pos >= body.size()) return Framing("missing boundary delimiter");
    size_t line_start = pos;
    std::string_view line = ReadLine(body, &pos);
    if (line.substr(0, delim.size()) == delim) {
      std::string_view rest = line.substr(delim.size());
      if (rest.substr(0, 2) == "--") return parts;  // empty multipart
      pos = line_start;
      ReadLine(body, &pos);
      break;
    }
  }
  while (true) {
    // The part runs until the next "\n--boundary" (the CRLF before it belongs to the delimiter).
    size_t search = pos;
    size_t next = std::string_view::npos;
    while (true) {
      size_t hit = body.find(delim, search);
      if (hit == std::string_view::npos) break;
      if (hit == pos || body[hit - 1] == '\n') {
        next = hit;
        break;
      }
      search = hit + 1;
    }
    if (next == std::string_view::npos) return Framing("missing closing delimiter");
    size_t end = next;
    if (end > pos && body[end - 1] == '\n') --end;
    if (end > pos && body[end - 1] == '\r') --end;
    std::string_view raw = body.substr(pos, end > pos ? end - pos : 0);
    MimePart part;
    size_t p = 0;
    if (!ReadHeaders(raw, &p, &part.headers)) return Framing("part without header/body separator");
    part.body = std::string(raw.substr(p));
    parts.push_back(std::move(part));
    if (parts.size() > max_parts) return BatchError(core::Code::kBadRequest, "Too many parts in $batch request");
    pos = next + delim.size();
    if (body.substr(pos, 2) == "--") return parts;
    ReadLine(body, &pos);  // rest of the delimiter line (transport padding)
    if (pos >= body.size()) return Framing("missing closing delimiter");
  }
}

core::Result<EmbeddedRequest> ParseEmbeddedRequest(std::string_view text) {
  EmbeddedRequest r;
  size_t pos = 0;
  std::string_view line;
  do {  // tolerate blank lines before the request line
    if (pos >= text.size()) return Framing("empty request part");
    line = ReadLine(text, &pos);
  } while (line.empty());
  size_t sp1 = line.find(' ');
  size_t sp2 = line.rfind(' ');
  if (sp1 == std::string_view::npos || sp2 == sp1) return Framing("bad request line");
  r.method = std::string(line.substr(0, sp1));
  r.target = std::string(core::Trim(line.substr(sp1 + 1, sp2 - sp1 - 1)));
  std::string_view version = line.substr(sp2 + 1);
  if (version != "HTTP/1.1" && version != "HTTP/1.0") return Framing("bad HTTP version in request line");
  if (!ReadHeaders(text, &pos, &r.headers)) return Framing("request part without blank line after headers");
  r.body = std::string(text.substr(pos));
  // The blank line that ends a part's (possibly empty) body is framing, not content.
  while (!r.body.empty() && (r.body.back() == '\n' || r.body.back() == '\r')) r.body.pop_back();
  return r;
}

std::string WriteEmbeddedResponse(const http::Response& r) {
  std::string out = "HTTP/1.1 ";
  out += std::to_string(r.status);
  out += ' ';
  out += http::ReasonPhrase(r.status);
  out += "\r\n";
  for (const auto& [k, v] : r.headers.items()) {
    out += core::ToLower(k);
    out += ": ";
    out += v;
    out += "\r\n";
  }
  out += "content-length: ";
  out += std::to_string(r.body_view().size());
  out += "\r\n\r\n";
  out += r.body_view();
  return out;
}

}  // namespace causeway::odata
