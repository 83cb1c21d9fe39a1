#include "client/error_body.h"
#include "client/xml_names.h"

#include <boost/json.hpp>
#include <pugixml.hpp>

#include "core/ascii.h"
#include "core/utf8.h"

namespace causeway::client {

namespace json = boost::json;

namespace {

std::string CollapseSpace(std::string_view s, size_t max_len) {
  std::string out;
  bool space = false;
  for (char c : s) {
    if (c == ' ' || c == '\n' || c == '\r' || c == '\t') {
      space = !out.empty();
      continue;
    }
    if (space) out += ' ';
    space = false;
    out += c;
    if (out.size() >= max_len) break;
  }
  return out;
}

std::optional<GatewayError> FromJson(std::string_view body) {
  boost::system::error_code ec;
  json::value doc = json::parse(body, ec);
  if (ec || !doc.is_object()) return std::nullopt;
  const json::value* err = doc.as_object().if_contains("error");
  if (err == nullptr || !err->is_object()) return std::nullopt;
  const json::object& e = err->as_object();
  GatewayError out;
  if (const json::value* code = e.if_contains("code"); code && code->is_string()) {
    out.code = std::string(code->as_string());
  }
  if (const json::value* msg = e.if_contains("message")) {
    if (msg->is_string()) {
      out.message = std::string(msg->as_string());
    } else if (msg->is_object()) {
      if (const json::value* v = msg->as_object().if_contains("value"); v && v->is_string()) {
        out.message = std::string(v->as_string());
      }
    }
  }
  if (out.code.empty() && out.message.empty()) return std::nullopt;
  return out;
}

std::optional<GatewayError> FromXml(std::string_view body) {
  pugi::xml_document doc;
  if (!doc.load_buffer(body.data(), body.size())) return std::nullopt;
  pugi::xml_node root = doc.document_element();
  if (LocalName(root.name()) != "error") return std::nullopt;
  GatewayError out;
  out.code = ChildByLocalName(root, "code").child_value();
  out.message = ChildByLocalName(root, "message").child_value();
  if (out.code.empty() && out.message.empty()) return std::nullopt;
  return out;
}

}  // namespace

std::string_view SkipBomAndSpace(std::string_view body) {
  body = core::WithoutUtf8Bom(body);
  while (!body.empty() && (body.front() == ' ' || body.front() == '\n' || body.front() == '\r' ||
                           body.front() == '\t')) {
    body.remove_prefix(1);
  }
  return body;
}

std::optional<GatewayError> ParseGatewayError(std::string_view body) {
  std::string_view trimmed = SkipBomAndSpace(body);
  if (trimmed.empty()) return std::nullopt;
  if (trimmed.front() == '{') return FromJson(trimmed);
  if (trimmed.front() == '<') return FromXml(trimmed);
  return std::nullopt;
}

bool IsHtmlResponse(std::string_view body, std::string_view content_type) {
  if (core::ToLower(content_type).find("text/html") != std::string::npos) return true;
  std::string head = core::ToLower(SkipBomAndSpace(body).substr(0, 64));
  return head.rfind("<!doctype html", 0) == 0 || head.rfind("<html", 0) == 0;
}

std::string HtmlTitle(std::string_view body) {
  std::string lower = core::ToLower(body);
  size_t open = lower.find("<title");
  if (open == std::string::npos) return "";
  size_t start = lower.find('>', open);
  size_t end = lower.find("</title", open);
  if (start == std::string::npos || end == std::string::npos || end < start) return "";
  return CollapseSpace(body.substr(start + 1, end - start - 1), 80);
}

std::string FirstLine(std::string_view body) {
  size_t pos = 0;
  while (pos < body.size()) {
    size_t nl = body.find('\n', pos);
    std::string_view line = body.substr(pos, nl == std::string_view::npos ? body.npos : nl - pos);
    std::string collapsed = CollapseSpace(line, 200);
    if (!collapsed.empty()) return collapsed;
    if (nl == std::string_view::npos) break;
    pos = nl + 1;
  }
  return "";
}

}  // namespace causeway::client
