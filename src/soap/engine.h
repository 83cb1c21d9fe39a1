// The generic SOAP engine: the single entry point from the HTTP layer for one SOAP service.
//
// Handle() does, in order: `?wsdl` serving (GET/HEAD; `wsdl` in any case, `sap-vhost` kept in
// the address) → SOAP 1.1/1.2 detection (envelope namespace; the content type must agree:
// text/xml for 1.1, application/soap+xml with any `action` parameter for 1.2; SOAPAction is
// accepted whatever its value, empty or missing) → hostile-input-safe parsing (envelope.h) →
// dispatch on the body's root element QName → removal of foreign-namespace extension content →
// XSD validation against the WSDL's schemas → idempotency by BasicMessageHeader/UUID (else ID) for
// operations with the policy → Service::Invoke → the response envelope (one line, `soap-env` /
// `env` prefixes).
//
// A staged operation (Operation::staged: Service::Stage instead of Invoke) runs, after the same
// checks, as one write transaction on a store thread: the idempotency claim (idempotency.h,
// ClaimIn), the service's work, its reply stored under the UUID. The answer goes out once that
// transaction is durable (http::Response::after; the reply's bytes are its shared_body, filled
// before `after` completes); a repeat is answered with the stored reply once the first is durable,
// a refused repeat (030/031) with the fault once its error-log entry, written in the same
// transaction, is durable. A transaction that does not commit is answered with the service's
// reply_if_not_saved, else the generic fault. On a worker thread (MayBlock) the engine waits for
// the outcome itself and returns a complete response.
//
// A one-way operation with a message store (EngineOptions::messages) is not invoked: the
// validated payload is stored (message_store.h: a resend of a stored BasicMessageHeader
// UUID/ID stores nothing) in a unit of work, and the answer, HTTP 202 with an empty body, goes
// out only once that unit is durable (http::Response::after; a failed commit is answered with
// the generic fault instead, so the sender resends). Inside a unit that is already Current()
// on the same database the message is staged there and the caller commits it.
//
// Every failure is answered as SAP's A2X runtime answers it (spec A.3.6): HTTP 500, SOAP 1.1
// `soap-env:Server` / SOAP 1.2 `env:Receiver`, reason "Web service processing error; more
// details in the web service error log on provider side (UTC timestamp …; Transaction ID …)",
// empty detail; what went wrong is recorded in the ErrorLog under that transaction ID.
//
// Not done here (done before, by the router and security layer): authentication and the
// arrangement check; FaultResponse() renders their refusals in SOAP form.
//
// Thread-safe. Handle() and FaultResponse() may block (store reads, durable writes): run them on
// the worker pool unless MayBlock() says the request is answered without blocking.
#pragma once

#include <atomic>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "core/clock.h"
#include "core/result.h"
#include "http/endpoint.h"
#include "http/message.h"
#include "soap/envelope.h"
#include "soap/error_log.h"
#include "soap/idempotency.h"
#include "soap/message_store.h"
#include "soap/schema_set.h"
#include "soap/service.h"
#include "store/database.h"

namespace causeway::soap {

struct EngineOptions {
  const core::Clock* clock = nullptr;  // timestamps, retention; null: the system clock
  ParseLimits limits;
  IdempotencyOptions idempotency;
  ErrorLogOptions error_log;      // how long and how many fault entries are kept
  std::string system_id = "CWY";  // realm of a 401 rendered by FaultResponse()
  // Where one-way operations' messages are stored (null: one-way operations are invoked at
  // once). Must outlive the engine and use the engine's database.
  MessageStore* messages = nullptr;
  // Runs once a stored message is durable (e.g. wakes the processor); must not block.
  std::function<void()> on_stored;
  // POST bodies up to this size are answered without blocking when every operation is one-way
  // and stored, or staged (MayBlock): parsing and validating them costs an I/O thread well under
  // a millisecond, while the hop to the worker pool and back cost about a third of a stored
  // message's CPU (bench/results/business_agreement.md).
  size_t inline_body_limit = http::kInlineBodyLimit;
};

class Engine {
 public:
  // Compiles the service's schemas from its WSDL (kInternal CAUSEWAY/SOAP/020 if they do not
  // compile). `db` holds the error log and the idempotency table (SoapMigrations() applied)
  // and must outlive the engine.
  static core::Result<std::unique_ptr<Engine>> Create(std::shared_ptr<const Service> service, store::Database& db,
                                                      EngineOptions options = {});

