#include "odata/writer.h"

#include "odata/literal.h"
#include "odata/select.h"
#include "core/text_scan.h"

namespace causeway::odata {
namespace {

constexpr char kAtomNs[] = "http://www.w3.org/2005/Atom";
constexpr char kMetaNs[] = "http://schemas.microsoft.com/ado/2007/08/dataservices/metadata";
constexpr char kDataNs[] = "http://schemas.microsoft.com/ado/2007/08/dataservices";
constexpr char kScheme[] = "http://schemas.microsoft.com/ado/2007/08/dataservices/scheme";
constexpr char kRelated[] = "http://schemas.microsoft.com/ado/2007/08/dataservices/related/";

void AppendNamespaces(std::string& out, std::string_view root) {
  out += " xml:base=\"";
  AppendXmlEscaped(out, root, true);
  out += "\" xmlns=\"";
  out += kAtomNs;
  out += "\" xmlns:m=\"";
  out += kMetaNs;
  out += "\" xmlns:d=\"";
  out += kDataNs;
  out += '"';
}

// <d:Name m:type="Edm.Int32">5</d:Name>; strings carry no m:type, nulls m:null="true".
void AppendXmlProperty(std::string& out, const Property& p, const Value& v) {
  out += "<d:";
  out += p.name;
  if (p.type != EdmType::kString) {
    out += " m:type=\"";
    out += EdmTypeName(p.type);
    out += '"';
  }
  if (v.is_null()) {
    out += " m:null=\"true\"/>";
    return;
  }
  out += '>';
  std::string scratch;
  AppendXmlEscaped(out, AtomTextView(v, p.type, scratch));
  out += "</d:";
  out += p.name;
  out += '>';
}

void AppendEntry(std::string& out, const WriteContext& ctx, const EntitySet& set, const Entity& e, bool top_level);

void AppendFeedBody(std::string& out, const WriteContext& ctx, const EntitySet& set, std::string_view self_path,
                    const std::vector<Entity>& entities, std::optional<int64_t> count, std::string_view next_url) {
  out += "<id>";
  AppendXmlEscaped(out, ctx.root);
  AppendXmlEscaped(out, self_path);
  out += "</id><title type=\"text\">";
  AppendXmlEscaped(out, set.name);
  out += "</title><updated>";
  out += ctx.updated;
  out += "</updated><author><name/></author><link href=\"";
  AppendXmlEscaped(out, self_path, true);
  out += "\" rel=\"self\" title=\"";
  AppendXmlEscaped(out, set.name, true);
  out += "\"/>";
  if (count) {
    out += "<m:count>";
    out += std::to_string(*count);
    out += "</m:count>";
  }
  for (const auto& e : entities) AppendEntry(out, ctx, set, e, false);
  if (!next_url.empty()) {
    out += "<link href=\"";
    AppendXmlEscaped(out, next_url, true);
    out += "\" rel=\"next\"/>";
  }
}

void AppendEntry(std::string& out, const WriteContext& ctx, const EntitySet& set, const Entity& e, bool top_level) {
  const EntityType& type = ctx.model->TypeOf(set);
  std::string path = EntityPath(*ctx.model, set, e);
  std::string etag = EntityEtag(type, e);
  out += "<entry";
  if (top_level) AppendNamespaces(out, ctx.root);
  if (!etag.empty()) {
    out += " m:etag=\"";
    AppendXmlEscaped(out, etag, true);
    out += '"';
  }
  out += "><id>";
  AppendXmlEscaped(out, ctx.root);
  AppendXmlEscaped(out, path);
  out += "</id><title type=\"text\">";
  AppendXmlEscaped(out, path);
  out += "</title><updated>";
  out += ctx.updated;
  out += "</updated><category term=\"";
  AppendXmlEscaped(out, ctx.model->namespace_name() + "." + type.name, true);
  out += "\" scheme=\"";
  out += kScheme;
  out += "\"/><link href=\"";
  AppendXmlEscaped(out, path, true);
  out += "\" rel=\"edit\" title=\"";
  AppendXmlEscaped(out, type.name, true);
  out += "\"/>";
  for (const auto& nav : type.navigation) {
    if (!IsSelected(ctx.select, nav.name)) continue;
    auto target = ctx.model->FindNavigation(type, nav.name);
    bool many = target && target->many;
    out += "<link href=\"";
    AppendXmlEscaped(out, path + "/" + nav.name, true);
    out += "\" rel=\"";
    out += kRelated;
    out += nav.name;
    out += many ? "\" type=\"application/atom+xml;type=feed\" title=\"" : "\" type=\"application/atom+xml;type=entry\" title=\"";
    AppendXmlEscaped(out, nav.name, true);
    out += '"';
    const Expansion* x = nullptr;
    for (const auto& ex : e.expanded)
      if (ex.navigation == nav.name) x = &ex;
    if (!x || !target || !target->target_set) {
      out += "/>";
      continue;
    }
    out += "><m:inline>";
    WriteContext inner = ctx;
    inner.select = SelectBelow(ctx.select, nav.name);
    if (many) {
      out += "<feed>";
      AppendFeedBody(out, inner, *target->target_set, path + "/" + nav.name, x->entities, std::nullopt, {});
      out += "</feed>";
    } else if (!x->entities.empty()) {
      AppendEntry(out, inner, *target->target_set, x->entities[0], false);
    }
    out += "</m:inline></link>";
  }
  out += "<content type=\"application/xml\"><m:properties>";
  for (size_t i = 0; i < type.properties.size() && i < e.values.size(); ++i)
    if (IsSelected(ctx.select, type.properties[i].name)) AppendXmlProperty(out, type.properties[i], e.values[i]);
  out += "</m:properties></content></entry>";
}

constexpr char kXmlDecl[] = "<?xml version=\"1.0\" encoding=\"utf-8\"?>";

}  // namespace

void AppendXmlEscaped(std::string& out, std::string_view s, bool attribute) {
  size_t run = 0;
  size_t i = core::scan::FirstXmlCandidate(s, attribute);
  while (i < s.size()) {
    char c = s[i];
    if (c == '\t' || c == '\n' || c == '\r') {  // allowed as they are
      i = i + 1 + core::scan::FirstXmlCandidate(s.substr(i + 1), attribute);
      continue;
    }
    out.append(s.data() + run, i - run);
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      default: break;  // XML 1.0 cannot carry most control characters: dropped, not emitted invalid
    }
    run = i + 1;
    i = run + core::scan::FirstXmlCandidate(s.substr(run), attribute);
  }
  out.append(s.data() + run, s.size() - run);
}

