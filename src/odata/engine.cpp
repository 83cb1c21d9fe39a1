#include "odata/engine.h"

#include <algorithm>
#include <chrono>

#include <spdlog/spdlog.h>

#include "core/ascii.h"
#include "core/blocking.h"
#include "core/time_format.h"
#include "odata/engine_internal.h"
#include "odata/errors.h"
#include "odata/filter_parser.h"
#include "odata/gateway_error.h"
#include "odata/select.h"
#include "odata/literal.h"
#include "odata/uri_parser.h"

namespace causeway::odata {
namespace {

constexpr char kJsonType[] = "application/json; charset=utf-8";
constexpr char kEntryType[] = "application/atom+xml;type=entry;charset=utf-8";
constexpr char kFeedType[] = "application/atom+xml;type=feed;charset=utf-8";
constexpr char kXmlType[] = "application/xml;charset=utf-8";

http::Response Ok(int status, std::string content_type, std::string body) {
  http::Response r;
  r.status = status;
  if (!content_type.empty()) r.headers.Add("content-type", std::move(content_type));
  r.body = std::move(body);
  r.headers.Add("dataserviceversion", "2.0");
  return r;
}

// $format wins over Accept; Accept selects JSON only when it names a JSON type.
core::Result<Format> Negotiate(const http::Request& req, const std::vector<QueryParam>& params) {
  for (const auto& p : params) {
    if (p.name != "$format") continue;
    if (p.value == "json" || p.value == "application/json") return Format::kJson;
    if (p.value == "xml" || p.value == "atom" || p.value == "application/atom+xml" || p.value == "application/xml")
      return Format::kAtom;
    return BadRequest("Format '&1' is not supported", {p.value.substr(0, 100)}, "$format");
  }
  auto accept = req.headers.Get("accept");
  if (accept && core::ToLower(*accept).find("application/json") != std::string::npos) return Format::kJson;
  return Format::kAtom;
}


struct Option {
  const char* name;
  unsigned bit;
};
constexpr Option kOptions[] = {{"$filter", kOptFilter},       {"$orderby", kOptOrderBy},     {"$top", kOptTop},
                               {"$skip", kOptSkip},           {"$inlinecount", kOptInlineCount},
                               {"$select", kOptSelect},       {"$expand", kOptExpand},       {"$skiptoken", kOptSkipToken},
                               {"search", kOptSearch}};

core::Result<int64_t> ParseCount(const QueryParam& p) {
  if (p.value.empty() || p.value.size() > 12) return BadRequest("Invalid value '&1' for &2", {p.value.substr(0, 50), p.name}, p.name);
  int64_t v = 0;
  for (char c : p.value) {
    if (c < '0' || c > '9') return BadRequest("Invalid value '&1' for &2", {p.value.substr(0, 50), p.name}, p.name);
    v = v * 10 + (c - '0');
  }
  return v;
}

// $expand bounds: expansion recurses once per path segment and reads each level for every
// entity of the level above, and a model with a navigation cycle (A → B → A) admits paths of
// any length, so both the depth and the number of paths are bounded.
constexpr int kMaxExpandDepth = 10;
constexpr size_t kMaxExpandPaths = 64;

// Checks one $expand item, a navigation path "Nav1/Nav2/…": every segment must be a navigation
// property of the type the previous segment leads to.
core::Status ValidateExpandPath(const Model& model, const EntityType& type, const std::string& path) {
  const EntityType* current = &type;
  size_t pos = 0;
  for (int depth = 1;; ++depth) {
    if (depth > kMaxExpandDepth)
      return BadRequest("$expand path '&1' is deeper than &2 levels", {path.substr(0, 200), std::to_string(kMaxExpandDepth)},
                        "$expand");
    size_t slash = path.find('/', pos);
    std::string segment = path.substr(pos, slash == std::string::npos ? std::string::npos : slash - pos);
    auto nav = model.FindNavigation(*current, segment);
    if (!nav || nav->target_type == nullptr)
      return BadRequest("Navigation property '&1' in $expand does not exist in type '&2'", {segment, current->name},
                        "$expand");
    current = nav->target_type;
    if (slash == std::string::npos) return core::Status::Ok();
    pos = slash + 1;
  }
}

// Builds QueryOptions for a read of `set` (collection when `collection`).
core::Result<QueryOptions> BuildQuery(const Model& model, const EntitySet& set, const std::vector<QueryParam>& params,
                                      bool collection) {
  const EntityType& type = model.TypeOf(set);
  QueryOptions q;
  std::vector<std::string_view> seen;
  for (const auto& p : params) {
    if (p.name == "$format" || core::IStartsWith(p.name, "sap-")) continue;
    const Option* opt = nullptr;
    for (const auto& o : kOptions)
      if (p.name == o.name) opt = &o;
    if (!opt) {
      if (!p.name.empty() && p.name[0] == '$') return BadRequest("System query option '&1' is not valid", {p.name}, p.name);
      q.custom.emplace_back(p.name, p.value);  // custom options pass through, as on Gateway
      continue;
    }
    for (auto s : seen)
      if (s == p.name) return BadRequest("System query option '&1' is given more than once", {p.name}, p.name);
    seen.push_back(p.name);
    if (!(set.supported_options & opt->bit)) return UnsupportedOption(p.name, set.name);
    bool collection_only = opt->bit != kOptSelect && opt->bit != kOptExpand;
    if (collection_only && !collection) continue;  // not applicable to a single entity: ignored
    switch (opt->bit) {
      case kOptFilter: {
        CW_ASSIGN_OR_RETURN(FilterExpr f, ParseFilter(p.value, type));
        q.filter = std::move(f);
        break;
      }
      case kOptOrderBy: {
        CW_ASSIGN_OR_RETURN(q.orderby, ParseOrderBy(p.value, type));
        break;
      }
      case kOptTop: {
        CW_ASSIGN_OR_RETURN(int64_t v, ParseCount(p));
        q.top = v;
        break;
      }
      case kOptSkip: {
        CW_ASSIGN_OR_RETURN(int64_t v, ParseCount(p));
        q.skip = v;
        break;
      }
      case kOptInlineCount:
        if (p.value == "allpages") q.inline_count = true;
        else if (p.value != "none")
          return BadRequest("Invalid value '&1' for $inlinecount", {p.value.substr(0, 50)}, "$inlinecount");
        break;
      case kOptSelect:
        q.select = SplitList(p.value);
        CW_RETURN_IF_ERROR(ValidateSelect(model, type, q.select));
        break;
      case kOptExpand:
        q.expand = SplitList(p.value);
        if (q.expand.size() > kMaxExpandPaths)
          return BadRequest("$expand names more than &1 navigation paths", {std::to_string(kMaxExpandPaths)}, "$expand");
        for (const auto& e : q.expand) CW_RETURN_IF_ERROR(ValidateExpandPath(model, type, e));
        break;
      case kOptSkipToken: q.skiptoken = p.value; break;
      case kOptSearch: q.search = p.value; break;
      default: break;
    }
  }
  return q;
}

core::Result<KeyValues> BindKey(const EntityType& type, const std::vector<KeyTerm>& terms, std::string_view segment) {
  KeyValues key(type.keys.size());
  if (terms.size() != type.keys.size())
    return BadRequest("Key predicate of segment '&1' does not match the key of type '&2'", {std::string(segment), type.name});
  for (size_t k = 0; k < type.keys.size(); ++k) {
    const KeyTerm* term = nullptr;
    if (terms.size() == 1 && terms[0].name.empty()) term = &terms[0];
    else
      for (const auto& t : terms)
        if (t.name == type.keys[k]) term = &t;
    if (!term)
      return BadRequest("Key property '&1' is missing in segment '&2'", {type.keys[k], std::string(segment)}, type.keys[k]);
    const Property& p = type.properties[static_cast<size_t>(PropertyIndex(type, type.keys[k]))];
    CW_ASSIGN_OR_RETURN(key[k], ParseTypedLiteral(term->literal, p.type, p.max_length, false, p.name));
  }
  return key;
}

KeyValues KeyOf(const EntityType& type, const Entity& e) {
  KeyValues key;
  for (const auto& k : type.keys) {
    size_t i = static_cast<size_t>(PropertyIndex(type, k));
    key.push_back(i < e.values.size() ? e.values[i] : Value());
  }
  return key;
}

// The query string of a __next link: the request's own options minus $skiptoken, plus the new one.
std::string NextUrl(std::string_view root, std::string_view path, std::string_view raw_query, const std::string& token) {
  if (token.empty()) return {};
  std::string url(root);
  url += path;
  url += '?';
  size_t pos = 0;
  while (pos <= raw_query.size() && !raw_query.empty()) {
    size_t amp = raw_query.find('&', pos);
    if (amp == std::string_view::npos) amp = raw_query.size();
    std::string_view item = raw_query.substr(pos, amp - pos);
    if (!item.empty() && item.substr(0, 10) != "$skiptoken" && item.substr(0, 12) != "%24skiptoken") {
      url += item;
      url += '&';
    }
    if (amp == raw_query.size()) break;
    pos = amp + 1;
  }
  url += "$skiptoken=";
  url += EncodeQueryValue(token);
  return url;
}

// One parsed request against the model: resolves the path and runs the service call.
class ResourceRequest {
 public:
  ResourceRequest(const Engine& engine, const http::Request& req, const RoutedRequest& r, Context& ctx, Format format)
      : engine_(engine), model_(engine.model()), req_(req), r_(r), ctx_(ctx), format_(format) {}

