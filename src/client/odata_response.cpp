#include "client/odata_response.h"
#include "client/xml_names.h"

#include <boost/json.hpp>
#include <pugixml.hpp>

#include "client/error_body.h"
#include "core/utf8.h"

namespace causeway::client {

namespace json = boost::json;

namespace {

core::Error Unreadable(std::string text) {
  return core::MakeError(core::Code::kInternal, "CLIENT", "", std::move(text));
}

// Describes a body we cannot use; an HTML page gets its own, actionable message.
core::Error NotOData(std::string_view body, std::string_view content_type, std::string why) {
  if (IsHtmlResponse(body, content_type)) {
    std::string title = HtmlTitle(body);
    // A 200 HTML page instead of OData is nearly always a login page: an authentication problem.
    return core::MakeError(core::Code::kUnauthorized, "CLIENT", "",
                           "expected an OData response but received an HTML page" +
                               (title.empty() ? std::string() : " ('" + title + "')") +
                               " - a SAML/SSO login page or a proxy page? Check the service URL "
                               "and the logon procedure (Basic or X.509) of the ICF node");
  }
  return Unreadable(std::move(why));
}

// ---- JSON ----

ODataRecord RecordFromJson(const json::object& obj) {
  ODataRecord rec;
  for (const auto& [key, value] : obj) {
    if (key.starts_with("__")) continue;
    switch (value.kind()) {
      case json::kind::string: rec[std::string(key)] = std::string(value.get_string()); break;
      case json::kind::int64: rec[std::string(key)] = std::to_string(value.get_int64()); break;
      case json::kind::uint64: rec[std::string(key)] = std::to_string(value.get_uint64()); break;
      case json::kind::double_: rec[std::string(key)] = json::serialize(value); break;
      case json::kind::bool_: rec[std::string(key)] = value.get_bool() ? "true" : "false"; break;
      default: break;  // null, __deferred / expanded navigation objects, arrays
    }
  }
  return rec;
}

// A property object is an entity if it holds at least one scalar.
bool HasScalar(const json::object& obj) {
  for (const auto& [key, value] : obj) {
    if (!key.starts_with("__") && !value.is_object() && !value.is_array() && !value.is_null()) {
      return true;
    }
  }
  return false;
}

core::Result<std::vector<ODataRecord>> EntitiesFromJson(std::string_view body,
                                                        std::string_view content_type,
                                                        std::string_view function_name) {
  boost::system::error_code ec;
  json::value doc = json::parse(body, ec);
  if (ec) return NotOData(body, content_type, "response is not valid JSON: " + ec.message());
  const json::object* root = doc.if_object();
  const json::value* d = root ? root->if_contains("d") : nullptr;
  if (d == nullptr) {
    if (root && root->contains("error")) {
      return Unreadable("error body in a success response: " + FirstLine(body));
    }
    return Unreadable("JSON response has no \"d\" member");
  }
  std::vector<ODataRecord> out;
  auto from_array = [&](const json::array& arr) {
    for (const json::value& v : arr) {
      if (v.is_object()) out.push_back(RecordFromJson(v.as_object()));
    }
  };
  if (d->is_array()) {  // OData V1-style collection
    from_array(d->as_array());
    return out;
  }
  if (!d->is_object()) return Unreadable("JSON member \"d\" is neither an object nor an array");
  const json::object* dobj = &d->as_object();
  // d.<FunctionName>: Gateway's wrapping of complex-type returns ("some tenants").
  if (const json::value* wrapped = dobj->if_contains(function_name);
      wrapped && wrapped->is_object()) {
    dobj = &wrapped->as_object();
  }
  if (const json::value* results = dobj->if_contains("results"); results && results->is_array()) {
    from_array(results->as_array());
    return out;
  }
  if (HasScalar(*dobj)) {
    out.push_back(RecordFromJson(*dobj));
    return out;
  }
  return Unreadable("JSON response holds no entity (expected d.{...}, d.results or d." +
                    std::string(function_name) + ")");
}

// ---- Atom ----


bool IsNull(pugi::xml_node prop) {
  for (pugi::xml_attribute a : prop.attributes()) {
    if (LocalName(a.name()) == "null" && std::string_view(a.value()) == "true") return true;
  }
  return false;
}

ODataRecord RecordFromProperties(pugi::xml_node props) {
  ODataRecord rec;
  for (pugi::xml_node p : props.children()) {
    if (p.type() != pugi::node_element || IsNull(p)) continue;
    rec[std::string(LocalName(p.name()))] = p.child_value();
  }
  return rec;
}

ODataRecord RecordFromEntry(pugi::xml_node entry) {
  pugi::xml_node props = ChildByLocalName(ChildByLocalName(entry, "content"), "properties");
  if (!props) props = ChildByLocalName(entry, "properties");  // media-link entries
  return RecordFromProperties(props);
}

core::Result<std::vector<ODataRecord>> EntitiesFromXml(std::string_view body,
                                                       std::string_view content_type) {
  pugi::xml_document doc;
  pugi::xml_parse_result parsed = doc.load_buffer(body.data(), body.size());
  if (!parsed) {
    return NotOData(body, content_type,
                    std::string("response is not valid XML: ") + parsed.description());
  }
  pugi::xml_node root = doc.document_element();
  std::string_view name = LocalName(root.name());
  std::vector<ODataRecord> out;
  if (name == "entry") {
    out.push_back(RecordFromEntry(root));
  } else if (name == "feed") {
    for (pugi::xml_node c : root.children()) {
      if (c.type() == pugi::node_element && LocalName(c.name()) == "entry") {
        out.push_back(RecordFromEntry(c));
      }
    }
  } else if (name == "html") {
    return NotOData(body, "text/html", "");
  } else if (root.first_child().type() == pugi::node_element) {
    out.push_back(RecordFromProperties(root));  // complex type: <d:FunctionName><d:X>…
  } else {
    return Unreadable("unexpected XML document <" + std::string(root.name()) + ">");
  }
  return out;
}

core::Result<std::vector<ODataRecord>> ParseAny(std::string_view body,
                                                std::string_view content_type,
                                                std::string_view function_name) {
  std::string_view trimmed = SkipBomAndSpace(body);
  if (trimmed.empty()) return Unreadable("empty response body");
  if (IsHtmlResponse(trimmed, content_type)) return NotOData(trimmed, content_type, "");
  if (trimmed.front() == '{' || trimmed.front() == '[') {
    return EntitiesFromJson(trimmed, content_type, function_name);
  }
  if (trimmed.front() == '<') return EntitiesFromXml(trimmed, content_type);
  return Unreadable("response is neither JSON nor XML: " + FirstLine(trimmed));
}

}  // namespace

core::Result<ODataRecord> ParseEntity(std::string_view body, std::string_view content_type,
                                      std::string_view function_name) {
  CW_ASSIGN_OR_RETURN(std::vector<ODataRecord> all, ParseAny(body, content_type, function_name));
  if (all.empty()) {
    return Unreadable(std::string(function_name) + " returned an empty result");
  }
  return std::move(all.front());
}

core::Result<std::vector<ODataRecord>> ParseEntities(std::string_view body,
                                                     std::string_view content_type,
                                                     std::string_view function_name) {
  return ParseAny(body, content_type, function_name);
}

}  // namespace causeway::client
