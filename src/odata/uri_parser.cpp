#include "odata/uri_parser.h"

#include "core/url.h"
#include "odata/errors.h"

namespace causeway::odata {
namespace {

bool IsIdentifierStart(char c) { return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '_'; }
bool IsIdentifierChar(char c) { return IsIdentifierStart(c) || (c >= '0' && c <= '9'); }

bool IsIdentifier(std::string_view s) {
  if (s.empty() || !IsIdentifierStart(s[0])) return false;
  for (char c : s)
    if (!IsIdentifierChar(c)) return false;
  return true;
}

core::Error BadSegment(std::string_view seg) {
  return BadRequest("Invalid URI segment '&1'", {std::string(seg.substr(0, 200))});
}

}  // namespace


core::Result<std::vector<KeyTerm>> ParseKeyPredicate(std::string_view inner) {
  std::vector<KeyTerm> terms;
  if (inner.empty()) return terms;
  size_t i = 0;
  while (true) {
    // One term: [Name=]literal, where the literal may contain quoted text with ',' or ')'.
    size_t start = i;
    bool in_quote = false;
    while (i < inner.size()) {
      char c = inner[i];
      if (c == '\'') {
        in_quote = !in_quote;  // a doubled quote toggles twice: still inside
      } else if (c == ',' && !in_quote) {
        break;
      }
      ++i;
    }
    if (in_quote) return BadRequest("Invalid key predicate '&1': unterminated string", {std::string(inner.substr(0, 200))});
    std::string_view term = inner.substr(start, i - start);
    KeyTerm kt;
    size_t eq = term.find('=');
    size_t quote = term.find('\'');
    if (eq != std::string_view::npos && (quote == std::string_view::npos || eq < quote)) {
      kt.name = std::string(term.substr(0, eq));
      if (!IsIdentifier(kt.name)) return BadRequest("Invalid key predicate '&1'", {std::string(inner.substr(0, 200))});
      term.remove_prefix(eq + 1);
    }
    if (term.empty()) return BadRequest("Invalid key predicate '&1'", {std::string(inner.substr(0, 200))});
    kt.literal = std::string(term);
    terms.push_back(std::move(kt));
    if (i >= inner.size()) break;
    ++i;  // skip ','
    if (i >= inner.size()) return BadRequest("Invalid key predicate '&1'", {std::string(inner.substr(0, 200))});
  }
  if (terms.size() > 1)
    for (const auto& t : terms)
      if (t.name.empty()) return BadRequest("Invalid key predicate: composite keys need Name=value terms");
  return terms;
}

core::Result<ParsedPath> ParseResourcePath(std::string_view raw) {
  ParsedPath p;
  if (!raw.empty() && raw.back() == '/') raw.remove_suffix(1);
  if (raw.empty()) return p;
  if (raw == "$metadata") {
    p.kind = ParsedPath::Kind::kMetadata;
    return p;
  }
  if (raw == "$batch") {
    p.kind = ParsedPath::Kind::kBatch;
    return p;
  }
  p.kind = ParsedPath::Kind::kResource;
  size_t pos = 0;
  while (pos <= raw.size()) {
    size_t slash = raw.find('/', pos);
    if (slash == std::string_view::npos) slash = raw.size();
    std::string_view enc = raw.substr(pos, slash - pos);
    std::string seg;
    // Segments are split on the raw '/', then decoded, so "%2F" inside a key stays data.
    if (enc.empty() || !core::PercentDecode(enc, false, &seg)) return BadSegment(enc);
    PathSegment ps;
    size_t paren = seg.find('(');
    if (paren == std::string::npos) {
      ps.name = seg;
    } else {
      if (seg.back() != ')') return BadSegment(seg);
      ps.name = seg.substr(0, paren);
      ps.has_parens = true;
      CW_ASSIGN_OR_RETURN(ps.key, ParseKeyPredicate(std::string_view(seg).substr(paren + 1, seg.size() - paren - 2)));
    }
    bool special = ps.name == "$count" || ps.name == "$value" || ps.name == "$links";
    if (!special && !IsIdentifier(ps.name)) return BadSegment(seg);
    if (special && ps.has_parens) return BadSegment(seg);
    p.segments.push_back(std::move(ps));
    if (p.segments.size() > 16) return BadRequest("Resource path has too many segments");
    pos = slash + 1;
    if (slash == raw.size()) break;
  }
  return p;
}

core::Result<std::vector<QueryParam>> ParseQueryString(std::string_view raw) {
  std::vector<QueryParam> out;
  size_t pos = 0;
  while (pos <= raw.size()) {
    size_t amp = raw.find('&', pos);
    if (amp == std::string_view::npos) amp = raw.size();
    std::string_view item = raw.substr(pos, amp - pos);
    if (!item.empty()) {
      size_t eq = item.find('=');
      QueryParam qp;
      std::string_view n = item.substr(0, eq), v = eq == std::string_view::npos ? std::string_view() : item.substr(eq + 1);
      if (!core::PercentDecode(n, true, &qp.name) || !core::PercentDecode(v, true, &qp.value))
        return BadRequest("Invalid percent-encoding in query option '&1'", {std::string(n.substr(0, 100))});
      out.push_back(std::move(qp));
    }
    if (amp == raw.size()) break;
    pos = amp + 1;
  }
  return out;
}

}  // namespace causeway::odata