  core::Result<http::Response> Run(const ParsedPath& path, const std::vector<QueryParam>& params) {
    method_ = req_.method;
    if (method_ == "POST") {
      if (auto tunnel = req_.headers.Get("x-http-method")) method_ = core::ToUpper(*tunnel);
    }
    params_ = &params;
    const PathSegment& first = path.segments[0];
    if (const FunctionImport* fn = model_.FindFunction(first.name)) {
      if (path.segments.size() > 1 || (first.has_parens && !first.key.empty())) return ResourceNotFound(first.name);
      return CallFunction(*fn);
    }
    const EntitySet* set = model_.FindEntitySet(first.name);
    if (!set) return ResourceNotFound(first.name);
    const EntityType& type = model_.TypeOf(*set);
    if (!first.has_parens) {
      if (path.segments.size() == 1) return Collection(*set);
      if (path.segments.size() == 2 && path.segments[1].name == "$count") return Count(*set);
      return ResourceNotFound(path.segments[1].name);
    }
    if (first.key.empty()) return BadRequest("Key predicate of segment '&1' is empty", {first.name});
    CW_ASSIGN_OR_RETURN(KeyValues key, BindKey(type, first.key, first.name));
    if (path.segments.size() == 1) return SingleEntity(*set, key);
    const PathSegment& second = path.segments[1];
    if (auto nav = model_.FindNavigation(type, second.name)) {
      bool count = path.segments.size() == 3 && path.segments[2].name == "$count";
      if (path.segments.size() > 2 && !count)
        return core::Error(core::MakeError(core::Code::kNotImplemented, kRuntimeClass, "021",
                                           "Navigation paths deeper than one segment are not supported"));
      if (second.has_parens) return BadRequest("Key predicate after navigation '&1' is not supported", {second.name});
      return Navigation(*set, key, *nav, count);
    }
    int pi = PropertyIndex(type, second.name);
    if (pi < 0 || second.has_parens) return ResourceNotFound(second.name);
    bool raw = path.segments.size() == 3 && path.segments[2].name == "$value";
    if (path.segments.size() > 2 && !raw) return ResourceNotFound(path.segments[2].name);
    return PropertyValue(*set, key, type.properties[static_cast<size_t>(pi)], static_cast<size_t>(pi), raw);
  }

