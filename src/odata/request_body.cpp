#include <boost/json.hpp>
#include <pugixml.hpp>

#include "core/ascii.h"
#include "core/utf8.h"
#include "odata/engine_internal.h"
#include "odata/errors.h"
#include "odata/literal.h"

namespace causeway::odata {
namespace {

namespace json = boost::json;

std::string_view LocalName(const char* qname) {
  std::string_view s(qname);
  size_t colon = s.find(':');
  return colon == std::string_view::npos ? s : s.substr(colon + 1);
}

core::Status CheckFacets(const Property& p, const Value& v) {
  if (v.is_null()) return core::Status::Ok();
  if (!p.max_length) return core::Status::Ok();
  size_t len = 0;
  if (const auto* s = v.get_if<std::string>()) {
    for (unsigned char c : *s) len += (c & 0xC0) != 0x80;
  } else if (const auto* b = v.get_if<Binary>()) {
    len = b->bytes.size();
  }
  if (len > static_cast<size_t>(*p.max_length))
    return BadRequest("Value for '&1' exceeds the maximum length &2", {p.name, std::to_string(*p.max_length)}, p.name);
  return core::Status::Ok();
}

// "/Date(1492098664000)/" or "/Date(1492098664000+0060)/".
std::optional<DateTimeOffset> ParseJsonDate(std::string_view s) {
  if (s.size() < 9 || s.substr(0, 6) != "/Date(" || s.substr(s.size() - 2) != ")/") return std::nullopt;
  std::string_view in = s.substr(6, s.size() - 8);
  size_t sign = in.find_first_of("+-", 1);
  DateTimeOffset out;
  try {
    out.ms = std::stoll(std::string(in.substr(0, sign)));
    if (sign != std::string_view::npos) out.offset_minutes = std::stoi(std::string(in.substr(sign)));
  } catch (...) {  // std::stoll throws; keep it inside this function
    return std::nullopt;
  }
  return out;
}

core::Result<Value> JsonToValue(const json::value& jv, const Property& p) {
  auto bad = [&] { return BadRequest("Invalid value for property '&1' (&2)", {p.name, EdmTypeName(p.type)}, p.name); };
  if (jv.is_null()) return Value();
  switch (p.type) {
    case EdmType::kBoolean:
      if (jv.is_bool()) return Value(jv.as_bool());
      return bad();
    case EdmType::kByte: case EdmType::kSByte: case EdmType::kInt16: case EdmType::kInt32: case EdmType::kInt64:
      if (jv.is_int64()) return ParseAtomText(std::to_string(jv.as_int64()), p.type, p.name);
      if (jv.is_uint64()) return ParseAtomText(std::to_string(jv.as_uint64()), p.type, p.name);
      if (jv.is_string()) return ParseAtomText(std::string(jv.as_string()), p.type, p.name);
      return bad();
    case EdmType::kDecimal: case EdmType::kDouble: case EdmType::kSingle:
      if (jv.is_string()) return ParseAtomText(std::string(jv.as_string()), p.type, p.name);
      if (jv.is_int64()) return ParseAtomText(std::to_string(jv.as_int64()), p.type, p.name);
      if (jv.is_double() && p.type != EdmType::kDecimal) return Value(jv.as_double());
      if (jv.is_double()) return Value(Decimal{FormatDouble(jv.as_double())});
      return bad();
    case EdmType::kDateTime: case EdmType::kDateTimeOffset: {
      if (!jv.is_string()) return bad();
      std::string_view s = jv.as_string();
      if (auto d = ParseJsonDate(s)) {
        if (p.type == EdmType::kDateTime) return Value(DateTime{d->ms});
        return Value(*d);
      }
      return ParseAtomText(s, p.type, p.name);
    }
    default:
      if (!jv.is_string()) return bad();
      return ParseAtomText(std::string(jv.as_string()), p.type, p.name);
  }
}

core::Result<EntityPayload> ParseJsonBody(const EntityType& type, std::string_view body) {
  boost::system::error_code ec;
  json::value root = json::parse(core::WithoutUtf8Bom(body), ec);
  if (ec || !root.is_object()) return BadRequest("Malformed JSON request body");
  const json::object* obj = &root.as_object();
  if (const auto* d = obj->if_contains("d"); d && d->is_object() && obj->size() == 1) obj = &d->as_object();
  EntityPayload payload;
  payload.values.resize(type.properties.size());
  payload.present.assign(type.properties.size(), false);
  for (const auto& [k, v] : *obj) {
    if (k == "__metadata") continue;
    int i = PropertyIndex(type, k);
    if (i < 0) {
      bool nav = false;
      for (const auto& n : type.navigation) nav |= n.name == k;
      if (nav) continue;  // deep insert is not supported; links are ignored like __deferred
      return BadRequest("Property '&1' is invalid", {std::string(k)}, std::string(k));
    }
    const Property& p = type.properties[static_cast<size_t>(i)];
    CW_ASSIGN_OR_RETURN(Value val, JsonToValue(v, p));
    CW_RETURN_IF_ERROR(CheckFacets(p, val));
    payload.values[static_cast<size_t>(i)] = std::move(val);
    payload.present[static_cast<size_t>(i)] = true;
  }
  return payload;
}

core::Result<EntityPayload> ParseAtomBody(const EntityType& type, std::string_view body) {
  pugi::xml_document doc;
  if (!doc.load_buffer(body.data(), body.size(), pugi::parse_default, pugi::encoding_utf8))
    return BadRequest("Malformed XML request body");
  pugi::xml_node props;
  // <entry><content><m:properties> or, for media-less forms, <m:properties> directly.
  std::vector<pugi::xml_node> stack{doc.document_element()};
  while (!stack.empty() && !props) {
    pugi::xml_node n = stack.back();
    stack.pop_back();
    if (LocalName(n.name()) == "properties") {
      props = n;
      break;
    }
    for (pugi::xml_node c : n.children())
      if (c.type() == pugi::node_element) stack.push_back(c);
  }
  if (!props) return BadRequest("XML request body has no m:properties");
  EntityPayload payload;
  payload.values.resize(type.properties.size());
  payload.present.assign(type.properties.size(), false);
  for (pugi::xml_node c : props.children()) {
    if (c.type() != pugi::node_element) continue;
    std::string name(LocalName(c.name()));
    int i = PropertyIndex(type, name);
    if (i < 0) return BadRequest("Property '&1' is invalid", {name}, name);
    const Property& p = type.properties[static_cast<size_t>(i)];
    Value val;
    bool is_null = false;
    for (pugi::xml_attribute a : c.attributes())
      if (LocalName(a.name()) == "null" && std::string_view(a.value()) == "true") is_null = true;
    if (!is_null) {
      CW_ASSIGN_OR_RETURN(val, ParseAtomText(c.text().get(), p.type, p.name));
    }
    CW_RETURN_IF_ERROR(CheckFacets(p, val));
    payload.values[static_cast<size_t>(i)] = std::move(val);
    payload.present[static_cast<size_t>(i)] = true;
  }
  return payload;
}

}  // namespace

core::Result<EntityPayload> ParseEntityBody(const EntityType& type, std::string_view content_type,
                                            std::string_view body) {
  std::string ct = core::ToLower(content_type);
  if (ct.find("json") != std::string::npos) return ParseJsonBody(type, body);
  if (ct.find("xml") != std::string::npos || ct.empty()) return ParseAtomBody(type, body);
  return core::Error(core::MakeError(core::Code::kBadRequest, kRuntimeClass, "022",
                                     "Content type '&1' is not supported for the request body", {std::string(content_type)}));
}

}  // namespace causeway::odata
