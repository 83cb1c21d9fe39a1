#include "domain/workitems/customizing.h"

#include <cctype>
#include <set>

#include "core/ascii.h"
#include "domain/workitems/payload_attributes.h"
#include "domain/workitems/work_object.h"
#include "domain/workitems/workitems_errors.h"

namespace causeway::workitems {
namespace {

template <typename T, typename Key>
const T* FindBy(const std::vector<T>& items, std::string_view key, Key key_of) {
  for (const auto& i : items)
    if (key_of(i) == key) return &i;
  return nullptr;
}

bool IsNumber(std::string_view s, bool decimal) {
  if (s.empty()) return false;
  size_t i = s[0] == '-' ? 1 : 0;
  bool digits = false, dot = false;
  for (; i < s.size(); ++i) {
    if (s[i] >= '0' && s[i] <= '9') {
      digits = true;
    } else if (s[i] == '.' && decimal && !dot) {
      dot = true;
    } else {
      return false;
    }
  }
  return digits;
}

bool IsUri(std::string_view s) { return !s.empty() && s[0] == '/' && s.find_first_of(" \t\r\n") == std::string_view::npos; }

bool IsHost(std::string_view s) {
  if (s.empty() || s.size() > 253) return false;
  for (char c : s)
    if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '-' || c == ':' || c == '[' || c == ']'))
      return false;
  return true;
}

bool IsMethod(std::string_view m) { return m == "POST" || m == "PUT" || m == "PATCH" || m == "MERGE"; }

template <typename T, typename Key>
core::Status Unique(const std::vector<T>& items, const std::string& section, Key key_of) {
  std::set<std::string, std::less<>> seen;
  for (size_t i = 0; i < items.size(); ++i) {
    std::string key(key_of(items[i]));
    std::string at = section + "[" + std::to_string(i) + "]";
    if (key.empty()) return BadCustomizing(at, "needs a name");
    if (!seen.insert(key).second) return BadCustomizing(section + "[" + key + "]", "appears twice");
  }
  return core::Status::Ok();
}

core::Status ValidateProcessType(const Customizing& c, const ProcessTypeSettings& pt, const std::string& at) {
  if (!IsKnownProcessType(pt.process_type)) return BadCustomizing(at + ".process_type", "must be S1IT, S1CG or S1MJ");
  if (!pt.jump_in_url.empty() && !IsUri(pt.jump_in_url))
    return BadCustomizing(at + ".jump_in_url", "must be a URI starting with '/'");
  if (pt.partner_function.empty()) return BadCustomizing(at + ".partner_function", "must name the trigger function");
  std::set<std::string, std::less<>> attributes;
  for (size_t i = 0; i < pt.fields.size(); ++i) {
    const FieldMapping& f = pt.fields[i];
    std::string fat = at + ".fields[" + f.attribute + "]";
    const PayloadAttribute* a = FindPayloadAttribute(f.attribute);
    if (!a) return BadCustomizing(at + ".fields[" + std::to_string(i) + "].attribute", "unknown attribute '" + f.attribute + "'");
    if (!attributes.insert(f.attribute).second) return BadCustomizing(fat, "appears twice");
    if (f.rule == MappingRule::kSetSpecificValue) {
      if (a->kind == AttributeKind::kList) return BadCustomizing(fat + ".rule", "a list can only be copied");
      if (a->kind == AttributeKind::kInteger && !IsNumber(f.value, false))
        return BadCustomizing(fat + ".value", "must be an integer");
      if (a->kind == AttributeKind::kDecimal && !IsNumber(f.value, true))
        return BadCustomizing(fat + ".value", "must be a number");
    }
  }
  std::set<std::string, std::less<>> externals;
  const StatusProfile* profile = c.StatusProfileOf(pt.process_type);
  for (size_t i = 0; i < pt.inbound_status.size(); ++i) {
    const StatusMapping& m = pt.inbound_status[i];
    std::string mat = at + ".inbound_status[" + std::to_string(i) + "]";
    if (m.external_status.empty()) return BadCustomizing(mat + ".external", "must not be empty");
    if (!externals.insert(m.external_status).second) return BadCustomizing(mat + ".external", "appears twice");
    if (profile && !profile->Find(m.internal_status))
      return BadCustomizing(mat + ".internal",
                            "status " + m.internal_status + " is not in status profile " + profile->name);
  }
  for (const auto& [list, name] : {std::pair{&pt.partner_functions, "partner_functions"}, {&pt.text_ids, "text_ids"},
                                   {&pt.date_types, "date_types"}}) {
    for (const auto& v : *list)
      if (v.empty()) return BadCustomizing(at + "." + name, "holds an empty entry");
  }
  return core::Status::Ok();
}

}  // namespace