 private:
  WriteContext Writer(std::vector<std::string> select = {}) const {
    WriteContext w;
    w.model = &model_;
    w.root = r_.service_root_url;
    if (format_ == Format::kAtom) w.updated = core::FormatIso8601(engine_.options_clock().Now());  // Atom only
    w.select = std::move(select);
    return w;
  }

  bool ReadMethod() const { return method_ == "GET"; }
  core::Error NotAllowed() const { return MethodNotAllowed(method_, r_.resource_path); }

  http::Response EntityResponse(int status, const EntitySet& set, const Entity& e, std::vector<std::string> select) {
    WriteContext w = Writer(std::move(select));
    http::Response resp = format_ == Format::kJson ? Ok(status, kJsonType, JsonEntityDocument(w, set, e))
                                                   : Ok(status, kEntryType, AtomEntryDocument(w, set, e));
    std::string etag = EntityEtag(model_.TypeOf(set), e);
    if (!etag.empty()) resp.headers.Add("etag", etag);
    return resp;
  }

  http::Response FeedResponse(const EntitySet& set, std::string_view self_path, const EntityCollection& c,
                              std::vector<std::string> select) {
    WriteContext w = Writer(std::move(select));
    std::string next = NextUrl(r_.service_root_url, self_path, r_.query, c.next_skiptoken);
    if (format_ == Format::kJson) return Ok(200, kJsonType, JsonFeedDocument(w, set, c.entities, c.total_count, next));
    return Ok(200, kFeedType, AtomFeedDocument(w, set, self_path, c.entities, c.total_count, next));
  }

