#include "services/case_exchange/entity_json.h"

#include <charconv>
#include <cmath>

#include "core/ascii.h"
#include "core/utf8.h"
#include "domain/changes/change_properties.h"
#include "services/case_exchange/entity_writer.h"

namespace causeway::services::case_exchange {
namespace json = boost::json;
using changes::PropertyValue;

namespace {

core::Error BadMember(std::string_view member, std::string text) {
  core::Error e = core::MakeError(core::Code::kBadRequest, "CAUSEWAY/CX", "121", std::move(text));
  e.target = std::string(member);
  return e;
}

std::optional<std::string> OptString(const json::object& o, std::string_view key) {
  const json::value* v = o.if_contains(key);
  if (!v || v->is_null()) return std::nullopt;
  if (v->is_string()) return std::string(v->as_string());
  if (v->is_int64()) return std::to_string(v->as_int64());
  if (v->is_uint64()) return std::to_string(v->as_uint64());
  return std::nullopt;
}

core::Result<PropertyValue> FromJson(std::string_view name, const json::value& v) {
  if (v.is_null()) return PropertyValue();
  if (v.is_bool()) return PropertyValue(v.as_bool());
  if (v.is_int64()) return PropertyValue(v.as_int64());
  if (v.is_uint64()) {
    if (v.as_uint64() > static_cast<uint64_t>(INT64_MAX)) return BadMember(name, "Property " + std::string(name) + " is too large");
    return PropertyValue(static_cast<int64_t>(v.as_uint64()));
  }
  if (v.is_double()) return PropertyValue(v.as_double());
  if (v.is_string()) return PropertyValue(std::string(v.as_string()));
  return BadMember(name, "Property " + std::string(name) + " must be a text, number, flag or null");
}

std::optional<int64_t> OptInt(const json::value* v) {
  if (!v) return std::nullopt;
  if (v->is_int64()) return v->as_int64();
  if (v->is_uint64() && v->as_uint64() <= static_cast<uint64_t>(INT64_MAX)) return static_cast<int64_t>(v->as_uint64());
  if (v->is_double()) {
    // Converting a double outside int64's range is undefined behaviour: such a number is none.
    const double d = v->as_double();
    if (std::isfinite(d) && d > -9.2e18 && d < 9.2e18) return static_cast<int64_t>(d);
    return std::nullopt;
  }
  if (v->is_string()) {
    std::string_view s = v->as_string();
    int64_t x = 0;
    auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), x);
    if (ec == std::errc() && p == s.data() + s.size() && !s.empty()) return x;
  }
  return std::nullopt;
}

// The tree of a text entity_writer.cpp wrote (always one JSON object).
json::object ObjectOf(const std::string& text) {
  json::value v = json::parse(text);
  return std::move(v.as_object());
}

}  // namespace

json::value ToJson(const PropertyValue& v) {
  struct Visitor {
    json::value operator()(std::monostate) const { return nullptr; }
    json::value operator()(bool b) const { return b; }
    json::value operator()(int64_t i) const { return i; }
    json::value operator()(double d) const { return d; }
    json::value operator()(const std::string& s) const { return json::string(core::ValidUtf8(s)); }
  };
  return std::visit(Visitor{}, v);
}

json::object ChangeEntity(const changes::ChangeState& s, const changes::Tenant& tenant,
                          const changes::WorkflowSet& workflows, const Layout& layout) {
  std::string text;
  AppendChangeEntity(text, s, tenant, workflows, layout);
  return ObjectOf(text);
}

json::object CaseExchangeEntity(const changes::PolledOperation& p, const changes::Tenant& tenant,
                                const changes::WorkflowSet& workflows, const Layout& layout) {
  std::string text;
  AppendCaseExchangeEntity(text, p, tenant, workflows, layout);
  return ObjectOf(text);
}

json::object CommentJson(const changes::Comment& c) {
  std::string text;
  AppendComment(text, c);
  return ObjectOf(text);
}

std::string AttachmentsJsonString(const std::vector<changes::Attachment>& list) {
  json::array items;
  for (const changes::Attachment& a : list)
    items.push_back(json::object{{"properties",
                                  json::object{{"id", a.id},
                                               {"file_name", core::ValidUtf8(a.file_name)},
                                               {"file_extension", core::ValidUtf8(a.file_extension)},
                                               {"size", a.size},
                                               {"mime_type", core::ValidUtf8(a.mime_type)},
                                               {"Creator", a.creator},
                                               {"LastUpdateTime", a.last_update_ms}}}});
  return json::serialize(json::object{{"complexTypeProperties", std::move(items)}});
}

