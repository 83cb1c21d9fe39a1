// Mounts an OData V2 engine as an http::Endpoint: the absolute service root for ids and
// xml:base, Gateway errors (and Gateway's 403/405) for whatever the house answers, and every
// modifying request in a unit of work of its own, answered once durable.
#pragma once

#include <cstddef>
#include <functional>
#include <memory>
#include <string>
#include <string_view>

#include "http/authority.h"
#include "http/endpoint.h"
#include "odata/engine.h"
#include "store/database.h"

namespace causeway::services {

struct ODataMount {
  std::shared_ptr<const odata::Engine> engine;
  store::Database* db = nullptr;  // null: the service writes nothing through the store
  http::PublicHost public_host;   // [scheme://]host[:port] for absolute URLs; empty: the Host header
  // Reads may block too (the service reads the store, not memory): then they run on workers,
  // except those inline_reads takes.
  bool blocking_reads = false;
  // With blocking_reads: a read that runs on the I/O thread all the same, because what it
  // waits for parks the request instead (core/blocking.h: a read barrier's round trip) and
  // whatever else would wait answers core::WouldBlock (the request then goes to a worker).
  std::function<bool(const http::Request&)> inline_reads;
  // True for a modifying request whose operation only reads memory and stages its writes in the
  // request's unit of work (store::Transact): it then runs on the I/O thread, and its answer
  // waits for the commit in Response::after, so no worker is taken and no thread hop made.
  // With blocking_reads it runs as inline_reads do (a barrier parks it; a store statement
  // hands it to a worker, its staged writes rolled back). Never for $batch (change sets commit
  // where they end) or bodies above http::kInlineBodyLimit. Null: every modifying request runs
  // on the worker pool.
  std::function<bool(const http::Request&)> inline_writes;
};

// The last segment of the request's path (before '?'), for inline_writes predicates:
// "JobSchedule" for /sap/opu/odata/sap/SVC/JobSchedule?JobTemplateName='X'.
std::string_view LastPathSegment(const http::Request& req);

http::Endpoint ODataEndpoint(ODataMount mount);

// Gateway's answer for every /sap/opu/odata/<ns>/<SERVICE> that no module serves: after
// authentication (any user), 404 /IWFND/MED/170 in the negotiated format.
http::Endpoint UnknownODataServiceEndpoint(const core::Clock& clock);

}  // namespace causeway::services