  core::Status Expand(const EntitySet& set, std::vector<Entity>& entities, const QueryOptions& q) {
    return ExpandPaths(set, entities, q.expand);
  }

  // Fills Entity::expanded for every path ("A", "A/B", …; validated by BuildQuery). Paths are
  // grouped by their first segment: each navigation is read once per entity (unless the
  // service already filled it), then the remainders are expanded on the results.
  core::Status ExpandPaths(const EntitySet& set, std::vector<Entity>& entities, const std::vector<std::string>& paths) {
    if (paths.empty() || entities.empty()) return core::Status::Ok();
    const EntityType& type = model_.TypeOf(set);
    std::vector<std::pair<std::string, std::vector<std::string>>> groups;  // first segment -> remainders
    for (const auto& path : paths) {
      size_t slash = path.find('/');
      std::string head = path.substr(0, slash);
      auto it = std::find_if(groups.begin(), groups.end(), [&](const auto& g) { return g.first == head; });
      if (it == groups.end()) it = groups.insert(groups.end(), {head, {}});
      if (slash != std::string::npos) it->second.push_back(path.substr(slash + 1));
    }
    for (const auto& group : groups) {
      const std::string& name = group.first;  // not a structured binding: clang 14 cannot capture those
      const auto& rest = group.second;
      auto nav = model_.FindNavigation(type, name);
      if (!nav) continue;  // validated before; unreachable
      for (auto& e : entities) {
        auto x = std::find_if(e.expanded.begin(), e.expanded.end(), [&](const Expansion& ex) { return ex.navigation == name; });
        if (x == e.expanded.end()) {
          CW_ASSIGN_OR_RETURN(EntityCollection c, engine_service().ReadNavigation(set, KeyOf(type, e), *nav, {}, ctx_));
          e.expanded.push_back(Expansion{name, std::move(c.entities)});
          x = std::prev(e.expanded.end());
        }
        if (!rest.empty() && nav->target_set != nullptr)
          CW_RETURN_IF_ERROR(ExpandPaths(*nav->target_set, x->entities, rest));
      }
    }
    return core::Status::Ok();
  }

  core::Result<http::Response> Collection(const EntitySet& set) {
    if (method_ == "POST") return Create(set);
    if (!ReadMethod()) return NotAllowed();
    CW_ASSIGN_OR_RETURN(QueryOptions q, BuildQuery(model_, set, *params_, true));
    CW_ASSIGN_OR_RETURN(EntityCollection c, engine_service().ReadEntitySet(set, q, ctx_));
    if (q.inline_count && !c.total_count) c.total_count = static_cast<int64_t>(c.entities.size());
    CW_RETURN_IF_ERROR(Expand(set, c.entities, q));
    return FeedResponse(set, set.name, c, q.select);
  }