std::string AtomEntryDocument(const WriteContext& ctx, const EntitySet& set, const Entity& e) {
  std::string out = kXmlDecl;
  AppendEntry(out, ctx, set, e, true);
  return out;
}

std::string AtomFeedDocument(const WriteContext& ctx, const EntitySet& set, std::string_view self_path,
                             const std::vector<Entity>& entities, std::optional<int64_t> count,
                             std::string_view next_url) {
  std::string out;
  out.reserve(512 + entities.size() * 1024);
  out += kXmlDecl;
  out += "<feed";
  AppendNamespaces(out, ctx.root);
  out += '>';
  AppendFeedBody(out, ctx, set, self_path, entities, count, next_url);
  out += "</feed>";
  return out;
}

std::string XmlFunctionResult(const Model& model, const FunctionImport& fn, const FunctionResult& r) {
  std::string out = kXmlDecl;
  out += "<d:";
  out += fn.name;
  out += " xmlns:d=\"";
  out += kDataNs;
  out += "\" xmlns:m=\"";
  out += kMetaNs;
  out += "\"";
  auto complex_body = [&](const ComplexType& ct, const Entity& e) {
    for (size_t i = 0; i < ct.properties.size() && i < e.values.size(); ++i)
      AppendXmlProperty(out, ct.properties[i], e.values[i]);
  };
  switch (fn.return_kind) {
    case ReturnKind::kComplex: {
      const ComplexType* ct = model.FindComplexType(fn.return_type);
      out += " m:type=\"" + model.namespace_name() + "." + ct->name + "\">";
      if (!r.entities.empty()) complex_body(*ct, r.entities[0]);
      break;
    }
    case ReturnKind::kComplexCollection: {
      const ComplexType* ct = model.FindComplexType(fn.return_type);
      out += '>';
      for (const auto& e : r.entities) {
        out += "<d:element m:type=\"" + model.namespace_name() + "." + ct->name + "\">";
        complex_body(*ct, e);
        out += "</d:element>";
      }
      break;
    }
    case ReturnKind::kPrimitive: {
      out += " m:type=\"";
      out += EdmTypeName(fn.return_primitive);
      out += '"';
      if (r.entities.empty() || r.entities[0].values.empty() || r.entities[0].values[0].is_null()) {
        out += " m:null=\"true\"/>";
        return out;
      }
      out += '>';
      AppendXmlEscaped(out, FormatAtomText(r.entities[0].values[0], fn.return_primitive));
      break;
    }
    case ReturnKind::kPrimitiveCollection:
      out += '>';
      for (const auto& e : r.entities) {
        if (e.values.empty() || e.values[0].is_null()) {
          out += "<d:element m:null=\"true\"/>";
          continue;
        }
        out += "<d:element>";
        AppendXmlEscaped(out, FormatAtomText(e.values[0], fn.return_primitive));
        out += "</d:element>";
      }
      break;
    default:
      out += '>';
  }
  out += "</d:";
  out += fn.name;
  out += '>';
  return out;
}

