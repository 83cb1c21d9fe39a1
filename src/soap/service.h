// What a SOAP service gives the engine: its operations (found by the body's root element
// QName), its WSDL (which carries the XSDs the engine validates against) and one entry point.
// The engine knows no domain; the service knows no HTTP or envelope.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "core/result.h"
#include "soap/inbound_message.h"
#include "soap/xml_view.h"
#include "store/database.h"

namespace causeway::soap {

struct Operation {
  std::string name;               // WSDL operation name, e.g. "MaintainBundle"
  std::string request_namespace;  // QName of the body's root element
  std::string request_element;
  // Asynchronous one-way operation (e.g. a replication In-interface): answered with HTTP 202
  // and no body. With a message store (EngineOptions::messages) the message is stored durably
  // before that answer and processed later by Service::Process (inbound_processor.h);
  // without one, once Invoke() returned.
  bool one_way = false;
  // The operation carries SAP's idempotency policy: a request whose BasicMessageHeader/UUID was
  // seen before is answered from the stored response (spec A.3.5).
  bool idempotent = false;
  // A synchronous operation whose work is one write transaction (Service::Stage instead of
  // Invoke): the engine runs that work and the idempotency row in one transaction on a store
  // thread and answers once it is durable, without a thread waiting for it meanwhile.
  bool staged = false;
};

// The work of a staged operation (Operation::staged), for the engine's write transaction.
struct StagedCall {
  // Runs inside the engine's write transaction. It may run more than once, each run from
  // scratch (store/database.h), and returns a failed statement's error; an error rolls the
  // whole transaction back (nothing of the request is stored, the idempotency row neither).
  store::TxFn write;
  // The reply payload after a successful run of `write` (complete markup, as Reply::payload),
  // called inside the transaction: the idempotency row stores it with the work.
  std::function<std::string()> reply;
  // The reply payload when the transaction did not commit (`write` failed or the commit did),
  // for services that report that in a reply (an A2X Log); null: the generic fault.
  std::function<std::string(const core::Error&)> reply_if_not_saved;
};

struct ServiceDescription {
  std::string interface_name;       // e.g. "ManageTaskActivityIn" (faults, error log)
  std::string interface_namespace;  // e.g. "http://sap.com/xi/A1S/Global"
  // The WSDL served at ?wsdl; every occurrence of `address_placeholder` in it is replaced by
  // the endpoint address the client used.
  std::string wsdl;
  std::string address_placeholder;
  std::vector<Operation> operations;
};

// Who calls and how, as the HTTP/security layers established it.
struct CallContext {
  std::string user;      // authenticated user (upper case)
  std::string client;    // sap-client
  std::string language;  // sap-language, e.g. "EN"
  // Scheme, host and port the client addressed, e.g. "https://host:8443" (WSDL address).
  std::string base_url;
};

struct Reply {
  // The body's child element as complete markup, namespace declarations included; empty for a
  // one-way operation.
  std::string payload;
};

class Service {
 public:
  virtual ~Service() = default;
  virtual const ServiceDescription& Description() const = 0;
  // Runs `op` on a payload that already passed schema validation. Business outcomes (including
  // business errors reported in a Log) are replies; a returned error becomes the generic SOAP
  // fault, its text kept in the web-service error log only. Called from many threads at once.
  virtual core::Result<Reply> Invoke(const Operation& op, XmlElement payload, const CallContext& ctx) const = 0;

  // ---- staged synchronous operations (Operation::staged) --------------------------------
  // Prepares `op` on a payload that already passed schema validation: maps it and returns the
  // work for the engine's transaction. Runs on the thread that handles the request, an I/O
  // thread for small bodies: it must not block (no store access; that belongs in the call's
  // `write`). A returned error becomes the generic fault. The payload's document lives only
  // until Stage returns. Called from many threads at once. The default refuses.
  virtual core::Result<StagedCall> Stage(const Operation& op, XmlElement payload, const CallContext& ctx) const {
    (void)payload;
    (void)ctx;
    return core::MakeError(core::Code::kNotImplemented, "CAUSEWAY/SOAP", "049",
                           "Operation &1 cannot be staged", {op.name});
  }

  // ---- asynchronous operations (one_way, stored by the engine) ---------------------------
  // The business object a message of `op` changes: its queue. Messages with the same key are
  // processed one at a time, in the order they were received; "" (the default) makes the
  // message a queue of its own. Called at reception on the validated payload.
  virtual std::string QueueKey(const Operation& op, XmlElement payload) const {
    (void)op;
    (void)payload;
    return {};
  }
  // Processes a stored message (its payload parsed again; `ctx` is the sender's, without
  // base_url) inside the unit of work that is store::UnitOfWork::Current() on the calling
  // thread: the service stages its domain writes there, and they (or writes staged after them)
  // fill `outcome`; the unit then records the message's status and log in the same
  // transaction. `outcome` lives until the unit completed; staged writes may run more than
  // once, so they fill it from scratch. A returned error is technical: nothing staged is
  // written and the message ends in error with the error's text. The default refuses.
  virtual core::Status Process(const Operation& op, XmlElement payload, const CallContext& ctx,
                               ProcessingOutcome* outcome) const {
    (void)payload;
    (void)ctx;
    (void)outcome;
    return core::MakeError(core::Code::kNotImplemented, "CAUSEWAY/SOAP", "047",
                           "Operation &1 cannot process stored messages", {op.name});
  }
};

}  // namespace causeway::soap