  core::Result<http::Response> Count(const EntitySet& set) {
    if (!ReadMethod()) return NotAllowed();
    if (!(set.supported_options & kOptCount)) return UnsupportedOption("$count", set.name);
    CW_ASSIGN_OR_RETURN(QueryOptions q, BuildQuery(model_, set, *params_, true));
    q.count_only = true;
    CW_ASSIGN_OR_RETURN(EntityCollection c, engine_service().ReadEntitySet(set, q, ctx_));
    int64_t n = c.total_count ? *c.total_count : static_cast<int64_t>(c.entities.size());
    return Ok(200, "text/plain;charset=utf-8", std::to_string(n));
  }

  core::Result<http::Response> Create(const EntitySet& set) {
    const EntityType& type = model_.TypeOf(set);
    CW_ASSIGN_OR_RETURN(EntityPayload payload,
                        ParseEntityBody(type, req_.headers.Get("content-type").value_or(""), req_.body));
    CW_ASSIGN_OR_RETURN(Entity created, engine_service().CreateEntity(set, payload, ctx_));
    http::Response resp = EntityResponse(201, set, created, {});
    resp.headers.Add("location", r_.service_root_url + EntityPath(model_, set, created));
    return resp;
  }

  // If-Match handling for update/delete: 428 when the set demands it, 412 on mismatch.
  core::Status CheckPrecondition(const EntitySet& set, const KeyValues& key) {
    auto if_match = req_.headers.Get("if-match");
    if (!if_match) {
      if (set.etag_required) return EtagRequired();
      return core::Status::Ok();
    }
    const EntityType& type = model_.TypeOf(set);
    if (type.etag_property.empty()) return core::Status::Ok();
    CW_ASSIGN_OR_RETURN(std::optional<Entity> current, engine_service().ReadEntity(set, key, ctx_));
    if (!current) return EntityNotFound(r_.resource_path);
    if (*if_match == "*") return core::Status::Ok();
    if (*if_match != EntityEtag(type, *current)) return EtagMismatch();
    return core::Status::Ok();
  }

  core::Result<http::Response> SingleEntity(const EntitySet& set, const KeyValues& key) {
    if (method_ == "GET") {
      CW_ASSIGN_OR_RETURN(QueryOptions q, BuildQuery(model_, set, *params_, false));
      CW_ASSIGN_OR_RETURN(std::optional<Entity> e, engine_service().ReadEntity(set, key, ctx_));
      if (!e) return EntityNotFound(r_.resource_path);
      std::vector<Entity> one{std::move(*e)};
      CW_RETURN_IF_ERROR(Expand(set, one, q));
      return EntityResponse(200, set, one[0], q.select);
    }
    if (method_ == "PUT" || method_ == "MERGE" || method_ == "PATCH") {
      CW_RETURN_IF_ERROR(CheckPrecondition(set, key));
      CW_ASSIGN_OR_RETURN(EntityPayload payload, ParseEntityBody(model_.TypeOf(set),
                                                                 req_.headers.Get("content-type").value_or(""), req_.body));
      CW_RETURN_IF_ERROR(engine_service().UpdateEntity(set, key, payload,
                                                       method_ == "PUT" ? UpdateMode::kReplace : UpdateMode::kMerge, ctx_));
      return Ok(204, "", "");
    }
    if (method_ == "DELETE") {
      CW_RETURN_IF_ERROR(CheckPrecondition(set, key));
      CW_RETURN_IF_ERROR(engine_service().DeleteEntity(set, key, ctx_));
      return Ok(204, "", "");
    }
    return NotAllowed();
  }

