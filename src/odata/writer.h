// Hand-written serializers (append to one std::string; no DOM): Atom and JSON verbose
// representations of entities, feeds and function results, $metadata, the service document and
// Gateway error bodies. Internal to the engine; exposed for tests and benchmarks.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.h"
#include "core/json_text.h"
#include "odata/edm.h"
#include "odata/query.h"
#include "odata/service.h"
#include "odata/value.h"

namespace causeway::odata {

enum class Format { kAtom, kJson };

struct WriteContext {
  const Model* model = nullptr;
  std::string root;            // service root URL with trailing '/'
  std::string updated;         // Atom <updated> value, e.g. "2024-01-01T12:00:00Z"
  std::vector<std::string> select;  // empty: all properties and navigation properties
};

// Relative entity path "Set('X')" / "Set(K1='a',K2=1)" (percent-encoded key literals).
std::string EntityPath(const Model& model, const EntitySet& set, const Entity& e);
// W/"<literal>" for types with an etag property; empty otherwise.
std::string EntityEtag(const EntityType& type, const Entity& e);

// Escapes XML text; with `attribute`, also `"` (attributes are always written in double quotes;
// an apostrophe stays literal, as in Gateway's `href="Set(Key='…')"`).
void AppendXmlEscaped(std::string& out, std::string_view s, bool attribute = false);
using core::AppendJsonString;  // a quoted JSON string (core/json_text.h)
// JSON verbose representation of one value of `type` (Int64/Decimal as strings, /Date()/…).
void AppendJsonValue(std::string& out, const Value& v, EdmType type);

// JSON: the inner object of an entity ({"__metadata":…,…}) / a {"d":…} document.
void AppendJsonEntity(std::string& out, const WriteContext& ctx, const EntitySet& set, const Entity& e);
std::string JsonEntityDocument(const WriteContext& ctx, const EntitySet& set, const Entity& e);
// `next_url` empty: no __next. `count` set: "__count".
std::string JsonFeedDocument(const WriteContext& ctx, const EntitySet& set, const std::vector<Entity>& entities,
                             std::optional<int64_t> count, std::string_view next_url);

// Atom: a standalone <entry> / <feed> document. `self_path` is the feed's relative path.
std::string AtomEntryDocument(const WriteContext& ctx, const EntitySet& set, const Entity& e);
std::string AtomFeedDocument(const WriteContext& ctx, const EntitySet& set, std::string_view self_path,
                             const std::vector<Entity>& entities, std::optional<int64_t> count,
                             std::string_view next_url);

// Function results of complex/primitive kind (entity kinds use the entity writers).
std::string JsonFunctionResult(const Model& model, const FunctionImport& fn, const FunctionResult& r);
std::string XmlFunctionResult(const Model& model, const FunctionImport& fn, const FunctionResult& r);
// A single property (GET Set(key)/Prop): {"d":{"Prop":…}} or <d:Prop …>…</d:Prop>.
std::string JsonPropertyDocument(const Property& p, const Value& v);
std::string XmlPropertyDocument(const Property& p, const Value& v);

// EDMX 1.0 for the model.
std::string MetadataDocument(const Model& model, std::string_view root);
// Service document: AtomPub <app:service> or {"d":{"EntitySets":[…]}}.
std::string ServiceDocument(const Model& model, std::string_view root, Format format);

// Gateway error bodies (spec §2.8). `language` is lower-cased into message/@xml:lang.
struct ErrorStamp {
  std::string transaction_id;  // 32 upper-case hex
  std::string timestamp;       // "YYYYMMDDhhmmss.fffffff"
};
std::string GatewayErrorJson(const core::Error& e, const ServiceInfo& info, std::string_view language,
                             const ErrorStamp& stamp);
std::string GatewayErrorXml(const core::Error& e, const ServiceInfo& info, std::string_view language,
                            const ErrorStamp& stamp);
// The `sap-message` header value for success responses with messages.
std::string SapMessageHeader(const std::vector<core::ErrorDetail>& messages);

}  // namespace causeway::odata