std::string RfcDestination::BaseUrl() const {
  std::string out = protocol + "://" + host + ":" + std::to_string(port);
  if (!path_prefix.empty()) out += path_prefix[0] == '/' ? path_prefix : "/" + path_prefix;
  while (out.size() > 1 && out.back() == '/') out.pop_back();
  return out;
}

std::string_view MappingRuleName(MappingRule rule) { return rule == MappingRule::kCopyValue ? "copy" : "set"; }

std::optional<MappingRule> ParseMappingRule(std::string_view name) {
  if (core::IEquals(name, "copy") || core::IEquals(name, "Copy Value")) return MappingRule::kCopyValue;
  if (core::IEquals(name, "set") || core::IEquals(name, "Set Specific Value")) return MappingRule::kSetSpecificValue;
  return std::nullopt;
}

const ProcessTypeSettings* IntegrationProfile::Find(std::string_view process_type) const {
  return FindBy(process_types, process_type, [](const auto& p) { return p.process_type; });
}

const UserStatus* StatusProfile::Find(std::string_view code) const {
  return FindBy(statuses, code, [](const auto& s) { return s.code; });
}

bool StatusProfile::Allows(std::string_view from, std::string_view to) const {
  if (from == to) return true;
  for (const auto& t : transitions)
    if (t.from == from && t.to == to) return true;
  return false;
}

bool BusinessPartner::Has(std::string_view type, std::string_view number) const {
  for (const auto& i : identifications)
    if (i.type == type && i.number == number) return true;
  return false;
}

const RfcDestination* Customizing::FindDestination(std::string_view name) const {
  return FindBy(destinations, name, [](const auto& d) { return d.name; });
}
const Project* Customizing::FindProject(std::string_view id) const {
  return FindBy(projects, id, [](const auto& p) { return p.id; });
}
const ProjectMapping* Customizing::FindMapping(std::string_view project) const {
  return FindBy(project_mappings, project, [](const auto& m) { return m.project; });
}
const IntegrationProfile* Customizing::FindProfile(std::string_view name) const {
  return FindBy(profiles, name, [](const auto& p) { return p.name; });
}
const StatusProfile* Customizing::FindStatusProfile(std::string_view name) const {
  return FindBy(status_profiles, name, [](const auto& p) { return p.name; });
}
const ProcessTypeMaster* Customizing::FindProcessType(std::string_view code) const {
  return FindBy(process_types, code, [](const auto& p) { return p.code; });
}
const BusinessPartner* Customizing::FindPartner(std::string_view number) const {
  return FindBy(business_partners, number, [](const auto& p) { return p.number; });
}
const StatusProfile* Customizing::StatusProfileOf(std::string_view process_type) const {
  const ProcessTypeMaster* pt = FindProcessType(process_type);
  return pt ? FindStatusProfile(pt->status_profile) : nullptr;
}