  core::Result<http::Response> Navigation(const EntitySet& set, const KeyValues& key, const NavigationTarget& nav,
                                          bool count) {
    if (!ReadMethod()) return NotAllowed();
    if (!nav.target_set) return core::Error(core::MakeError(core::Code::kInternal, kRuntimeClass, "001",
                                                            "Navigation '&1' has no target entity set", {nav.property->name}));
    CW_ASSIGN_OR_RETURN(std::optional<Entity> source, engine_service().ReadEntity(set, key, ctx_));
    if (!source) return EntityNotFound(r_.resource_path);
    CW_ASSIGN_OR_RETURN(QueryOptions q, BuildQuery(model_, *nav.target_set, *params_, nav.many));
    q.count_only = count;
    CW_ASSIGN_OR_RETURN(EntityCollection c, engine_service().ReadNavigation(set, key, nav, q, ctx_));
    if (count) return Ok(200, "text/plain;charset=utf-8", std::to_string(c.total_count.value_or(static_cast<int64_t>(c.entities.size()))));
    if (q.inline_count && !c.total_count) c.total_count = static_cast<int64_t>(c.entities.size());
    CW_RETURN_IF_ERROR(Expand(*nav.target_set, c.entities, q));
    if (nav.many) {
      std::string self = EntityPath(model_, set, *source) + "/" + nav.property->name;
      return FeedResponse(*nav.target_set, self, c, q.select);
    }
    if (c.entities.empty()) return EntityNotFound(r_.resource_path);
    return EntityResponse(200, *nav.target_set, c.entities[0], q.select);
  }

  core::Result<http::Response> PropertyValue(const EntitySet& set, const KeyValues& key, const Property& p, size_t index,
                                             bool raw) {
    if (!ReadMethod()) return NotAllowed();
    CW_ASSIGN_OR_RETURN(std::optional<Entity> e, engine_service().ReadEntity(set, key, ctx_));
    if (!e) return EntityNotFound(r_.resource_path);
    Value v = index < e->values.size() ? e->values[index] : Value();
    if (raw) {
      if (v.is_null()) return EntityNotFound(r_.resource_path);
      return Ok(200, "text/plain;charset=utf-8",
                p.type == EdmType::kBinary ? v.get_if<Binary>()->bytes : FormatAtomText(v, p.type));
    }
    if (format_ == Format::kJson) return Ok(200, kJsonType, JsonPropertyDocument(p, v));
    return Ok(200, kXmlType, XmlPropertyDocument(p, v));
  }

  core::Result<http::Response> CallFunction(const FunctionImport& fn) {
    // HEAD is never allowed on a function import (Gateway answers 405; SAP/cloud-sdk-js#2430).
    if (req_.method == "HEAD" || method_ != fn.http_method) return NotAllowed();
    std::vector<Value> values(fn.parameters.size());
    std::vector<bool> given(fn.parameters.size(), false);
    for (const auto& qp : *params_) {
      if (qp.name.empty() || qp.name[0] == '$' || core::IStartsWith(qp.name, "sap-")) continue;
      size_t i = 0;
      while (i < fn.parameters.size() && fn.parameters[i].name != qp.name) ++i;
      if (i == fn.parameters.size())
        return BadRequest("Parameter '&1' is not defined for function import '&2'", {qp.name, fn.name}, qp.name);
      if (given[i]) return BadRequest("Parameter '&1' is given more than once", {qp.name}, qp.name);
      const FunctionParameter& p = fn.parameters[i];
      CW_ASSIGN_OR_RETURN(values[i], ParseTypedLiteral(qp.value, p.type, p.max_length, p.nullable, p.name));
      given[i] = true;
    }
    for (size_t i = 0; i < fn.parameters.size(); ++i)
      if (!given[i] && !fn.parameters[i].nullable)
        return BadRequest("Mandatory parameter '&1' of function import '&2' is missing", {fn.parameters[i].name, fn.name},
                          fn.parameters[i].name);
    CW_ASSIGN_OR_RETURN(FunctionResult result, engine_service().CallFunction(fn, values, ctx_));
    switch (fn.return_kind) {
      case ReturnKind::kNone: return Ok(204, "", "");
      case ReturnKind::kEntity: {
        const EntitySet* set = model_.FindEntitySet(fn.entity_set);
        if (result.entities.empty()) return EntityNotFound(fn.name);
        return EntityResponse(200, *set, result.entities[0], {});
      }
      case ReturnKind::kEntityCollection: {
        const EntitySet* set = model_.FindEntitySet(fn.entity_set);
        EntityCollection c;
        c.entities = std::move(result.entities);
        return FeedResponse(*set, fn.name, c, {});
      }
      default:
        if (format_ == Format::kJson) return Ok(200, kJsonType, JsonFunctionResult(model_, fn, result));
        return Ok(200, kXmlType, XmlFunctionResult(model_, fn, result));
    }
  }

