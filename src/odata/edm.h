// EDM model of one OData V2 service: entity types, complex types, associations, entity sets and
// function imports, as a service declares them. The engine writes $metadata from it, type-checks
// URIs and bodies against it and serializes values by it.
//
// Usage: a service fills a `Schema` (plain structs, C++20 designated initializers read well) and
// the engine turns it into an immutable, validated `Model` with `Model::Create`. A `Model` is
// never modified after creation and is safe to share between threads.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/result.h"

namespace causeway::odata {

// Primitive EDM types supported by the engine (OData V2 / MS-ODATA).
enum class EdmType {
  kString,
  kBoolean,
  kByte,
  kSByte,
  kInt16,
  kInt32,
  kInt64,
  kDecimal,
  kDouble,
  kSingle,
  kDateTime,
  kDateTimeOffset,
  kTime,
  kGuid,
  kBinary,
};

// "Edm.String", "Edm.Int32", ...
const char* EdmTypeName(EdmType t);
// Inverse of EdmTypeName; nullopt for an unknown name.
std::optional<EdmType> EdmTypeFromName(std::string_view name);

// SAP annotations in declaration order; the name is written without the "sap:" prefix,
// e.g. {"label", "Job Name"}, {"creatable", "false"}, {"display-format", "UpperCase"}.
using Annotations = std::vector<std::pair<std::string, std::string>>;

struct Property {
  std::string name;
  EdmType type = EdmType::kString;
  bool nullable = true;
  std::optional<int> max_length;  // Strings/Binary: longer values are rejected with 400
  std::optional<int> precision;   // Decimal: total digits; DateTime/Time: fraction digits
  std::optional<int> scale;       // Decimal only
  bool fixed_length = false;      // written as FixedLength="true" when set
  Annotations sap;
};

struct NavigationProperty {
  std::string name;
  std::string relationship;  // association name (unqualified; must exist in Schema::associations)
  std::string from_role;
  std::string to_role;
};

struct EntityType {
  std::string name;
  std::vector<std::string> keys;  // property names, in key order
  std::vector<Property> properties;
  std::vector<NavigationProperty> navigation;
  // If set, the named property carries the entity's ETag: $metadata marks it
  // ConcurrencyMode="Fixed" and the engine derives the ETag as W/"<URI literal of the value>".
  std::string etag_property;
  Annotations sap;  // e.g. {"content-version", "1"}
};

struct ComplexType {
  std::string name;
  std::vector<Property> properties;
  Annotations sap;
};

struct AssociationEnd {
  std::string entity_type;   // unqualified entity type name
  std::string multiplicity;  // "1", "0..1" or "*"
  std::string role;
};

struct Association {
  std::string name;
  AssociationEnd end1;
  AssociationEnd end2;
  Annotations sap;
};

struct AssociationSetEnd {
  std::string role;
  std::string entity_set;
};

struct AssociationSet {
  std::string name;
  std::string association;  // unqualified association name
  AssociationSetEnd end1;
  AssociationSetEnd end2;
  Annotations sap;
};

// System query options, as a bit set, for EntitySet::supported_options.
enum QueryOption : unsigned {
  kOptFilter = 1u << 0,
  kOptOrderBy = 1u << 1,
  kOptTop = 1u << 2,
  kOptSkip = 1u << 3,
  kOptInlineCount = 1u << 4,
  kOptSelect = 1u << 5,
  kOptExpand = 1u << 6,
  kOptSkipToken = 1u << 7,
  kOptSearch = 1u << 8,
  kOptCount = 1u << 9,  // the /$count path segment
  kOptAll = (1u << 10) - 1,
};

struct EntitySet {
  std::string name;
  std::string entity_type;  // unqualified entity type name
  // Which system query options this set accepts; using any other one is a 400 Gateway error.
  unsigned supported_options = kOptAll;
  // Server-side paging: when > 0 the in-memory helper returns at most this many entries per
  // page and a $skiptoken; the engine writes the `__next` link.
  int max_page_size = 0;
  // When true, updates and deletes without If-Match are answered 428 (needs etag_property).
  bool etag_required = false;
  Annotations sap;  // e.g. {"creatable","false"},{"updatable","false"},{"content-version","1"}
};

struct FunctionParameter {
  std::string name;
  EdmType type = EdmType::kString;
  bool nullable = true;  // false: the parameter is mandatory (missing → 400)
  std::optional<int> max_length;
  std::optional<int> precision;
  std::optional<int> scale;
  Annotations sap;
};

enum class ReturnKind {
  kNone,                 // 204 No Content
  kEntity,               // ReturnType="NS.Type"
  kEntityCollection,     // ReturnType="Collection(NS.Type)"
  kComplex,              // ReturnType="NS.Complex"
  kComplexCollection,    // ReturnType="Collection(NS.Complex)"
  kPrimitive,            // ReturnType="Edm.X"
  kPrimitiveCollection,  // ReturnType="Collection(Edm.X)"
};

struct FunctionImport {
  std::string name;
  std::string http_method = "GET";  // m:HttpMethod: "GET" or "POST" (also PUT/MERGE/DELETE)
  std::vector<FunctionParameter> parameters;
  ReturnKind return_kind = ReturnKind::kNone;
  std::string return_type;               // unqualified entity/complex type name
  EdmType return_primitive = EdmType::kString;  // for kPrimitive / kPrimitiveCollection
  std::string entity_set;                // for entity returns: EntitySet="…"
  Annotations sap;                       // e.g. {"action-for", "…"}, {"label", "…"}
};

// What a service declares. `namespace_name` is the schema namespace (e.g.
// "BC_EXT_APPJOB_MANAGEMENT"); the container is "<namespace>_Entities" unless `container_name`
// is set.
struct Schema {
  std::string namespace_name;
  std::string container_name;  // empty: "<namespace_name>_Entities"
  Annotations schema_sap{{"schema-version", "1"}};
  Annotations container_sap{{"supported-formats", "atom json xlsx"}};
  std::string language = "en";  // xml:lang of the schema
  std::vector<EntityType> entity_types;
  std::vector<ComplexType> complex_types;
  std::vector<Association> associations;
  std::vector<EntitySet> entity_sets;
  std::vector<AssociationSet> association_sets;
  std::vector<FunctionImport> function_imports;
};

// A resolved navigation property: where it leads from a given entity set.
struct NavigationTarget {
  const NavigationProperty* property = nullptr;
  const EntityType* target_type = nullptr;
  const EntitySet* target_set = nullptr;  // resolved via association sets; may be null
  bool many = false;                      // target multiplicity "*"
};

// The validated, indexed model. Immutable; all pointers stay valid for the model's lifetime.
class Model {
 public:
  // Validates `schema` (unique names, keys and ETag properties exist and are non-nullable,
  // referenced types/associations/sets exist) and indexes it. Errors are kInternal with a text
  // naming the offending element.
  static core::Result<std::shared_ptr<const Model>> Create(Schema schema);

  const Schema& schema() const { return schema_; }
  const std::string& namespace_name() const { return schema_.namespace_name; }
  const std::string& container_name() const { return schema_.container_name; }

  // Lookups by exact (case-sensitive) name; nullptr if absent.
  const EntitySet* FindEntitySet(std::string_view name) const;
  const EntityType* FindEntityType(std::string_view name) const;
  const ComplexType* FindComplexType(std::string_view name) const;
  const FunctionImport* FindFunction(std::string_view name) const;
  const Association* FindAssociation(std::string_view name) const;
  // The entity type of a set (never null for a set of this model).
  const EntityType& TypeOf(const EntitySet& set) const;
  std::optional<NavigationTarget> FindNavigation(const EntitySet& set, std::string_view nav) const;
  std::optional<NavigationTarget> FindNavigation(const EntityType& type, std::string_view nav) const;

 private:
  Model() = default;
  Schema schema_;
};

// Index of `name` in `properties`, or -1.
int PropertyIndex(const std::vector<Property>& properties, std::string_view name);
// Index of `name` in `type.properties`, or -1.
inline int PropertyIndex(const EntityType& type, std::string_view name) {
  return PropertyIndex(type.properties, name);
}

}  // namespace causeway::odata