core::Status Validate(const Customizing& c) {
  CW_RETURN_IF_ERROR(Unique(c.destinations, "destinations", [](const auto& d) { return d.name; }));
  for (const auto& d : c.destinations) {
    std::string at = "destinations[" + d.name + "]";
    if (d.name.size() > 64 || d.name.find_first_not_of("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_.-") !=
                                  std::string::npos)
      return BadCustomizing(at + ".name", "letters, digits, '_', '.', '-' (at most 64)");
    if (d.protocol != "https" && d.protocol != "http") return BadCustomizing(at + ".protocol", "must be https or http");
    if (!IsHost(d.host)) return BadCustomizing(at + ".host", "must be a host name or address");
    if (d.port < 1 || d.port > 65535) return BadCustomizing(at + ".port", "must be 1-65535");
    if (!d.path_prefix.empty() && !IsUri(d.path_prefix)) return BadCustomizing(at + ".path_prefix", "must start with '/'");
    if (d.max_concurrent < 1 || d.max_concurrent > 1024) return BadCustomizing(at + ".max_concurrent", "must be 1-1024");
  }
  CW_RETURN_IF_ERROR(Unique(c.projects, "projects", [](const auto& p) { return p.id; }));
  CW_RETURN_IF_ERROR(Unique(c.status_profiles, "status_profiles", [](const auto& p) { return p.name; }));
  for (const auto& p : c.status_profiles) {
    std::string at = "status_profiles[" + p.name + "]";
    CW_RETURN_IF_ERROR(Unique(p.statuses, at + ".statuses", [](const auto& s) { return s.code; }));
    if (p.statuses.empty()) return BadCustomizing(at + ".statuses", "must not be empty");
    for (const auto& s : p.statuses)
      if (s.code.size() != 5 || s.code[0] != 'E' || !IsNumber(s.code.substr(1), false))
        return BadCustomizing(at + ".statuses[" + s.code + "]", "a user status code is E followed by 4 digits");
    if (!p.Find(p.initial)) return BadCustomizing(at + ".initial", "must be one of the profile's statuses");
    for (size_t i = 0; i < p.transitions.size(); ++i) {
      const auto& t = p.transitions[i];
      if (!p.Find(t.from) || !p.Find(t.to))
        return BadCustomizing(at + ".transitions[" + std::to_string(i) + "]", "names a status the profile lacks");
    }
  }
  CW_RETURN_IF_ERROR(Unique(c.process_types, "process_types", [](const auto& p) { return p.code; }));
  for (std::string_view code : {kWorkPackage, kWorkItemGeneral, kWorkItemNormal}) {
    const ProcessTypeMaster* pt = c.FindProcessType(code);
    std::string at = "process_types[" + std::string(code) + "]";
    if (!pt) return BadCustomizing(at, "is missing");
    if (!c.FindStatusProfile(pt->status_profile))
      return BadCustomizing(at + ".status_profile", "unknown status profile '" + pt->status_profile + "'");
  }
  for (const auto& pt : c.process_types)
    if (!IsKnownProcessType(pt.code))
      return BadCustomizing("process_types[" + pt.code + "]", "only S1IT, S1CG and S1MJ are supported");
  CW_RETURN_IF_ERROR(Unique(c.profiles, "profiles", [](const auto& p) { return p.name; }));
  for (const auto& p : c.profiles) {
    std::string at = "profiles[" + p.name + "]";
    CW_RETURN_IF_ERROR(Unique(p.process_types, at + ".process_types", [](const auto& t) { return t.process_type; }));
    for (const auto& pt : p.process_types)
      CW_RETURN_IF_ERROR(ValidateProcessType(c, pt, at + ".process_types[" + pt.process_type + "]"));
  }
  CW_RETURN_IF_ERROR(Unique(c.project_mappings, "project_mappings", [](const auto& m) { return m.project; }));
  for (const auto& m : c.project_mappings) {
    std::string at = "project_mappings[" + m.project + "]";
    if (!c.FindProject(m.project)) return BadCustomizing(at + ".project", "unknown project '" + m.project + "'");
    if (!c.FindDestination(m.destination))
      return BadCustomizing(at + ".destination", "unknown destination '" + m.destination + "'");
    if (!c.FindProfile(m.profile)) return BadCustomizing(at + ".profile", "unknown profile '" + m.profile + "'");
    if (!IsUri(m.create_uri)) return BadCustomizing(at + ".create_uri", "must be a URI starting with '/'");
    if (!IsUri(m.update_uri)) return BadCustomizing(at + ".update_uri", "must be a URI starting with '/'");
    if (m.update_uri.find("#EXTERNAL_ID#") == std::string::npos)
      return BadCustomizing(at + ".update_uri", "must hold #EXTERNAL_ID#");
    if (!IsMethod(m.create_method)) return BadCustomizing(at + ".create_method", "must be POST, PUT, PATCH or MERGE");
    if (!IsMethod(m.update_method)) return BadCustomizing(at + ".update_method", "must be POST, PUT, PATCH or MERGE");
    if (!m.jump_in_url.empty() && !IsUri(m.jump_in_url))
      return BadCustomizing(at + ".jump_in_url", "must be a URI starting with '/'");
  }
  CW_RETURN_IF_ERROR(Unique(c.business_partners, "business_partners", [](const auto& p) { return p.number; }));
  for (const auto& p : c.business_partners)
    for (size_t i = 0; i < p.identifications.size(); ++i)
      if (p.identifications[i].type.empty())
        return BadCustomizing("business_partners[" + p.number + "].identifications[" + std::to_string(i) + "].type",
                              "must not be empty");
  return core::Status::Ok();
}

}  // namespace causeway::workitems