  // Never throws; always a complete response.
  http::Response Handle(const http::Request& req, const CallContext& ctx) const;

  // A refusal by the security gate in SOAP form: kUnauthorized → HTTP 401 with a Basic
  // challenge; kForbidden → "Authorization role missing for service …" (HTTP 500, the operation
  // taken from the body when it parses); anything else → the generic processing-error fault.
  // Each is recorded in the error log (without blocking when MayBlock(req) is false: the
  // response then waits for the entry through http::Response::after).
  http::Response FaultResponse(const http::Request& req, const core::Error& error) const;

  // False if Handle(req) and FaultResponse(req, …) answer without blocking, so that the request
  // may run on an I/O thread: GET, HEAD and other methods that are not POST (the WSDL, 405), and
  // — when every operation is staged, or one-way and stored (EngineOptions::messages) — POSTs of
  // at most EngineOptions::inline_body_limit bytes: their work or message is committed, and their
  // fault's error-log entry written, through http::Response::after. True for every other POST.
  bool MayBlock(const http::Request& req) const;

  const ErrorLog& error_log() const { return error_log_; }
  const Service& service() const { return *service_; }
  // The service's XML Schemas, compiled by the first call (the first POST that reaches
  // validation): a service nobody calls holds none — libxml2's compiled schemas and the code
  // that compiles them are about 2 MiB of an idle server's RSS. Thread-safe. Error: kInternal
  // CAUSEWAY/SOAP/020, the WSDL's schemas do not compile (a defect of the service; every
  // service's tests compile its WSDL).
  core::Result<const SchemaSet*> Schemas() const;

 private:
  Engine(std::shared_ptr<const Service> service, store::Database& db, EngineOptions options);
  const core::Clock& clock() const { return options_.clock ? *options_.clock : system_clock_; }
  http::Response Wsdl(const http::Request& req, const CallContext& ctx) const;
  http::Response Post(const http::Request& req, const CallContext& ctx) const;
  http::Response Store(const Envelope& env, const Operation& op, const CallContext& ctx) const;
  // BasicMessageHeader/UUID (whitespace collapsed), else "id:" + its ID, for an idempotent
  // operation; nullopt when it has neither or is not idempotent.
  static std::optional<std::string> IdempotencyKey(const Operation& op, const Envelope& env);
  // How a fault's error-log entry is written: before Fault returns (blocking), before the fault
  // goes out (through http::Response::after), in the background (for an answer that is
  // already being sent, e.g. from on_failure).
  enum class FaultLog { kWait, kAfter, kBackground };
  // Records `error` in the error log and returns the generic fault (or `reason` if given).
  http::Response Fault(SoapVersion v, const std::string& operation, const std::string& user,
                       const std::string& category, const core::Error& error, FaultLog log,
                       const std::string& reason_override = {}, std::string transaction_id = {}) const;
  http::Response Staged(const Envelope& env, const Operation& op, const CallContext& ctx, FaultLog log) const;
  const Operation* FindOperation(std::string_view ns, std::string_view local) const;

  std::shared_ptr<const Service> service_;
  mutable std::once_flag schemas_once_;
  mutable std::shared_ptr<const SchemaSet> schemas_;  // set once, under schemas_once_
  mutable std::optional<core::Error> schemas_error_;  // likewise, when they do not compile
  // Until then a POST may block (it compiles them): MayBlock sends it to the worker pool.
  mutable std::atomic<bool> schemas_compiled_{false};
  EngineOptions options_;
  store::Database& db_;
  // Every operation answered without blocking: one-way with a message store, or staged.
  bool never_blocks_ = false;
  core::SystemClock system_clock_;
  mutable ErrorLog error_log_;
  mutable IdempotencyStore idempotency_;
};

// The SOAP version a request claims by its content type (application/soap+xml → 1.2, else 1.1),
// for faults about requests whose envelope could not be read.
SoapVersion VersionFromContentType(std::string_view content_type);

// True if the query string asks for the WSDL (`wsdl` as a parameter name, any case).
bool AsksForWsdl(std::string_view query);
// The value of the `sap-vhost` query parameter, or "".
std::string SapVhost(std::string_view query);

// A digest of an element tree that ignores prefixes and blank-only text (idempotency).
std::string PayloadDigest(XmlElement element);

}  // namespace causeway::soap