core::Result<std::vector<changes::Attachment>> ParseAttachments(std::string_view text) {
  auto bad = [](std::string why) {
    core::Error e = core::MakeError(core::Code::kBadRequest, "CAUSEWAY/CX", "120",
                                    "ChangeAttachments must be the JSON text {\"complexTypeProperties\":[…]}: " + why);
    e.target = std::string(changes::kAttachmentsProperty);
    return e;
  };
  std::vector<changes::Attachment> out;
  if (core::Trim(text).empty()) return out;
  json::error_code ec;
  json::value v = json::parse(text, ec);
  if (ec || !v.is_object()) return bad("not a JSON object");
  const json::value* list = v.as_object().if_contains("complexTypeProperties");
  if (!list || !list->is_array()) return bad("complexTypeProperties is missing");
  for (const json::value& item : list->as_array()) {
    const json::value* props = item.is_object() ? item.as_object().if_contains("properties") : nullptr;
    if (!props || !props->is_object()) return bad("an item has no properties");
    const json::object& p = props->as_object();
    changes::Attachment a;
    a.id = OptString(p, "id").value_or("");
    if (a.id.empty()) return bad("an item has no id");
    a.file_name = OptString(p, "file_name").value_or("");
    a.file_extension = OptString(p, "file_extension").value_or("");
    a.mime_type = OptString(p, "mime_type").value_or("");
    a.creator = OptString(p, "Creator").value_or("");
    if (const json::value* size = p.if_contains("size"); size && !size->is_null()) {
      std::optional<int64_t> n = OptInt(size);
      if (!n || *n < 0) return bad("an item's size is not a byte count");
      a.size = *n;
    }
    a.last_update_ms = OptInt(p.if_contains("LastUpdateTime")).value_or(0);
    out.push_back(std::move(a));
  }
  return out;
}

core::Result<changes::CommentInput> ParseComment(const json::object& o) {
  changes::CommentInput c;
  c.id = OptString(o, "Id").value_or("");
  const json::value* body = o.if_contains("Body");
  if (!body || !body->is_string()) return BadMember("Body", "A comment needs a Body text");
  c.body = std::string(body->as_string());
  c.privacy = OptString(o, "PrivacyType").value_or("");
  if (const json::value* s = o.if_contains("IsSystem"); s && s->is_bool()) c.is_system = s->as_bool();
  c.created_ms = OptInt(o.if_contains("CreatedTime"));
  if (const json::value* sub = o.if_contains("Submitter")) {
    if (sub->is_object()) c.submitter = OptString(sub->as_object(), "UserId").value_or("");
    else if (sub->is_string()) c.submitter = std::string(sub->as_string());
  }
  return c;
}

core::Result<changes::ChangeInput> ParseChangeInput(const json::object& entity, bool with_comments) {
  changes::ChangeInput in;
  if (const json::value* props = entity.if_contains("properties")) {
    if (!props->is_object()) return BadMember("properties", "properties must be an object");
    for (const auto& [key, value] : props->as_object()) {
      if (key == changes::kAttachmentsProperty) {
        if (value.is_null()) {
          in.attachments = std::vector<changes::Attachment>();
          continue;
        }
        if (!value.is_string()) return BadMember(key, "ChangeAttachments must be a JSON text");
        CW_ASSIGN_OR_RETURN(in.attachments, ParseAttachments(value.as_string()));
        continue;
      }
      CW_ASSIGN_OR_RETURN(PropertyValue v, FromJson(key, value));
      in.properties.emplace_back(std::string(key), std::move(v));
    }
  }
  if (with_comments) {
    if (const json::value* comments = entity.if_contains("Comments"); comments && !comments->is_null()) {
      if (!comments->is_array()) return BadMember("Comments", "Comments must be an array");
      for (const json::value& c : comments->as_array()) {
        if (!c.is_object()) return BadMember("Comments", "Each comment must be an object");
        CW_ASSIGN_OR_RETURN(auto ci, ParseComment(c.as_object()));
        in.comments.push_back(std::move(ci));
      }
    }
  }
  return in;
}

core::Result<changes::IncomingOperation> ParseIncoming(const json::object& entity) {
  changes::IncomingOperation op;
  op.entity_type = OptString(entity, "entity_type").value_or("");
  CW_ASSIGN_OR_RETURN(op.input, ParseChangeInput(entity, true));
  const json::value* ext = entity.if_contains("ext_properties");
  if (!ext || !ext->is_object()) return BadMember("ext_properties", "ext_properties with ExternalSystem and Operation is required");
  const json::object& e = ext->as_object();
  op.ext.system = OptString(e, "ExternalSystem").value_or("");
  op.ext.operation = OptString(e, "Operation").value_or("");
  if (op.ext.system.empty()) return BadMember("ExternalSystem", "ext_properties.ExternalSystem is required");
  if (op.ext.operation.empty()) return BadMember("Operation", "ext_properties.Operation is required");
  op.ext.external_id = OptString(e, "ExternalId");
  op.ext.external_entity_type = OptString(e, "ExternalEntityType");
  op.ext.external_status = OptString(e, "ExternalStatus");
  return op;
}

}  // namespace causeway::services::case_exchange
