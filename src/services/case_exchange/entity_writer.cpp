#include "services/case_exchange/entity_writer.h"

#include <boost/json.hpp>

#include <charconv>

#include "core/json_text.h"
#include "core/utf8.h"
#include "domain/changes/change_properties.h"
#include "services/case_exchange/entity_json.h"

namespace causeway::services::case_exchange {
namespace {

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

}  // namespace

void AppendJsonString(std::string& out, std::string_view s) {
  for (unsigned char ch : s)
    if (ch >= 0x80) return core::AppendJsonString(out, core::ValidUtf8(s));  // ASCII needs no check
  core::AppendJsonString(out, s);
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

EntityWriter::EntityWriter(const changes::Tenant& tenant, const changes::WorkflowSet& workflows, const Layout& layout)
    : tenant_(tenant), workflows_(workflows), layout_(layout) {
  if (layout.all()) return;
  for (std::string_view name : changes::WirePropertyNames())
    if (name == "Id" || layout.Has(name)) kept_.push_back(name);
}

void EntityWriter::AppendProperties(std::string& out, const changes::ChangeState& s) {
  out += '{';
  bool first = true;
  auto append = [&](std::string_view name, const changes::PropertyValue& value) {
    if (changes::IsNull(value) && name != "Id") return;
    AppendKey(out, first, name);
    AppendJsonValue(out, value);
  };
  if (layout_.all()) {
    for (const auto& [name, value] : changes::WireProperties(s.change, workflows_)) append(name, value);
  } else {
    // Only what the layout keeps is computed: the table's properties by name, then the
    // custom fields (WireProperties' order).
    for (std::string_view name : kept_)
      if (auto value = changes::PropertyOf(s.change, name, workflows_)) append(name, *value);
    for (const auto& [name, value] : s.change.custom)
      if (layout_.Has(name)) append(name, value);
  }
  if (layout_.Has(changes::kAttachmentsProperty)) {
    AppendKey(out, first, changes::kAttachmentsProperty);
    AppendJsonString(out, AttachmentsJsonString(s.change.attachments));
  }
  out += '}';
}

bool EntityWriter::KeepsRelated(std::string_view relation, size_t i, std::string_view field) {
  if (layout_.all()) return true;
  if (related_kept_.size() <= i) related_kept_.resize(i + 1);
  Kept& k = related_kept_[i];
  if (k.relation != relation || k.field != field)
    k = {std::string(relation), std::string(field), layout_.HasRelated(relation, field)};
  return k.keep;
}

void EntityWriter::AppendRelated(std::string& out, const changes::ChangeState& s) {
  related_key_.assign(s.change.requested_by);
  related_key_ += '\0';
  related_key_ += s.change.owning_group;
  if (auto it = related_text_.find(related_key_); it != related_text_.end()) {
    out += it->second;
    return;
  }
  const size_t start = out.size();
  WriteRelated(out, s);
  if (related_text_.size() < kRelatedTexts) related_text_.emplace(related_key_, out.substr(start));
}

void EntityWriter::WriteRelated(std::string& out, const changes::ChangeState& s) {
  out += '{';
  bool first = true;
  size_t slot = 0;
  for (const auto& [relation, fields] : changes::RelatedProperties(s.change, tenant_)) {
    const size_t undo = out.size();
    const bool was_first = first;
    AppendKey(out, first, relation);
    out += '{';
    bool first_field = true;
    for (const auto& [field, value] : fields) {
      const bool keep = KeepsRelated(relation, slot++, field);
      if (changes::IsNull(value) || !keep) continue;
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

void EntityWriter::AppendChangeEntity(std::string& out, const changes::ChangeState& s) {
  out += R"({"entity_type":"Change","properties":)";
  AppendProperties(out, s);
  out += R"(,"related_properties":)";
  AppendRelated(out, s);
  out += '}';
}

void EntityWriter::AppendCaseExchangeEntity(std::string& out, const changes::PolledOperation& p) {
  AppendChangeEntity(out, *p.state);
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

void AppendChangeEntity(std::string& out, const changes::ChangeState& s, const changes::Tenant& tenant,
                        const changes::WorkflowSet& workflows, const Layout& layout) {
  EntityWriter(tenant, workflows, layout).AppendChangeEntity(out, s);
}

void AppendCaseExchangeEntity(std::string& out, const changes::PolledOperation& p, const changes::Tenant& tenant,
                              const changes::WorkflowSet& workflows, const Layout& layout) {
  EntityWriter(tenant, workflows, layout).AppendCaseExchangeEntity(out, p);
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