  const Service& engine_service() const { return engine_.service(); }

  const Engine& engine_;
  const Model& model_;
  const http::Request& req_;
  const RoutedRequest& r_;
  Context& ctx_;
  Format format_;
  std::string method_;
  const std::vector<QueryParam>* params_ = nullptr;
};

}  // namespace


core::Result<std::unique_ptr<Engine>> Engine::Create(std::shared_ptr<const Service> service, EngineOptions options) {
  if (!service) return core::MakeError(core::Code::kInternal, kRuntimeClass, "001", "No service");
  CW_ASSIGN_OR_RETURN(std::shared_ptr<const Model> model, Model::Create(service->DefineSchema()));
  std::unique_ptr<Engine> e(new Engine());
  e->info_ = service->Info();
  e->service_ = std::move(service);
  e->model_ = std::move(model);
  e->options_ = options;
  if (options.read_cache_entries > 0) {
    ResponseCache::Limits limits;
    limits.max_entries = options.read_cache_entries;
    e->read_cache_ = std::make_unique<ResponseCache>(limits);
  }
  return e;
}

http::Response Engine::Impl::Error(const Engine& engine, const core::Error& e, Format format, const Context& ctx) {
  return GatewayErrorResponse(e, format, engine.info_, ctx.language, engine.options_clock());
}

http::Response Engine::ErrorResponse(const http::Request& req, std::string_view raw_query,
                                     const core::Error& e) const {
  return GatewayErrorResponse(e, GuessFormat(req, raw_query), info_, req.sap_language, options_clock());
}

http::Response Engine::Impl::HandleSingle(const Engine& engine, const http::Request& req, const RoutedRequest& r,
                                          Context& ctx, Format* format_out) {
  try {
    return HandleSingleUnguarded(engine, req, r, ctx, format_out);
  } catch (const std::exception& e) {
    spdlog::error("OData request {} {} failed: {}", req.method, r.resource_path, e.what());
    return Error(engine, InternalError(), GuessFormat(req, r.query), ctx);
  }
}

http::Response Engine::Impl::HandleSingleUnguarded(const Engine& engine, const http::Request& req, const RoutedRequest& r,
                                          Context& ctx, Format* format_out) {
  Format format = GuessFormat(req, r.query);
  auto params = ParseQueryString(r.query);
  if (!params.ok()) return Error(engine, params.error(), format, ctx);
  auto negotiated = Negotiate(req, *params);
  if (!negotiated.ok()) return Error(engine, negotiated.error(), format, ctx);
  format = *negotiated;
  if (format_out) *format_out = format;
  auto path = ParseResourcePath(r.resource_path);
  if (!path.ok()) return Error(engine, path.error(), format, ctx);
  const bool head = req.method == "HEAD";
  switch (path->kind) {
    case ParsedPath::Kind::kServiceDocument: {
      if (req.method != "GET" && !head) return Error(engine, MethodNotAllowed(req.method, "/"), format, ctx);
      http::Response resp = format == Format::kJson
                                ? Ok(200, kJsonType, ServiceDocument(engine.model(), r.service_root_url, format))
                                : Ok(200, "application/atomsvc+xml;charset=utf-8",
                                     ServiceDocument(engine.model(), r.service_root_url, format));
      if (head) resp.body.clear();
      return resp;
    }
    case ParsedPath::Kind::kMetadata: {
      if (req.method != "GET" && !head) return Error(engine, MethodNotAllowed(req.method, "$metadata"), format, ctx);
      http::Response resp = Ok(200, kXmlType, head ? std::string() : MetadataDocument(engine.model(), r.service_root_url));
      if (!engine.info_.metadata_last_modified.empty())
        resp.headers.Add("sap-metadata-last-modified", engine.info_.metadata_last_modified);
      return resp;
    }
    case ParsedPath::Kind::kBatch:
      return Error(engine, BatchError(core::Code::kBadRequest, "Nested $batch requests are not allowed"), format, ctx);
    case ParsedPath::Kind::kResource:
      break;
  }
  std::string method = req.method;
  if (head) {
    // HEAD on data resources: Gateway answers 405 on function imports and entity paths.
    return Error(engine, MethodNotAllowed("HEAD", r.resource_path), format, ctx);
  }
  std::string cache_key = ReadCacheKey(engine, req, r, ctx, format, *path, *params);
  if (!cache_key.empty())
    if (auto hit = engine.read_cache_->Find(cache_key)) return *hit;
  ResourceRequest request(engine, req, r, ctx, format);
  auto result = request.Run(*path, *params);
  if (!result.ok()) {
    // The service would have to wait on this I/O thread (core/blocking.h): parked or handed
    // to a worker by the server, nothing was answered.
    if (core::IsWouldBlock(result.error())) return http::Response::ToWorkers();
    return Error(engine, result.error(), format, ctx);
  }
  http::Response resp = std::move(result).value();
  if (!ctx.messages.empty()) resp.headers.Add("sap-message", SapMessageHeader(ctx.messages));
  else if (!cache_key.empty() && resp.status == 200) engine.read_cache_->Store(cache_key, resp);
  return resp;
}

// The read-cache key of a GET of an entity set or one of its entities, or "" when the request
// may not be answered from the cache: not a plain read, $expand (other sets' content), or a
// service that declares no content version for the set. Everything the response depends on is
// in the key: the version, the format, the service root (absolute URLs), path and raw query,
// the language, and for Atom the second of its <updated> stamp.
std::string Engine::Impl::ReadCacheKey(const Engine& engine, const http::Request& req, const RoutedRequest& r,
                                       const Context& ctx, Format format, const ParsedPath& path,
                                       const std::vector<QueryParam>& params) {
  if (!engine.read_cache_ || req.method != "GET" || path.segments.size() != 1) return {};
  const EntitySet* set = engine.model().FindEntitySet(path.segments[0].name);
  if (!set) return {};
  for (const auto& p : params)
    if (p.name == "$expand") return {};
  std::optional<uint64_t> version = engine.service().ReadVersion(*set);
  if (!version) return {};
  std::string key;
  key.reserve(r.service_root_url.size() + r.resource_path.size() + r.query.size() + 48);
  key += format == Format::kJson ? 'J' : 'A';
  key += std::to_string(*version);
  if (format == Format::kAtom) {
    key += '@';
    key += std::to_string(
        std::chrono::duration_cast<std::chrono::seconds>(engine.options_clock().Now().time_since_epoch()).count());
  }
  key += '|';
  key += ctx.language;
  key += '|';
  key += r.service_root_url;
  key += r.resource_path;
  key += '?';
  key += r.query;
  return key;
}

http::Response Engine::Handle(const http::Request& req, const RoutedRequest& r) const {
  Context ctx;
  ctx.request = &req;
  ctx.language = req.sap_language.empty() ? "EN" : core::ToUpper(req.sap_language);
  std::string_view path = r.resource_path;
  if (path == "$batch" || path == "$batch/") {
    Format format = GuessFormat(req, r.query);
    if (req.method != "POST") return Impl::Error(*this, MethodNotAllowed(req.method, "$batch"), format, ctx);
    return Impl::HandleBatch(*this, req, r, ctx, format);
  }
  return Impl::HandleSingle(*this, req, r, ctx, nullptr);
}

}  // namespace causeway::odata