std::string XmlPropertyDocument(const Property& p, const Value& v) {
  std::string out = kXmlDecl;
  std::string prop;
  AppendXmlProperty(prop, p, v);
  // Add the namespace declarations to the single element.
  size_t insert_at = 3 + p.name.size();
  prop.insert(insert_at, std::string(" xmlns:d=\"") + kDataNs + "\" xmlns:m=\"" + kMetaNs + "\"");
  out += prop;
  return out;
}

std::string EntityPath(const Model& model, const EntitySet& set, const Entity& e) {
  const EntityType& type = model.TypeOf(set);
  std::string out = set.name;
  out += '(';
  for (size_t k = 0; k < type.keys.size(); ++k) {
    int i = PropertyIndex(type, type.keys[k]);
    const Property& p = type.properties[static_cast<size_t>(i)];
    Value v = static_cast<size_t>(i) < e.values.size() ? e.values[static_cast<size_t>(i)] : Value();
    if (k) out += ',';
    if (type.keys.size() > 1) {
      out += p.name;
      out += '=';
    }
    out += EncodePathSegment(FormatLiteral(v, p.type));
  }
  out += ')';
  return out;
}

std::string EntityEtag(const EntityType& type, const Entity& e) {
  if (type.etag_property.empty()) return {};
  int i = PropertyIndex(type, type.etag_property);
  if (i < 0 || static_cast<size_t>(i) >= e.values.size()) return {};
  const Property& p = type.properties[static_cast<size_t>(i)];
  return "W/\"" + EncodePathSegment(FormatLiteral(e.values[static_cast<size_t>(i)], p.type)) + "\"";
}

std::string ServiceDocument(const Model& model, std::string_view root, Format format) {
  std::string out;
  if (format == Format::kJson) {
    out = "{\"d\":{\"EntitySets\":[";
    bool first = true;
    for (const auto& s : model.schema().entity_sets) {
      if (!first) out += ',';
      first = false;
      AppendJsonString(out, s.name);
    }
    out += "]}}";
    return out;
  }
  out = kXmlDecl;
  out += "<app:service xml:base=\"";
  AppendXmlEscaped(out, root, true);
  out += "\" xmlns:app=\"http://www.w3.org/2007/app\" xmlns:atom=\"http://www.w3.org/2005/Atom\" xmlns:sap=\""
         "http://www.sap.com/Protocols/SAPData\" xmlns:m=\"";
  out += kMetaNs;
  out += "\" xmlns:d=\"";
  out += kDataNs;
  out += "\"><app:workspace><atom:title type=\"text\">Data</atom:title>";
  for (const auto& s : model.schema().entity_sets) {
    out += "<app:collection";
    for (const auto& [k, v] : s.sap) {
      if (k != "creatable" && k != "updatable" && k != "deletable" && k != "searchable" && k != "pageable" &&
          k != "content-version" && k != "addressable")
        continue;
      out += " sap:";
      out += k;
      out += "=\"";
      AppendXmlEscaped(out, v, true);
      out += '"';
    }
    out += " href=\"";
    AppendXmlEscaped(out, s.name, true);
    out += "\"><atom:title type=\"text\">";
    AppendXmlEscaped(out, s.name);
    out += "</atom:title><sap:member-title>";
    AppendXmlEscaped(out, s.entity_type);
    out += "</sap:member-title></app:collection>";
  }
  out += "</app:workspace><atom:link rel=\"self\" href=\"";
  AppendXmlEscaped(out, root, true);
  out += "\"/><atom:link rel=\"latest-version\" href=\"";
  AppendXmlEscaped(out, root, true);
  out += "\"/></app:service>";
  return out;
}

}  // namespace causeway::odata
