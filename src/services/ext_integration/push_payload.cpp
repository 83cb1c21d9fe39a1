#include "services/ext_integration/push_payload.h"

#include <boost/json.hpp>

#include <charconv>

#include "odata/writer.h"

namespace causeway::services::ext_integration {
namespace {

namespace json = boost::json;

core::Error Bad(std::string text) {
  return core::MakeError(core::Code::kBadRequest, "CAUSEWAY/FB", "030", "Push payload: &1", {std::move(text)});
}

std::string Field(const json::object& o, std::string_view name) {
  const json::value* v = o.if_contains(name);
  return v && v->is_string() ? std::string(v->as_string()) : std::string();
}

// JSON string content (without the quotes).
void AppendEscaped(std::string& out, std::string_view s) {
  std::string quoted;
  odata::AppendJsonString(quoted, s);
  out.append(quoted, 1, quoted.size() - 2);
}

}  // namespace

std::string LinkMarker(size_t n) { return std::string(1, kMarker) + "L" + std::to_string(n) + std::string(1, kMarker); }

std::string EncodePushPayload(const PushEnvelope& e, std::string_view body_template) {
  json::array links;
  for (const auto& l : e.links)
    links.push_back({{"kind", l.attachment ? "attachment" : "document"}, {"id", l.id}, {"name", l.name}});
  json::object header{{"v", 1},
                      {"ticket", e.ticket_id},
                      {"create", {{"method", e.create_method}, {"uri", e.create_uri}}},
                      {"update", {{"method", e.update_method}, {"uri", e.update_uri}}},
                      {"link_base", e.link_base},
                      {"client", e.sap_client},
                      {"links", std::move(links)}};
  std::string out = json::serialize(header);
  out += '\n';
  out.append(body_template);
  return out;
}

core::Result<DecodedPush> DecodePushPayload(std::string_view payload) {
  size_t nl = payload.find('\n');
  if (nl == std::string_view::npos) return Bad("no header line");
  boost::system::error_code ec;
  json::value v = json::parse(payload.substr(0, nl), ec);
  if (ec || !v.is_object()) return Bad("the header is not a JSON object");
  const json::object& h = v.as_object();
  const json::value* version = h.if_contains("v");
  if (!version || !version->is_int64() || version->as_int64() != 1) return Bad("unknown version");
  DecodedPush out;
  PushEnvelope& e = out.envelope;
  e.ticket_id = Field(h, "ticket");
  for (auto [name, method, uri] : {std::tuple{"create", &e.create_method, &e.create_uri},
                                   {"update", &e.update_method, &e.update_uri}}) {
    const json::value* part = h.if_contains(name);
    if (!part || !part->is_object()) return Bad(std::string("no ") + name + " target");
    *method = Field(part->as_object(), "method");
    *uri = Field(part->as_object(), "uri");
  }
  e.link_base = Field(h, "link_base");
  e.sap_client = Field(h, "client");
  if (const json::value* links = h.if_contains("links"); links && links->is_array()) {
    for (const auto& l : links->as_array()) {
      if (!l.is_object()) return Bad("a link is not an object");
      const auto& o = l.as_object();
      e.links.push_back({Field(o, "kind") == "attachment", Field(o, "id"), Field(o, "name")});
    }
  }
  out.body_template = payload.substr(nl + 1);
  return out;
}

core::Result<std::string> FillPushTemplate(std::string_view t, std::string_view external_id,
                                           std::string_view parent_external_id, const std::vector<std::string>& links) {
  std::string out;
  out.reserve(t.size() + 64 * links.size());
  while (!t.empty()) {
    size_t at = t.find(kMarker);
    out.append(t.substr(0, at));
    if (at == std::string_view::npos) break;
    size_t end = t.find(kMarker, at + 1);
    if (end == std::string_view::npos) return Bad("an unterminated marker");
    std::string_view code = t.substr(at + 1, end - at - 1);
    if (code == "E") {
      AppendEscaped(out, external_id);
    } else if (code == "P") {
      AppendEscaped(out, parent_external_id);
    } else if (code.size() > 1 && code[0] == 'L') {
      size_t n = 0;
      auto [p, ec] = std::from_chars(code.data() + 1, code.data() + code.size(), n);
      if (ec != std::errc() || p != code.data() + code.size() || n >= links.size())
        return Bad("a link marker without a link");
      AppendEscaped(out, links[n]);
    } else {
      return Bad("an unknown marker");
    }
    t.remove_prefix(end + 1);
  }
  return out;
}

}  // namespace causeway::services::ext_integration
