#include "domain/changes/change_properties.h"

#include <algorithm>
#include <functional>

#include "core/ascii.h"
#include "domain/changes/change_errors.h"

namespace causeway::changes {
namespace {

enum class Kind { kText, kEnum, kPerson, kGroup, kReadOnly, kType, kPhase };

struct Field {
  std::string_view name;
  Kind kind;
  std::string Change::*member;  // null for derived and time properties
  const std::vector<std::string_view>* vocabulary = nullptr;
};

const std::vector<Field>& Fields() {
  static const std::vector<Field> kFields = {
      {"Id", Kind::kReadOnly, &Change::id},
      {"DisplayLabel", Kind::kText, &Change::display_label},
      {"Description", Kind::kText, &Change::description},
      {"ChangeType", Kind::kType, &Change::change_type},
      {"ChangeModel", Kind::kText, &Change::change_model},
      {"PhaseId", Kind::kPhase, &Change::phase_id},
      {"MetaphaseId", Kind::kReadOnly, nullptr},
      {"Urgency", Kind::kEnum, &Change::urgency, &kUrgencies},
      {"ImpactScope", Kind::kEnum, &Change::impact_scope, &kImpactScopes},
      {"Priority", Kind::kReadOnly, nullptr},
      {"ReasonForChange", Kind::kText, &Change::reason_for_change},
      {"Justification", Kind::kText, &Change::justification},
      {"Category", Kind::kText, &Change::category},
      {"AffectsActualService", Kind::kText, &Change::service},
      {"RequestedByPerson", Kind::kPerson, &Change::requested_by},
      {"OwningGroup", Kind::kGroup, &Change::owning_group},
      {"CompletionCode", Kind::kEnum, &Change::completion_code, &kCompletionCodes},
      {"EmsCreationTime", Kind::kReadOnly, nullptr},
      {"LastUpdateTime", Kind::kReadOnly, nullptr},
  };
  return kFields;
}

const Field* FindField(std::string_view name) {
  for (const Field& f : Fields())
    if (f.name == name) return &f;
  return nullptr;
}

bool IsCustom(std::string_view name) {
  return name.size() > 2 && name.substr(name.size() - 2) == "_c" &&
         std::all_of(name.begin(), name.end(), [](char ch) {
           return (ch >= 'A' && ch <= 'Z') || (ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') || ch == '_';
         });
}

std::string Join(const std::vector<std::string_view>& v) {
  std::string out;
  for (auto s : v) out += (out.empty() ? "" : ", ") + std::string(s);
  return out;
}

std::string MetaphaseOf(const Change& c, const WorkflowSet& workflows) {
  auto wf = workflows.find(c.change_type);
  if (wf == workflows.end()) return {};
  const Phase* p = wf->second.FindPhase(c.phase_id);
  return p ? p->metaphase : std::string();
}

PropertyValue TextOrNull(const std::string& s) { return s.empty() ? PropertyValue() : PropertyValue(s); }

PropertyValue ValueOf(const Change& c, const Field& f, const WorkflowSet& workflows) {
  if (f.name == "MetaphaseId") return TextOrNull(MetaphaseOf(c, workflows));
  if (f.name == "Priority") return TextOrNull(PriorityOf(c.urgency, c.impact_scope));
  if (f.name == "EmsCreationTime") return c.created_ms;
  if (f.name == "LastUpdateTime") return c.updated_ms;
  return TextOrNull(c.*(f.member));
}

// Text of a scalar the client sent for a text field: strings as they are, numbers as decimal.
core::Result<std::string> TextValue(std::string_view name, const PropertyValue& v) {
  if (std::holds_alternative<bool>(v)) return errors::WrongType(name, "text");
  return PropertyText(v);
}

core::Status ApplyRelation(const Field& f, std::string_view key, const PropertyValue& v, const Tenant& t, Change& c) {
  const std::string name = std::string(f.name) + (key.empty() ? "" : "." + std::string(key));
  CW_ASSIGN_OR_RETURN(std::string value, TextValue(name, v));
  if (value.empty()) {
    c.*(f.member) = {};
    return core::Status::Ok();
  }
  // A key that is not the Id may match several records (names and addresses need not be
  // unique): that is refused, naming them, rather than one of them picked.
  std::vector<std::string> matches;
  if (f.kind == Kind::kGroup) {
    if (key.empty()) {
      if (const Group* g = t.FindGroup(value)) matches.push_back(g->id);
    } else if (key == "Name") {
      for (const auto& [id, g] : t.groups)
        if (g.name == value) matches.push_back(id);
    } else {
      return errors::UnknownProperty(name);
    }
  } else if (key.empty()) {
    if (const Person* p = t.FindPerson(value)) matches.push_back(p->id);
  } else if (key == "Email" || key == "Upn" || key == "Name") {
    for (const auto& [id, p] : t.people) {
      const std::string& field = key == "Email" ? p.email : key == "Upn" ? p.upn : p.Name();
      if (!field.empty() && core::IEquals(field, value)) matches.push_back(id);
    }
  } else {
    return errors::UnknownProperty(name);
  }
  if (matches.empty()) return errors::UnknownRelated(name, value);
  if (matches.size() > 1) return errors::AmbiguousRelated(name, value, matches);
  c.*(f.member) = matches.front();
  return core::Status::Ok();
}

}  // namespace

PropertyList WireProperties(const Change& c, const WorkflowSet& workflows) {
  PropertyList out;
  out.reserve(Fields().size() + c.custom.size());
  for (const Field& f : Fields()) out.emplace_back(std::string(f.name), ValueOf(c, f, workflows));
  for (const auto& [name, value] : c.custom) out.emplace_back(name, value);
  return out;
}

const std::vector<std::string_view>& WirePropertyNames() {
  static const std::vector<std::string_view> kNames = [] {
    std::vector<std::string_view> names;
    for (const Field& f : Fields()) names.push_back(f.name);
    return names;
  }();
  return kNames;
}

std::optional<PropertyValue> PropertyOf(const Change& c, std::string_view name, const WorkflowSet& workflows) {
  if (const Field* f = FindField(name)) return ValueOf(c, *f, workflows);
  if (IsCustom(name)) {
    auto it = c.custom.find(name);
    return it == c.custom.end() ? PropertyValue() : it->second;
  }
  return std::nullopt;
}

bool IsRequirableProperty(std::string_view name) {
  if (name == kAttachmentsProperty || IsCustom(name)) return true;
  const Field* f = FindField(name);
  return f && f->kind != Kind::kReadOnly;
}

bool HasValue(const Change& c, std::string_view name) {
  if (name == kAttachmentsProperty) return !c.attachments.empty();
  if (IsCustom(name)) {
    auto it = c.custom.find(name);
    return it != c.custom.end() && !PropertyText(it->second).empty();
  }
  const Field* f = FindField(name);
  return f && f->member && !(c.*(f->member)).empty();
}

core::Status ApplyProperties(const PropertyList& props, const Tenant& tenant, const WorkflowSet& workflows, Change& c) {
  // JSON members have no order: the type goes first, as it picks the workflow that a PhaseId in
  // the same edit belongs to, and it may change only while the record is in its first phase as
  // stored, not as an earlier member of this edit left it.
  std::vector<const std::pair<std::string, PropertyValue>*> ordered;
  ordered.reserve(props.size());
  for (const auto& p : props)
    if (p.first == "ChangeType") ordered.push_back(&p);
  for (const auto& p : props)
    if (p.first != "ChangeType") ordered.push_back(&p);
  for (const auto* prop : ordered) {
    const auto& [raw_name, value] = *prop;
    std::string_view name = raw_name;
    std::string_view key;
    if (size_t dot = name.find('.'); dot != std::string_view::npos) {
      key = name.substr(dot + 1);
      name = name.substr(0, dot);
    }
    if (IsCustom(name) && key.empty()) {
      if (IsNull(value)) c.custom.erase(std::string(name));
      else c.custom[std::string(name)] = value;
      continue;
    }
    const Field* f = FindField(name);
    if (!f || name == kAttachmentsProperty) return errors::UnknownProperty(raw_name);
    if (!key.empty() && f->kind != Kind::kPerson && f->kind != Kind::kGroup) return errors::UnknownProperty(raw_name);
    switch (f->kind) {
      case Kind::kReadOnly: {
        if (name == "Id" && PropertyText(value) == c.id) break;
        return errors::ReadOnlyProperty(name);
      }
      case Kind::kText: {
        CW_ASSIGN_OR_RETURN(c.*(f->member), TextValue(name, value));
        break;
      }
      case Kind::kEnum: {
        CW_ASSIGN_OR_RETURN(std::string v, TextValue(name, value));
        // CompletionCode may be cleared; Urgency and ImpactScope always hold a value.
        if (v.empty() && name == "CompletionCode") {
          c.completion_code.clear();
          break;
        }
        if (!OneOf(*f->vocabulary, v)) return errors::InvalidValue(name, v, Join(*f->vocabulary));
        c.*(f->member) = v;
        break;
      }
      case Kind::kType: {
        CW_ASSIGN_OR_RETURN(std::string v, TextValue(name, value));
        if (v == c.change_type) break;
        auto wf = workflows.find(v);
        if (wf == workflows.end()) {
          std::vector<std::string_view> types;
          for (const auto& [type, w] : workflows) types.push_back(type);
          return errors::InvalidValue(name, v, Join(types));
        }
        // The type picks the workflow: it can change only while nothing of the old one was done.
        auto old = workflows.find(c.change_type);
        const bool fresh = c.phase_id.empty() ||
                           (old != workflows.end() && c.phase_id == old->second.InitialPhase());
        if (!fresh) return errors::TypeFixed(c.phase_id);
        c.change_type = v;
        c.phase_id = wf->second.InitialPhase();
        break;
      }
      case Kind::kPhase: {
        CW_ASSIGN_OR_RETURN(std::string v, TextValue(name, value));
        if (v.empty()) return errors::InvalidValue(name, v, "a phase of the change's workflow");
        c.phase_id = v;
        break;
      }
      case Kind::kPerson:
      case Kind::kGroup:
        CW_RETURN_IF_ERROR(ApplyRelation(*f, key, value, tenant, c));
        break;
    }
  }
  return core::Status::Ok();
}

std::vector<std::pair<std::string, PropertyList>> RelatedProperties(const Change& c, const Tenant& tenant) {
  std::vector<std::pair<std::string, PropertyList>> out;
  if (const Person* p = c.requested_by.empty() ? nullptr : tenant.FindPerson(c.requested_by)) {
    out.emplace_back("RequestedByPerson", PropertyList{{"Id", p->id},
                                                        {"Name", p->Name()},
                                                        {"FirstName", TextOrNull(p->first_name)},
                                                        {"LastName", TextOrNull(p->last_name)},
                                                        {"Email", TextOrNull(p->email)},
                                                        {"Upn", TextOrNull(p->upn)}});
  }
  if (const Group* g = c.owning_group.empty() ? nullptr : tenant.FindGroup(c.owning_group)) {
    out.emplace_back("OwningGroup", PropertyList{{"Id", g->id},
                                                  {"Name", g->name},
                                                  {"ExternalSystem", TextOrNull(g->external_system)}});
  }
  return out;
}

}  // namespace causeway::changes
