#include "soap/engine.h"

#include <algorithm>

#include <libxml/tree.h>
#include <spdlog/spdlog.h>

#include "core/ascii.h"
#include "core/random.h"
#include "core/sha256.h"
#include "core/crypto.h"
#include "soap/fault.h"

namespace causeway::soap {
namespace {

core::Error SoapError(const char* number, std::string text) {
  return core::MakeError(core::Code::kBadRequest, "CAUSEWAY/SOAP", number, std::move(text));
}

const char* VersionName(SoapVersion v) { return v == SoapVersion::k12 ? "1.2" : "1.1"; }

// The media type without parameters, lower case.
std::string MediaType(std::string_view content_type) {
  size_t semi = content_type.find(';');
  return core::ToLower(core::Trim(content_type.substr(0, semi)));
}

std::string_view QueryParamName(std::string_view param) { return param.substr(0, param.find('=')); }

template <typename Fn>
void ForEachParam(std::string_view query, Fn fn) {
  while (!query.empty()) {
    size_t amp = query.find('&');
    std::string_view p = query.substr(0, amp);
    if (!p.empty()) fn(p);
    if (amp == std::string_view::npos) break;
    query.remove_prefix(amp + 1);
  }
}

// "https://host:8443" → "host".
std::string HostOf(std::string_view base_url) {
  size_t scheme = base_url.find("://");
  std::string_view rest = scheme == std::string_view::npos ? base_url : base_url.substr(scheme + 3);
  rest = rest.substr(0, rest.find('/'));
  if (!rest.empty() && rest[0] == '[') return std::string(rest.substr(0, rest.find(']') + 1));
  return std::string(rest.substr(0, rest.find(':')));
}

void ReplaceAll(std::string& s, std::string_view from, std::string_view to) {
  if (from.empty()) return;
  for (size_t pos = s.find(from); pos != std::string::npos; pos = s.find(from, pos + to.size()))
    s.replace(pos, from.size(), to);
}

void DigestNode(const xmlNode* n, core::Sha256& h) {
  auto put = [&](std::string_view s) {
    h.Update(s);
    h.Update("\x1f", 1);
  };
  auto str = [](const xmlChar* s) { return s ? std::string_view(reinterpret_cast<const char*>(s)) : std::string_view(); };
  for (; n; n = n->next) {
    if (n->type == XML_ELEMENT_NODE) {
      put("<");
      put(n->ns ? str(n->ns->href) : "");
      put(str(n->name));
      for (const xmlAttr* a = n->properties; a; a = a->next) {
        put("@");
        put(a->ns ? str(a->ns->href) : "");
        put(str(a->name));
        for (const xmlNode* t = a->children; t; t = t->next) put(str(t->content));
      }
      DigestNode(n->children, h);
      put(">");
    } else if (n->type == XML_TEXT_NODE || n->type == XML_CDATA_SECTION_NODE) {
      std::string_view text = str(n->content);
      if (text.find_first_not_of(" \t\r\n") != std::string_view::npos) {
        put("T");
        put(text);
      }
    }
  }
}

}  // namespace

SoapVersion VersionFromContentType(std::string_view content_type) {
  return MediaType(content_type) == "application/soap+xml" ? SoapVersion::k12 : SoapVersion::k11;
}

bool AsksForWsdl(std::string_view query) {
  bool found = false;
  ForEachParam(query, [&](std::string_view p) { found = found || core::IEquals(QueryParamName(p), "wsdl"); });
  return found;
}

std::string SapVhost(std::string_view query) {
  std::string out;
  ForEachParam(query, [&](std::string_view p) {
    if (core::IEquals(QueryParamName(p), "sap-vhost") && p.size() > 10) out = std::string(p.substr(10));
  });
  // A host name only: anything that could break out of the attribute is dropped.
  std::string clean;
  for (char c : out)
    if (std::isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '-' || c == '_' || c == ':') clean += c;
  return clean;
}

std::string PayloadDigest(XmlElement element) {
  core::Sha256 h;
  xmlNode* n = element.raw();
  if (n) {
    xmlNode* saved_next = n->next;  // digest this element only, not its following siblings
    n->next = nullptr;
    DigestNode(n, h);
    n->next = saved_next;
  }
  auto d = h.Final();
  return core::HexEncode(std::string_view(reinterpret_cast<const char*>(d.data()), d.size()));
}

core::Result<std::unique_ptr<Engine>> Engine::Create(std::shared_ptr<const Service> service, store::Database& db,
                                                     EngineOptions options) {
  CW_ASSIGN_OR_RETURN(auto schemas, SchemaSet::FromWsdl(service->Description().wsdl));
  return std::unique_ptr<Engine>(new Engine(std::move(service), std::move(schemas), db, std::move(options)));
}

Engine::Engine(std::shared_ptr<const Service> service, std::shared_ptr<const SchemaSet> schemas, store::Database& db,
               EngineOptions options)
    : service_(std::move(service)),
      schemas_(std::move(schemas)),
      options_(std::move(options)),
      error_log_(db),
      idempotency_(db, options_.clock ? *options_.clock : system_clock_, options_.idempotency) {
  const auto& ops = service_->Description().operations;
  stores_every_operation_ = options_.messages != nullptr && !ops.empty() &&
                            std::all_of(ops.begin(), ops.end(), [](const Operation& op) { return op.one_way; });
}

bool Engine::MayBlock(const http::Request& req) const {
  if (req.method != "POST") return false;
  return !stores_every_operation_ || req.body.size() > options_.inline_body_limit;
}

const Operation* Engine::FindOperation(std::string_view ns, std::string_view local) const {
  for (const auto& op : service_->Description().operations)
    if (op.request_namespace == ns && op.request_element == local) return &op;
  return nullptr;
}

http::Response Engine::Fault(SoapVersion v, const std::string& operation, const std::string& user,
                             const std::string& category, const core::Error& error, FaultLog log,
                             const std::string& reason_override, std::string transaction_id) const {
  const core::SystemTime at = clock().Now();
  if (transaction_id.empty()) transaction_id = core::RandomHexUpper(16);
  ErrorLogEntry entry{transaction_id, at, service_->Description().interface_name, operation, user,
                      VersionName(v), category, error.GatewayCode(), error.text};
  spdlog::info("soap fault {} {} {} ({}): {}", transaction_id, entry.service, operation, category, error.text);
  std::string reason = reason_override.empty() ? ProcessingErrorText(at, transaction_id) : reason_override;
  http::Response fault(500, ContentTypeOf(v), FaultEnvelope(v, reason));
  switch (log) {
    case FaultLog::kWait:
      if (core::Status st = error_log_.Record(entry); !st.ok())
        spdlog::error("soap: error log entry {} not written: {}", transaction_id, st.error().text);
      break;
    case FaultLog::kAfter: {
      // The fault goes out once its entry is durable, and also if the entry could not be
      // written (RecordAsync logged that): the sender's answer does not depend on the log.
      http::Response unchanged = fault;
      fault.after = error_log_.RecordAsync(std::move(entry));
      fault.on_failure = [unchanged = std::move(unchanged)](const core::Error&) { return unchanged; };
      break;
    }
    case FaultLog::kBackground:
      error_log_.RecordAsync(std::move(entry));
      break;
  }
  return fault;
}

http::Response Engine::Handle(const http::Request& req, const CallContext& ctx) const {
  if (req.method == "GET" || req.method == "HEAD") {
    if (AsksForWsdl(req.Query())) return Wsdl(req, ctx);
  } else if (req.method == "POST") {
    return Post(req, ctx);
  }
  http::Response r(405, "text/plain; charset=utf-8", "Use POST for SOAP requests and GET ?wsdl for the WSDL");
  r.headers.Add("allow", "GET, HEAD, POST");
  return r;
}

http::Response Engine::Wsdl(const http::Request& req, const CallContext& ctx) const {
  const ServiceDescription& d = service_->Description();
  std::string vhost = SapVhost(req.Query());
  if (vhost.empty()) vhost = HostOf(ctx.base_url);
  std::string address = ctx.base_url + std::string(req.Path()) + "?sap-vhost=" + vhost;
  std::string wsdl = d.wsdl;
  ReplaceAll(wsdl, d.address_placeholder, address);
  return http::Response(200, "text/xml; charset=utf-8", std::move(wsdl));
}

http::Response Engine::Post(const http::Request& req, const CallContext& ctx) const {
  const FaultLog log = MayBlock(req) ? FaultLog::kWait : FaultLog::kAfter;
  auto fault = [&](SoapVersion v, const std::string& operation, const char* category, const core::Error& e) {
    return Fault(v, operation, ctx.user, category, e, log);
  };
  const std::string content_type(req.headers.Get("content-type").value_or(""));
  const std::string media = MediaType(content_type);
  const SoapVersion claimed = VersionFromContentType(content_type);
  if (media != "text/xml" && media != "application/soap+xml")
    return fault(claimed, "", "envelope",
                 SoapError("011", "Content type '" + content_type + "' is not a SOAP content type (text/xml for "
                                  "SOAP 1.1, application/soap+xml for SOAP 1.2)"));
  auto parsed = ParseEnvelope(req.body, options_.limits);
  if (!parsed.ok()) return fault(claimed, "", "parse", parsed.error());
  Envelope env = std::move(parsed).value();
  if (env.version != claimed)
    return fault(env.version, "", "envelope",
                 SoapError("012", std::string("A SOAP ") + VersionName(env.version) + " envelope was sent as '" +
                                      media + "'"));
  const Operation* op = FindOperation(env.payload.Namespace(), env.payload.LocalName());
  if (!op)
    return fault(env.version, "", "dispatch",
                 SoapError("013", "No operation of " + service_->Description().interface_name +
                                      " has the request message {" + std::string(env.payload.Namespace()) + "}" +
                                      std::string(env.payload.LocalName())));
  schemas_->StripForeign(env.payload);
  if (core::Status st = schemas_->Validate(env.payload); !st.ok()) return fault(env.version, op->name, "schema", st.error());

  if (op->one_way && options_.messages) return Store(env, *op, ctx);

  auto invoke = [&]() -> core::Result<std::string> {
    CW_ASSIGN_OR_RETURN(Reply reply, service_->Invoke(*op, env.payload, ctx));
    return std::move(reply.payload);
  };
  core::Result<std::string> payload = std::string();
  std::optional<std::string> uuid;
  if (op->idempotent) {
    if (auto header = env.payload.Child("BasicMessageHeader")) {
      if (auto u = header.ChildText("UUID")) {
        std::string collapsed = CollapseWhitespace(*u);
        if (!collapsed.empty()) uuid = std::move(collapsed);
      }
    }
  }
  if (uuid) {
    auto answer = idempotency_.Run(service_->Description().interface_name, *uuid, op->name,
                                   PayloadDigest(env.payload), invoke);
    if (!answer.ok()) {
      const core::Error& e = answer.error();
      bool idp = e.message_class == "CAUSEWAY/SOAP" && (e.message_number == "030" || e.message_number == "031");
      return fault(env.version, op->name, idp ? "idempotency" : "application", e);
    }
    payload = std::move(answer->payload);
  } else {
    payload = invoke();
    if (!payload.ok()) return fault(env.version, op->name, "application", payload.error());
  }
  if (op->one_way) {
    http::Response r;
    r.status = 202;
    return r;
  }
  return http::Response(200, ContentTypeOf(env.version), WrapInEnvelope(env.version, *payload));
}

http::Response Engine::Store(const Envelope& env, const Operation& op, const CallContext& ctx) const {
  InboundMessage m;
  m.service = service_->Description().interface_name;
  m.operation = op.name;
  if (auto header = env.payload.Child("BasicMessageHeader")) {
    m.message_id = CollapseWhitespace(header.ChildText("ID").value_or(""));
    m.message_uuid = CollapseWhitespace(header.ChildText("UUID").value_or(""));
  }
  m.queue_key = service_->QueueKey(op, env.payload);
  m.user = ctx.user;
  m.client = ctx.client;
  m.language = ctx.language;
  m.soap_version = VersionName(env.version);
  m.received_at = clock().Now();
  m.payload = Markup(env.payload);
  http::Response accepted;
  accepted.status = 202;
  store::UnitOfWork* current = store::UnitOfWork::Current();
  if (current && &current->database() == &options_.messages->database()) {
    options_.messages->StageReceive(*current, std::move(m), nullptr);
    if (options_.on_stored) current->OnCommit(options_.on_stored);
    return accepted;
  }
  store::UnitOfWork unit(options_.messages->database());
  options_.messages->StageReceive(unit, std::move(m), nullptr);
  if (options_.on_stored) unit.OnCommit(options_.on_stored);
  accepted.after = unit.CommitAsync();
  // Not stored: the generic fault (so that the sender resends), written from the I/O thread.
  accepted.on_failure = [this, v = env.version, operation = op.name, user = ctx.user](const core::Error& e) {
    return Fault(v, operation, user, "store", e, FaultLog::kBackground);
  };
  return accepted;
}

http::Response Engine::FaultResponse(const http::Request& req, const core::Error& error) const {
  const SoapVersion v = VersionFromContentType(req.headers.Get("content-type").value_or(""));
  if (error.code == core::Code::kUnauthorized) {
    std::string client = req.sap_client.empty() ? "100" : req.sap_client;
    http::Response r(401, ContentTypeOf(v), FaultEnvelope(v, error.text.empty() ? "Unauthorized" : error.text));
    r.headers.Add("www-authenticate",
                  "Basic realm=\"SAP NetWeaver Application Server [" + options_.system_id + "/" + client + "]\"");
    return r;
  }
  const FaultLog log = MayBlock(req) ? FaultLog::kWait : FaultLog::kAfter;
  std::string operation;
  if (req.method == "POST") {
    if (auto env = ParseEnvelope(req.body, options_.limits); env.ok()) {
      if (const Operation* op = FindOperation(env->payload.Namespace(), env->payload.LocalName())) operation = op->name;
    }
  }
  if (error.code == core::Code::kForbidden) {
    const ServiceDescription& d = service_->Description();
    std::string txid = core::RandomHexUpper(16);
    std::string reason = AuthorizationRoleMissingText(d.interface_namespace, d.interface_name,
                                                      operation.empty() ? "<unknown>" : operation, clock().Now(), txid);
    return Fault(v, operation, req.user, "authorization", error, log, reason, txid);
  }
  return Fault(v, operation, req.user, "gate", error, log);
}

}  // namespace causeway::soap
