#include "odata/writer.h"

namespace causeway::odata {
namespace {

void Attr(std::string& out, std::string_view name, std::string_view value) {
  out += ' ';
  out += name;
  out += "=\"";
  AppendXmlEscaped(out, value, true);
  out += '"';
}

void SapAttrs(std::string& out, const Annotations& sap) {
  for (const auto& [k, v] : sap) Attr(out, "sap:" + k, v);
}

void Facets(std::string& out, bool nullable, std::optional<int> max_length, std::optional<int> precision,
            std::optional<int> scale, bool fixed_length) {
  if (!nullable) Attr(out, "Nullable", "false");
  if (max_length) Attr(out, "MaxLength", std::to_string(*max_length));
  if (fixed_length) Attr(out, "FixedLength", "true");
  if (precision) Attr(out, "Precision", std::to_string(*precision));
  if (scale) Attr(out, "Scale", std::to_string(*scale));
}

void PropertyXml(std::string& out, const Property& p, bool concurrency) {
  out += "<Property";
  Attr(out, "Name", p.name);
  Attr(out, "Type", EdmTypeName(p.type));
  Facets(out, p.nullable, p.max_length, p.precision, p.scale, p.fixed_length);
  if (concurrency) Attr(out, "ConcurrencyMode", "Fixed");
  SapAttrs(out, p.sap);
  out += "/>";
}

}  // namespace

std::string MetadataDocument(const Model& model, std::string_view root) {
  const Schema& s = model.schema();
  const std::string& ns = s.namespace_name;
  std::string out;
  out.reserve(16384);
  out += "<?xml version=\"1.0\" encoding=\"utf-8\"?>"
         "<edmx:Edmx Version=\"1.0\" xmlns:edmx=\"http://schemas.microsoft.com/ado/2007/06/edmx\""
         " xmlns:m=\"http://schemas.microsoft.com/ado/2007/08/dataservices/metadata\""
         " xmlns:sap=\"http://www.sap.com/Protocols/SAPData\">"
         "<edmx:DataServices m:DataServiceVersion=\"2.0\"><Schema";
  Attr(out, "Namespace", ns);
  Attr(out, "xml:lang", s.language);
  SapAttrs(out, s.schema_sap);
  out += " xmlns=\"http://schemas.microsoft.com/ado/2008/09/edm\">";
  for (const auto& t : s.entity_types) {
    out += "<EntityType";
    Attr(out, "Name", t.name);
    SapAttrs(out, t.sap);
    out += "><Key>";
    for (const auto& k : t.keys) {
      out += "<PropertyRef";
      Attr(out, "Name", k);
      out += "/>";
    }
    out += "</Key>";
    for (const auto& p : t.properties) PropertyXml(out, p, p.name == t.etag_property);
    for (const auto& n : t.navigation) {
      out += "<NavigationProperty";
      Attr(out, "Name", n.name);
      Attr(out, "Relationship", ns + "." + n.relationship);
      Attr(out, "FromRole", n.from_role);
      Attr(out, "ToRole", n.to_role);
      out += "/>";
    }
    out += "</EntityType>";
  }
  for (const auto& c : s.complex_types) {
    out += "<ComplexType";
    Attr(out, "Name", c.name);
    SapAttrs(out, c.sap);
    out += '>';
    for (const auto& p : c.properties) PropertyXml(out, p, false);
    out += "</ComplexType>";
  }
  for (const auto& a : s.associations) {
    out += "<Association";
    Attr(out, "Name", a.name);
    SapAttrs(out, a.sap);
    out += '>';
    for (const auto* e : {&a.end1, &a.end2}) {
      out += "<End";
      Attr(out, "Type", ns + "." + e->entity_type);
      Attr(out, "Multiplicity", e->multiplicity);
      Attr(out, "Role", e->role);
      out += "/>";
    }
    out += "</Association>";
  }
  out += "<EntityContainer";
  Attr(out, "Name", s.container_name);
  Attr(out, "m:IsDefaultEntityContainer", "true");
  SapAttrs(out, s.container_sap);
  out += '>';
  for (const auto& es : s.entity_sets) {
    out += "<EntitySet";
    Attr(out, "Name", es.name);
    Attr(out, "EntityType", ns + "." + es.entity_type);
    SapAttrs(out, es.sap);
    out += "/>";
  }
  for (const auto& as : s.association_sets) {
    out += "<AssociationSet";
    Attr(out, "Name", as.name);
    Attr(out, "Association", ns + "." + as.association);
    SapAttrs(out, as.sap);
    out += '>';
    for (const auto* e : {&as.end1, &as.end2}) {
      out += "<End";
      Attr(out, "EntitySet", e->entity_set);
      Attr(out, "Role", e->role);
      out += "/>";
    }
    out += "</AssociationSet>";
  }
  for (const auto& f : s.function_imports) {
    out += "<FunctionImport";
    Attr(out, "Name", f.name);
    switch (f.return_kind) {
      case ReturnKind::kNone: break;
      case ReturnKind::kEntity: case ReturnKind::kComplex: Attr(out, "ReturnType", ns + "." + f.return_type); break;
      case ReturnKind::kEntityCollection: case ReturnKind::kComplexCollection:
        Attr(out, "ReturnType", "Collection(" + ns + "." + f.return_type + ")");
        break;
      case ReturnKind::kPrimitive: Attr(out, "ReturnType", EdmTypeName(f.return_primitive)); break;
      case ReturnKind::kPrimitiveCollection:
        Attr(out, "ReturnType", std::string("Collection(") + EdmTypeName(f.return_primitive) + ")");
        break;
    }
    if (!f.entity_set.empty()) Attr(out, "EntitySet", f.entity_set);
    Attr(out, "m:HttpMethod", f.http_method);
    SapAttrs(out, f.sap);
    if (f.parameters.empty()) {
      out += "/>";
      continue;
    }
    out += '>';
    for (const auto& p : f.parameters) {
      out += "<Parameter";
      Attr(out, "Name", p.name);
      Attr(out, "Type", EdmTypeName(p.type));
      Attr(out, "Mode", "In");
      Facets(out, p.nullable, p.max_length, p.precision, p.scale, false);
      SapAttrs(out, p.sap);
      out += "/>";
    }
    out += "</FunctionImport>";
  }
  out += "</EntityContainer>";
  // Gateway appends self / latest-version links to the schema.
  for (const char* rel : {"self", "latest-version"}) {
    out += "<atom:link";
    Attr(out, "rel", rel);
    Attr(out, "href", std::string(root) + "$metadata");
    out += " xmlns:atom=\"http://www.w3.org/2005/Atom\"/>";
  }
  out += "</Schema></edmx:DataServices></edmx:Edmx>";
  return out;
}

}  // namespace causeway::odata
