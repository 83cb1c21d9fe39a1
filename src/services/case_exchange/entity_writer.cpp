#include "services/case_exchange/entity_writer.h"

#include <boost/json.hpp>

#include <charconv>

#include "core/utf8.h"
#include "domain/changes/change_properties.h"
#include "services/case_exchange/entity_json.h"

namespace causeway::services::case_exchange {
namespace {

void AppendEscaped(std::string& out, std::string_view s) {
  static constexpr char kHex[] = "0123456789abcdef";
  out += '"';
  size_t run = 0;
  for (size_t i = 0; i < s.size(); ++i) {
    const auto ch = static_cast<unsigned char>(s[i]);
    if (ch >= 0x20 && ch != '"' && ch != '\\') continue;
    out.append(s.data() + run, i - run);
    run = i + 1;
    switch (ch) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\b': out += "\\b"; break;
      case '\f': out += "\\f"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case '\t': out += "\\t"; break;
      default:
        out += "\\u00";
        out += kHex[ch >> 4];
        out += kHex[ch & 0xf];
    }
  }
  out.append(s.data() + run, s.size() - run);
  out += '"';
}

void AppendInt(std::string& out, int64_t v) {
  char buf[24];
  out.append(buf, static_cast<size_t>(std::to_chars(buf, buf + sizeof buf, v).ptr - buf));
}

// `"name":` after a comma unless it opens the object (`first` tracks that).
void AppendKey(std::string& out, bool& first, std::string_view name) {
  if (!first) out += ',';
  first = false;
  AppendJsonString(out, name);
  out += ':';
}

void AppendProperties(std::string& out, const changes::ChangeState& s, const changes::WorkflowSet& workflows,
                      const Layout& layout) {
  out += '{';
  bool first = true;
  for (const auto& [name, value] : changes::WireProperties(s.change, workflows)) {
    if (changes::IsNull(value) && name != "Id") continue;
    if (name != "Id" && !layout.Has(name)) continue;
    AppendKey(out, first, name);
    AppendJsonValue(out, value);
  }
  if (layout.Has(changes::kAttachmentsProperty)) {
    AppendKey(out, first, changes::kAttachmentsProperty);
    AppendJsonString(out, AttachmentsJsonString(s.change.attachments));
  }
  out += '}';
}

void AppendRelated(std::string& out, const changes::ChangeState& s, const changes::Tenant& tenant,
                   const Layout& layout) {
  out += '{';
  bool first = true;
  for (const auto& [relation, fields] : changes::RelatedProperties(s.change, tenant)) {
    const size_t undo = out.size();
    const bool was_first = first;
    AppendKey(out, first, relation);
    out += '{';
    bool first_field = true;
    for (const auto& [field, value] : fields) {
      if (changes::IsNull(value) || !layout.HasRelated(relation, field)) continue;
      AppendKey(out, first_field, field);
      AppendJsonValue(out, value);
    }
    if (first_field) {  // nothing of this relation asked for: leave it out
      out.resize(undo);
      first = was_first;
      continue;
    }
    out += '}';
  }
  out += '}';
}

}  // namespace

void AppendJsonString(std::string& out, std::string_view s) {
  for (unsigned char ch : s)
    if (ch >= 0x80) return AppendEscaped(out, core::ValidUtf8(s));  // ASCII needs no check
  AppendEscaped(out, s);
}

void AppendJsonValue(std::string& out, const changes::PropertyValue& v) {
  struct Visitor {
    std::string& out;
    void operator()(std::monostate) const { out += "null"; }
    void operator()(bool b) const { out += b ? "true" : "false"; }
    void operator()(int64_t i) const { AppendInt(out, i); }
    // Boost.JSON's own notation ("1.5E0"), as before this writer existed; rare (custom fields).
    void operator()(double d) const { out += boost::json::serialize(boost::json::value(d)); }
    void operator()(const std::string& s) const { AppendJsonString(out, s); }
  };
  std::visit(Visitor{out}, v);
}

void AppendChangeEntity(std::string& out, const changes::ChangeState& s, const changes::Tenant& tenant,
                        const changes::WorkflowSet& workflows, const Layout& layout) {
  out += R"({"entity_type":"Change","properties":)";
  AppendProperties(out, s, workflows, layout);
  out += R"(,"related_properties":)";
  AppendRelated(out, s, tenant, layout);
  out += '}';
}

void AppendCaseExchangeEntity(std::string& out, const changes::PolledOperation& p, const changes::Tenant& tenant,
                              const changes::WorkflowSet& workflows, const Layout& layout) {
  AppendChangeEntity(out, *p.state, tenant, workflows, layout);
  out.pop_back();  // the entity's closing brace: three more members follow
  out += R"(,"ext_properties":{"Operation":)";
  AppendJsonString(out, p.operation.operation);
  out += R"(,"ExternalSystem":)";
  AppendJsonString(out, p.operation.system_id);
  if (const changes::ExternalReference* r = p.state->ReferenceOf(p.operation.system_id)) {
    out += R"(,"ExternalId":)";
    AppendJsonString(out, r->external_id);
    out += R"(,"ExternalStatus":)";
    AppendJsonString(out, r->external_status);
    out += R"(,"ExternalEntityType":)";
    AppendJsonString(out, r->external_entity_type);
  }
  out += R"(},"Comments":[)";
  bool first = true;
  for (const changes::Comment& c : p.state->comments) {
    if (c.privacy != "PUBLIC") continue;
    if (!first) out += ',';
    first = false;
    AppendComment(out, c);
  }
  out += "]}";
}

void AppendComment(std::string& out, const changes::Comment& c) {
  out += R"({"Id":)";
  AppendJsonString(out, c.id);
  out += R"(,"Body":)";
  AppendJsonString(out, c.body);
  out += R"(,"PrivacyType":)";
  AppendJsonString(out, c.privacy);
  out += R"(,"IsSystem":)";
  out += c.is_system ? "true" : "false";
  out += R"(,"CreatedTime":)";
  AppendInt(out, c.created_ms);
  out += R"(,"Submitter":{"UserId":)";
  AppendJsonString(out, c.submitter);
  out += "}}";
}

}  // namespace causeway::services::case_exchange
