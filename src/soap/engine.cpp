#include "soap/engine.h"

#include <algorithm>

#include <libxml/tree.h>
#include <spdlog/spdlog.h>

#include "core/ascii.h"
#include "core/random.h"
#include "core/sha256.h"
#include "core/crypto.h"
#include "soap/fault.h"
#include "soap/xml_chars.h"
#include "soap/xml_writer.h"

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

// Appends the digest's input for `n` and its following siblings to `out` (hashed in one go:
// thousands of small Sha256::Update calls cost more than the hashing).
void DigestNode(const xmlNode* n, std::string& out) {
  auto put = [&](std::string_view s) {
    out += s;
    out += '\x1f';
  };
  for (; n; n = n->next) {
    if (n->type == XML_ELEMENT_NODE) {
      put("<");
      put(n->ns ? XmlChars(n->ns->href) : "");
      put(XmlChars(n->name));
      for (const xmlAttr* a = n->properties; a; a = a->next) {
        put("@");
        put(a->ns ? XmlChars(a->ns->href) : "");
        put(XmlChars(a->name));
        for (const xmlNode* t = a->children; t; t = t->next) put(XmlChars(t->content));
      }
      DigestNode(n->children, out);
      put(">");
    } else if (n->type == XML_TEXT_NODE || n->type == XML_CDATA_SECTION_NODE) {
      std::string_view text = XmlChars(n->content);
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
  std::string input;
  xmlNode* n = element.raw();
  if (n) {
    xmlNode* saved_next = n->next;  // digest this element only, not its following siblings
    n->next = nullptr;
    DigestNode(n, input);
    n->next = saved_next;
  }
  core::Sha256 h;
  h.Update(input);
  auto d = h.Final();
  return core::HexEncode(std::string_view(reinterpret_cast<const char*>(d.data()), d.size()));
}

core::Result<std::unique_ptr<Engine>> Engine::Create(std::shared_ptr<const Service> service, store::Database& db,
                                                     EngineOptions options) {
  return std::unique_ptr<Engine>(new Engine(std::move(service), db, std::move(options)));
}

Engine::Engine(std::shared_ptr<const Service> service, store::Database& db, EngineOptions options)
    : service_(std::move(service)),
      options_(std::move(options)),
      db_(db),
      error_log_(db, options_.error_log, service_->Description().interface_name),
      idempotency_(db, options_.clock ? *options_.clock : system_clock_, options_.idempotency) {
  const auto& ops = service_->Description().operations;
  never_blocks_ = !ops.empty() && std::all_of(ops.begin(), ops.end(), [&](const Operation& op) {
    return op.one_way ? options_.messages != nullptr : op.staged;
  });
}

bool Engine::MayBlock(const http::Request& req) const {
  if (req.method != "POST") return false;
  if (!schemas_compiled_.load(std::memory_order_acquire)) return true;  // this one may compile them
  return !never_blocks_ || req.body.size() > options_.inline_body_limit;
}

core::Result<const SchemaSet*> Engine::Schemas() const {
  std::call_once(schemas_once_, [this] {
    auto compiled = SchemaSet::FromWsdl(service_->Description().wsdl);
    if (compiled.ok()) {
      schemas_ = std::move(compiled).value();
    } else {
      schemas_error_ = compiled.error();
      spdlog::error("soap: the schemas of {} do not compile: {}", service_->Description().interface_name,
                    compiled.error().text);
    }
    schemas_compiled_.store(true, std::memory_order_release);
  });
  if (schemas_error_) return *schemas_error_;
  return schemas_.get();
}

std::optional<std::string> Engine::IdempotencyKey(const Operation& op, const Envelope& env) {
  if (!op.idempotent) return std::nullopt;
  XmlElement header = env.payload.Child("BasicMessageHeader");
  if (!header) return std::nullopt;
  // The seed: "provide unique values for the elements ID or UUID of the BasicMessageHeader".
  // Without a UUID the ID is the key, apart from any UUID's.
  for (auto [element, prefix] : {std::pair<const char*, std::string_view>{"UUID", ""}, {"ID", kIdKeyPrefix}}) {
    std::string collapsed = CollapseWhitespace(header.ChildText(element).value_or(""));
    if (!collapsed.empty()) return std::string(prefix) + collapsed;
  }
  return std::nullopt;
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
  // An attribute value: a Host may carry '&' and '\'' (RFC 3986 sub-delims).
  std::string address;
  AppendEscaped(address, ctx.base_url + std::string(req.Path()) + "?sap-vhost=" + vhost, /*attribute=*/true);
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
  auto schemas = Schemas();
  if (!schemas.ok()) return fault(env.version, op->name, "schema", schemas.error());
  (*schemas)->StripForeign(env.payload);
  if (core::Status st = (*schemas)->Validate(env.payload); !st.ok()) return fault(env.version, op->name, "schema", st.error());

  if (op->one_way && options_.messages) return Store(env, *op, ctx);
  if (op->staged && !op->one_way) return Staged(env, *op, ctx, log);

  auto invoke = [&]() -> core::Result<std::string> {
    CW_ASSIGN_OR_RETURN(Reply reply, service_->Invoke(*op, env.payload, ctx));
    return std::move(reply.payload);
  };
  core::Result<std::string> payload = std::string();
  const std::optional<std::string> uuid = IdempotencyKey(*op, env);
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

// What one staged request carries from the request thread to the store threads and back: set
// up before the write, filled by the write (from scratch on each run) and by its completion,
// read once the answer completed.
struct StagedRun {
  StagedCall call;
  SoapVersion version = SoapVersion::k11;
  std::string operation;
  std::string user;
  std::optional<std::string> uuid;
  std::string digest;
  std::string transaction_id;  // of the fault, should there be one
  // Outcome of the last run of the write.
  std::string payload;
  bool service_failed = false;
  std::optional<core::Error> refusal;  // 030/031, logged in the transaction
  // The fault's error-log entry: when and why (set once the outcome is known).
  core::SystemTime fault_at{};
  std::string fault_category;
  std::string fault_text;
};

http::Response Engine::Staged(const Envelope& env, const Operation& op, const CallContext& ctx, FaultLog log) const {
  auto call = service_->Stage(op, env.payload, ctx);
  if (!call.ok()) return Fault(env.version, op.name, ctx.user, "application", call.error(), log);
  auto run = std::make_shared<StagedRun>();
  run->call = std::move(call).value();
  run->version = env.version;
  run->operation = op.name;
  run->user = ctx.user;
  run->uuid = IdempotencyKey(op, env);
  if (run->uuid) run->digest = PayloadDigest(env.payload);
  run->transaction_id = core::RandomHexUpper(16);
  auto entry = [this, run](const core::Error& e) {
    return ErrorLogEntry{run->transaction_id, run->fault_at, service_->Description().interface_name, run->operation,
                         run->user, VersionName(run->version), run->fault_category, e.GatewayCode(), e.text};
  };
  auto write = [this, run, entry](store::Tx& tx) -> core::Status {
    run->payload.clear();
    run->service_failed = false;
    run->refusal.reset();
    if (run->uuid) {
      CW_ASSIGN_OR_RETURN(IdempotencyStore::Claim claim, idempotency_.ClaimIn(tx, service_->Description().interface_name,
                                                                              *run->uuid, run->operation, run->digest));
      if (claim.replay) {
        run->payload = std::move(*claim.replay);
        return core::Status::Ok();
      }
      if (claim.refusal) {
        // Written in the claim's transaction: the fault goes out once its entry is durable.
        run->fault_at = clock().Now();
        run->fault_category = "idempotency";
        CW_RETURN_IF_ERROR(error_log_.Insert(tx, entry(*claim.refusal)));
        run->refusal = std::move(claim.refusal);
        return core::Status::Ok();
      }
    }
    if (core::Status st = run->call.write(tx); !st.ok()) {
      run->service_failed = true;
      return st;
    }
    run->payload = run->call.reply();
    if (run->uuid)
      CW_RETURN_IF_ERROR(
          idempotency_.StoreResponse(tx, service_->Description().interface_name, *run->uuid, run->payload));
    return core::Status::Ok();
  };
  // The reply's bytes, shared with the response: written before `answered` completes, read by
  // the server only after it.
  auto body = std::make_shared<std::string>();
  auto answered = std::make_shared<core::Completion>();
  db_.WriteAsync(std::move(write), [this, run, body, answered, entry](core::Status st) {
    if (st.ok() && !run->refusal) {
      *body = WrapInEnvelope(run->version, run->payload);
      answered->Complete(core::Status::Ok());
    } else if (st.ok()) {
      answered->Complete(*run->refusal);
    } else if (run->call.reply_if_not_saved) {
      answered->Complete(std::move(st));
    } else {
      // Nothing was stored: the generic fault, once its error-log entry is written (or could
      // not be: RecordAsync logged that; the answer does not depend on it).
      run->fault_at = clock().Now();
      run->fault_category = run->service_failed ? "application" : "store";
      error_log_.RecordAsync(entry(st.error()))->Then([answered, st](const core::Status&) { answered->Complete(st); });
    }
  });
  auto failed = [this, run](const core::Error& e) -> http::Response {
    if (!run->refusal && run->call.reply_if_not_saved)
      return http::Response(200, ContentTypeOf(run->version), WrapInEnvelope(run->version, run->call.reply_if_not_saved(e)));
    spdlog::info("soap fault {} {} {} ({}): {}", run->transaction_id, service_->Description().interface_name,
                 run->operation, run->fault_category, e.text);
    return http::Response(500, ContentTypeOf(run->version),
                          FaultEnvelope(run->version, ProcessingErrorText(run->fault_at, run->transaction_id)));
  };
  if (log == FaultLog::kWait) {
    core::Status st = answered->Wait();
    if (!st.ok()) return failed(st.error());
    return http::Response(200, ContentTypeOf(run->version), std::move(*body));
  }
  http::Response r(200, ContentTypeOf(run->version), std::string());
  r.shared_body = std::move(body);
  r.after = std::move(answered);
  r.on_failure = std::move(failed);
  return r;
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
