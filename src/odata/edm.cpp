#include "odata/edm.h"

#include <set>

namespace causeway::odata {
namespace {

constexpr struct {
  EdmType type;
  const char* name;
} kTypeNames[] = {
    {EdmType::kString, "Edm.String"},     {EdmType::kBoolean, "Edm.Boolean"},
    {EdmType::kByte, "Edm.Byte"},         {EdmType::kSByte, "Edm.SByte"},
    {EdmType::kInt16, "Edm.Int16"},       {EdmType::kInt32, "Edm.Int32"},
    {EdmType::kInt64, "Edm.Int64"},       {EdmType::kDecimal, "Edm.Decimal"},
    {EdmType::kDouble, "Edm.Double"},     {EdmType::kSingle, "Edm.Single"},
    {EdmType::kDateTime, "Edm.DateTime"}, {EdmType::kDateTimeOffset, "Edm.DateTimeOffset"},
    {EdmType::kTime, "Edm.Time"},         {EdmType::kGuid, "Edm.Guid"},
    {EdmType::kBinary, "Edm.Binary"},
};

core::Error SchemaError(std::string text) {
  return core::MakeError(core::Code::kInternal, "/IWBEP/CM_MGW_RT", "001", "Invalid model: " + std::move(text));
}

template <typename T>
const T* FindByName(const std::vector<T>& items, std::string_view name) {
  for (const auto& item : items)
    if (item.name == name) return &item;
  return nullptr;
}

// CSDL SimpleIdentifier: the writers put names on the wire unescaped, so this is what makes
// that safe (and what Gateway's model checks enforce too).
bool IsSimpleIdentifier(std::string_view s) {
  if (s.empty() || s.size() > 128) return false;
  auto alpha = [](char c) { return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '_'; };
  if (!alpha(s[0])) return false;
  for (char c : s)
    if (!alpha(c) && !(c >= '0' && c <= '9')) return false;
  return true;
}

template <typename T>
core::Status CheckUnique(const std::vector<T>& items, const char* what) {
  std::set<std::string_view> seen;
  for (const auto& item : items) {
    if (!IsSimpleIdentifier(item.name))
      return SchemaError(std::string(what) + " name '" + item.name + "' is not a simple identifier");
    if (!seen.insert(item.name).second) return SchemaError(std::string("duplicate ") + what + " name '" + item.name + "'");
  }
  return core::Status::Ok();
}

}  // namespace

const char* EdmTypeName(EdmType t) {
  for (const auto& e : kTypeNames)
    if (e.type == t) return e.name;
  return "Edm.String";
}

std::optional<EdmType> EdmTypeFromName(std::string_view name) {
  for (const auto& e : kTypeNames)
    if (name == e.name) return e.type;
  return std::nullopt;
}

int PropertyIndex(const std::vector<Property>& properties, std::string_view name) {
  for (size_t i = 0; i < properties.size(); ++i)
    if (properties[i].name == name) return static_cast<int>(i);
  return -1;
}

core::Result<std::shared_ptr<const Model>> Model::Create(Schema schema) {
  if (schema.namespace_name.empty()) return SchemaError("empty namespace");
  if (schema.container_name.empty()) schema.container_name = schema.namespace_name + "_Entities";
  CW_RETURN_IF_ERROR(CheckUnique(schema.entity_types, "entity type"));
  CW_RETURN_IF_ERROR(CheckUnique(schema.complex_types, "complex type"));
  CW_RETURN_IF_ERROR(CheckUnique(schema.associations, "association"));
  CW_RETURN_IF_ERROR(CheckUnique(schema.entity_sets, "entity set"));
  CW_RETURN_IF_ERROR(CheckUnique(schema.function_imports, "function import"));
  for (const auto& t : schema.entity_types) {
    CW_RETURN_IF_ERROR(CheckUnique(t.properties, "property"));
    CW_RETURN_IF_ERROR(CheckUnique(t.navigation, "navigation property"));
    if (t.keys.empty()) return SchemaError("entity type '" + t.name + "' has no key");
    for (const auto& k : t.keys) {
      int i = PropertyIndex(t.properties, k);
      if (i < 0) return SchemaError("key '" + k + "' of '" + t.name + "' is not a property");
      if (t.properties[static_cast<size_t>(i)].nullable)
        return SchemaError("key '" + k + "' of '" + t.name + "' must be Nullable=false");
    }
    if (!t.etag_property.empty() && PropertyIndex(t.properties, t.etag_property) < 0)
      return SchemaError("etag property '" + t.etag_property + "' of '" + t.name + "' is not a property");
    for (const auto& n : t.navigation) {
      if (PropertyIndex(t.properties, n.name) >= 0)
        return SchemaError("navigation '" + n.name + "' clashes with a property");
      const Association* a = FindByName(schema.associations, n.relationship);
      if (!a) return SchemaError("navigation '" + n.name + "' uses unknown association '" + n.relationship + "'");
      bool roles_ok = (a->end1.role == n.from_role && a->end2.role == n.to_role) ||
                      (a->end2.role == n.from_role && a->end1.role == n.to_role);
      if (!roles_ok) return SchemaError("navigation '" + n.name + "' has roles not in '" + a->name + "'");
    }
  }
  for (const auto& c : schema.complex_types) CW_RETURN_IF_ERROR(CheckUnique(c.properties, "property"));
  for (const auto& a : schema.associations)
    for (const auto* end : {&a.end1, &a.end2}) {
      if (!FindByName(schema.entity_types, end->entity_type))
        return SchemaError("association '" + a.name + "' uses unknown type '" + end->entity_type + "'");
      if (end->multiplicity != "1" && end->multiplicity != "0..1" && end->multiplicity != "*")
        return SchemaError("association '" + a.name + "' has bad multiplicity '" + end->multiplicity + "'");
    }
  for (const auto& s : schema.entity_sets) {
    const EntityType* t = FindByName(schema.entity_types, s.entity_type);
    if (!t) return SchemaError("entity set '" + s.name + "' uses unknown type '" + s.entity_type + "'");
    if (s.etag_required && t->etag_property.empty())
      return SchemaError("entity set '" + s.name + "' requires an ETag but its type declares none");
  }
  for (const auto& as : schema.association_sets) {
    if (!FindByName(schema.associations, as.association))
      return SchemaError("association set '" + as.name + "' uses unknown association");
    if (!FindByName(schema.entity_sets, as.end1.entity_set) || !FindByName(schema.entity_sets, as.end2.entity_set))
      return SchemaError("association set '" + as.name + "' uses an unknown entity set");
  }
  for (const auto& f : schema.function_imports) {
    CW_RETURN_IF_ERROR(CheckUnique(f.parameters, "parameter"));
    switch (f.return_kind) {
      case ReturnKind::kEntity:
      case ReturnKind::kEntityCollection: {
        const EntitySet* s = FindByName(schema.entity_sets, f.entity_set);
        if (!FindByName(schema.entity_types, f.return_type) || !s || s->entity_type != f.return_type)
          return SchemaError("function '" + f.name + "' needs an entity return type and a matching EntitySet");
        break;
      }
      case ReturnKind::kComplex:
      case ReturnKind::kComplexCollection:
        if (!FindByName(schema.complex_types, f.return_type))
          return SchemaError("function '" + f.name + "' returns unknown complex type");
        break;
      default:
        break;
    }
    if (f.http_method != "GET" && f.http_method != "POST" && f.http_method != "PUT" && f.http_method != "MERGE" &&
        f.http_method != "DELETE")
      return SchemaError("function '" + f.name + "' has bad HttpMethod");
  }
  std::shared_ptr<Model> m(new Model());
  m->schema_ = std::move(schema);
  return std::shared_ptr<const Model>(std::move(m));
}

const EntitySet* Model::FindEntitySet(std::string_view name) const { return FindByName(schema_.entity_sets, name); }
const EntityType* Model::FindEntityType(std::string_view name) const {
  return FindByName(schema_.entity_types, name);
}
const ComplexType* Model::FindComplexType(std::string_view name) const {
  return FindByName(schema_.complex_types, name);
}
const FunctionImport* Model::FindFunction(std::string_view name) const {
  return FindByName(schema_.function_imports, name);
}
const Association* Model::FindAssociation(std::string_view name) const {
  return FindByName(schema_.associations, name);
}
const EntityType& Model::TypeOf(const EntitySet& set) const { return *FindEntityType(set.entity_type); }

std::optional<NavigationTarget> Model::FindNavigation(const EntityType& type, std::string_view nav) const {
  const NavigationProperty* p = FindByName(type.navigation, nav);
  if (!p) return std::nullopt;
  const Association* a = FindAssociation(p->relationship);
  const AssociationEnd& to = a->end1.role == p->to_role ? a->end1 : a->end2;
  NavigationTarget t;
  t.property = p;
  t.target_type = FindEntityType(to.entity_type);
  t.many = to.multiplicity == "*";
  for (const auto& as : schema_.association_sets) {
    if (as.association != a->name) continue;
    const AssociationSetEnd& e = as.end1.role == p->to_role ? as.end1 : as.end2;
    t.target_set = FindEntitySet(e.entity_set);
    break;
  }
  if (!t.target_set)  // no association set: the only set of the target type, if unique
    for (const auto& s : schema_.entity_sets)
      if (s.entity_type == to.entity_type) {
        if (t.target_set) {
          t.target_set = nullptr;
          break;
        }
        t.target_set = &s;
      }
  return t;
}

std::optional<NavigationTarget> Model::FindNavigation(const EntitySet& set, std::string_view nav) const {
  return FindNavigation(TypeOf(set), nav);
}

}  // namespace causeway::odata
