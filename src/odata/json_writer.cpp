#include "odata/writer.h"

#include <charconv>
#include <cstdio>
#include <cstring>

#include "odata/literal.h"
#include "odata/select.h"

namespace causeway::odata {

void AppendJsonValue(std::string& out, const Value& v, EdmType type) {
  if (v.is_null()) {
    out += "null";
    return;
  }
  switch (type) {
    case EdmType::kBoolean:
      out += *v.get_if<bool>() ? "true" : "false";
      return;
    case EdmType::kByte: case EdmType::kSByte: case EdmType::kInt16: case EdmType::kInt32:
      if (const auto* i = v.get_if<int64_t>()) {
        char buf[24];
        out.append(buf, static_cast<size_t>(std::to_chars(buf, buf + sizeof buf, *i).ptr - buf));
      } else {
        out += FormatAtomText(v, type);
      }
      return;
    case EdmType::kDouble: case EdmType::kSingle: {
      // Verbose JSON writes Edm.Double as a string in Gateway too (it is an ABAP FLTP).
      out += '"';
      out += FormatAtomText(v, type);
      out += '"';
      return;
    }
    case EdmType::kDateTime: {
      const auto* d = v.get_if<DateTime>();
      out += "\"\\/Date(";
      out += std::to_string(d ? d->ms : 0);
      out += ")\\/\"";
      return;
    }
    case EdmType::kDateTimeOffset: {
      const auto* d = v.get_if<DateTimeOffset>();
      char buf[16];
      int off = d ? d->offset_minutes : 0;
      std::snprintf(buf, sizeof buf, "%c%04d", off < 0 ? '-' : '+', off < 0 ? -off : off);
      out += "\"\\/Date(";
      out += std::to_string(d ? d->ms : 0);
      out += buf;
      out += ")\\/\"";
      return;
    }
    default: {  // String, Int64, Decimal, Time, Guid, Binary: JSON strings
      std::string scratch;
      AppendJsonString(out, AtomTextView(v, type, scratch));
      return;
    }
  }
}

namespace {

void AppendJsonProperties(std::string& out, const std::vector<Property>& props, const std::vector<Value>& values,
                          const WriteContext* ctx, bool first) {
  for (size_t i = 0; i < props.size() && i < values.size(); ++i) {
    if (ctx && !IsSelected(ctx->select, props[i].name)) continue;
    // Property names are EDM SimpleIdentifiers (Model::Create checks): nothing to escape.
    out += first ? "\"" : ",\"";
    first = false;
    out += props[i].name;
    out += "\":";
    AppendJsonValue(out, values[i], props[i].type);
  }
}

}  // namespace

void AppendJsonEntity(std::string& out, const WriteContext& ctx, const EntitySet& set, const Entity& e) {
  const EntityType& type = ctx.model->TypeOf(set);
  std::string uri = ctx.root + EntityPath(*ctx.model, set, e);
  out += "{\"__metadata\":{\"id\":";
  AppendJsonString(out, uri);
  out += ",\"uri\":";
  AppendJsonString(out, uri);
  out += ",\"type\":";
  AppendJsonString(out, ctx.model->namespace_name() + "." + type.name);
  std::string etag = EntityEtag(type, e);
  if (!etag.empty()) {
    out += ",\"etag\":";
    AppendJsonString(out, etag);
  }
  out += '}';
  AppendJsonProperties(out, type.properties, e.values, &ctx, false);
  for (const auto& nav : type.navigation) {
    if (!IsSelected(ctx.select, nav.name)) continue;
    out += ',';
    AppendJsonString(out, nav.name);
    const Expansion* x = nullptr;
    for (const auto& ex : e.expanded)
      if (ex.navigation == nav.name) x = &ex;
    auto target = ctx.model->FindNavigation(type, nav.name);
    if (!x || !target || !target->target_set) {
      out += ":{\"__deferred\":{\"uri\":";
      AppendJsonString(out, uri + "/" + nav.name);
      out += "}}";
      continue;
    }
    WriteContext inner = ctx;
    inner.select = SelectBelow(ctx.select, nav.name);
    if (target->many) {
      out += ":{\"results\":[";
      for (size_t i = 0; i < x->entities.size(); ++i) {
        if (i) out += ',';
        AppendJsonEntity(out, inner, *target->target_set, x->entities[i]);
      }
      out += "]}";
    } else if (x->entities.empty()) {
      out += ":null";
    } else {
      out += ':';
      AppendJsonEntity(out, inner, *target->target_set, x->entities[0]);
    }
  }
  out += '}';
}

std::string JsonEntityDocument(const WriteContext& ctx, const EntitySet& set, const Entity& e) {
  std::string out = "{\"d\":";
  AppendJsonEntity(out, ctx, set, e);
  out += '}';
  return out;
}

std::string JsonFeedDocument(const WriteContext& ctx, const EntitySet& set, const std::vector<Entity>& entities,
                             std::optional<int64_t> count, std::string_view next_url) {
  std::string out;
  out.reserve(256 + entities.size() * 512);
  out += "{\"d\":{";
  if (count) {
    out += "\"__count\":\"";
    out += std::to_string(*count);
    out += "\",";
  }
  out += "\"results\":[";
  for (size_t i = 0; i < entities.size(); ++i) {
    if (i) out += ',';
    AppendJsonEntity(out, ctx, set, entities[i]);
  }
  out += ']';
  if (!next_url.empty()) {
    out += ",\"__next\":";
    AppendJsonString(out, next_url);
  }
  out += "}}";
  return out;
}

namespace {
void AppendComplexJson(std::string& out, const Model& model, const ComplexType& ct, const Entity& e) {
  out += "{\"__metadata\":{\"type\":";
  AppendJsonString(out, model.namespace_name() + "." + ct.name);
  out += '}';
  AppendJsonProperties(out, ct.properties, e.values, nullptr, false);
  out += '}';
}
}  // namespace

std::string JsonFunctionResult(const Model& model, const FunctionImport& fn, const FunctionResult& r) {
  std::string out = "{\"d\":";
  switch (fn.return_kind) {
    case ReturnKind::kComplex: {
      const ComplexType* ct = model.FindComplexType(fn.return_type);
      out += '{';
      AppendJsonString(out, fn.name);
      out += ':';
      if (r.entities.empty()) out += "null";
      else AppendComplexJson(out, model, *ct, r.entities[0]);
      out += '}';
      break;
    }
    case ReturnKind::kComplexCollection: {
      const ComplexType* ct = model.FindComplexType(fn.return_type);
      out += "{\"results\":[";
      for (size_t i = 0; i < r.entities.size(); ++i) {
        if (i) out += ',';
        AppendComplexJson(out, model, *ct, r.entities[i]);
      }
      out += "]}";
      break;
    }
    case ReturnKind::kPrimitive:
      out += '{';
      AppendJsonString(out, fn.name);
      out += ':';
      if (r.entities.empty() || r.entities[0].values.empty()) out += "null";
      else AppendJsonValue(out, r.entities[0].values[0], fn.return_primitive);
      out += '}';
      break;
    case ReturnKind::kPrimitiveCollection:
      out += "{\"results\":[";
      for (size_t i = 0; i < r.entities.size(); ++i) {
        if (i) out += ',';
        if (r.entities[i].values.empty()) out += "null";
        else AppendJsonValue(out, r.entities[i].values[0], fn.return_primitive);
      }
      out += "]}";
      break;
    default:
      out += "null";
  }
  out += '}';
  return out;
}

std::string JsonPropertyDocument(const Property& p, const Value& v) {
  std::string out = "{\"d\":{";
  AppendJsonString(out, p.name);
  out += ':';
  AppendJsonValue(out, v, p.type);
  out += "}}";
  return out;
}

std::string SapMessageHeader(const std::vector<core::ErrorDetail>& messages) {
  if (messages.empty()) return {};
  auto one = [](std::string& out, const core::ErrorDetail& m) {
    out += "\"code\":";
    AppendJsonString(out, m.code);
    out += ",\"message\":";
    AppendJsonString(out, m.message);
    out += ",\"severity\":";
    AppendJsonString(out, core::SeverityName(m.severity));
    out += ",\"target\":";
    AppendJsonString(out, m.target);
  };
  std::string out = "{";
  one(out, messages[0]);
  out += ",\"details\":[";
  for (size_t i = 1; i < messages.size(); ++i) {
    if (i > 1) out += ',';
    out += '{';
    one(out, messages[i]);
    out += '}';
  }
  out += "]}";
  return out;
}

}  // namespace causeway::odata
