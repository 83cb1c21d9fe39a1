// The interface a domain-free OData V2 service implements. The engine parses and validates the
// request against the model, calls exactly one of these methods (several for $batch and
// $expand), and serializes the result. Every method has a default that answers Gateway's
// "not implemented" error (HTTP 501), so a service overrides only what it supports.
//
// Threading: the engine may call one Service instance from many threads at once; methods must
// be thread-safe. Handlers never throw; they return core::Result / core::Status with a
// core::Error, which the engine maps to a Gateway error body (gateway_error.h).
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "core/error.h"
#include "core/result.h"
#include "http/message.h"
#include "odata/edm.h"
#include "odata/query.h"
#include "odata/value.h"

namespace causeway::odata {

// Identifies the service in Gateway error bodies (innererror/application).
struct ServiceInfo {
  std::string service_namespace = "/SAP/";  // e.g. "/SAP/", "/SALM/"
  std::string service_id;                   // e.g. "BC_EXT_APPJOB_MANAGEMENT"
  std::string service_version = "0001";     // e.g. "0002"
  std::string component_id;                 // may be empty
  // Value of the `sap-metadata-last-modified` response header (an HTTP date); empty: omitted.
  std::string metadata_last_modified;
  // Error bodies as Gateway releases before SAP_GWFND 7.50 write them (the Focused Build
  // guide's example, appendix 5.2): `innererror` without `application` and `Batch_SAP_Note`,
  // and the older SAP_Transaction text ("Run transaction /IWFND/ERROR_LOG on SAP NW Gateway
  // hub system …").
  bool legacy_error_body = false;
};

// Per-request context handed to every handler.
struct Context {
  const http::Request* request = nullptr;  // the HTTP request (for $batch: the outer request)
  std::string language;                    // upper-case SAP language, e.g. "EN"
  // Non-fatal messages a handler wants to return in the `sap-message` header of a success
  // response (the first becomes the top-level message, the rest `details`).
  std::vector<core::ErrorDetail> messages;
};

// Key values aligned with EntityType::keys (same order).
using KeyValues = std::vector<Value>;

// Result of a function import:
//  kEntity / kEntityCollection: `entities` (kEntity with no entity → 404);
//  kComplex / kComplexCollection: `entities`, each with values aligned to the complex type;
//  kPrimitive / kPrimitiveCollection: `entities`, each with exactly one value;
//  kNone: ignored.
struct FunctionResult {
  std::vector<Entity> entities;
};

enum class UpdateMode {
  kReplace,  // PUT: properties not sent are reset (the service decides what reset means)
  kMerge,    // MERGE / PATCH: only `present` properties change
};

class Service {
 public:
  virtual ~Service() = default;

  // Called once by Engine::Create.
  virtual ServiceInfo Info() const = 0;
  virtual Schema DefineSchema() const = 0;

  // GET <Set>. Must honour filter/orderby/top/skip/inline_count of `q` (or return an error),
  // e.g. via ApplyQueryInMemory. $select is applied by the engine.
  virtual core::Result<EntityCollection> ReadEntitySet(const EntitySet& set, const QueryOptions& q,
                                                       Context& ctx) const;
  // GET <Set>(key). nullopt → the engine answers 404.
  virtual core::Result<std::optional<Entity>> ReadEntity(const EntitySet& set, const KeyValues& key,
                                                         Context& ctx) const;
  // GET <Set>(key)/<Nav>. For a to-one navigation return zero or one entity. The engine checks
  // first that the source entity exists (via ReadEntity).
  virtual core::Result<EntityCollection> ReadNavigation(const EntitySet& set, const KeyValues& key,
                                                        const NavigationTarget& nav, const QueryOptions& q,
                                                        Context& ctx) const;
  // GET/POST <Function>?params. `params` aligned with FunctionImport::parameters; a parameter
  // that was not sent (and is nullable) is null.
  virtual core::Result<FunctionResult> CallFunction(const FunctionImport& fn, const std::vector<Value>& params,
                                                    Context& ctx) const;
  // POST <Set>. Returns the created entity (with its keys filled in).
  virtual core::Result<Entity> CreateEntity(const EntitySet& set, const EntityPayload& payload,
                                            Context& ctx) const;
  // PUT/MERGE/PATCH <Set>(key). Not found → return a kNotFound error.
  virtual core::Status UpdateEntity(const EntitySet& set, const KeyValues& key, const EntityPayload& payload,
                                    UpdateMode mode, Context& ctx) const;
  // DELETE <Set>(key). Not found → return a kNotFound error.
  virtual core::Status DeleteEntity(const EntitySet& set, const KeyValues& key, Context& ctx) const;

  // Read cache (optional). A value that changes whenever anything a GET of `set` (the collection
  // or one entity, without $expand) could return changes, and that does not depend on who asks
  // (no per-user filtering, no sap-message output). When a service returns one, the engine may
  // answer a repeated identical GET from the response it serialized before, without calling
  // ReadEntitySet/ReadEntity. nullopt (the default): every read reaches the service.
  virtual std::optional<uint64_t> ReadVersion(const EntitySet& set) const;

  // A $batch change set: runs `operations` (every operation of the change set, in order; it
  // returns the first failure) so that they take effect all together or not at all, and
  // returns the outcome: operations' failure, or the failure to commit them. Nothing of a
  // failed change set may remain, and nothing may be visible before it committed (Gateway rolls
  // back the whole change set). Every service decides how its writes become atomic; services
  // on the store run the operations in one store::UnitOfWork (services::RunInUnitOfWork), and
  // their operations stage every write into the current unit.
  virtual core::Status RunChangeSet(Context& ctx, const std::function<core::Status()>& operations) const = 0;
};

// The Gateway error for an operation a service does not implement (HTTP 501,
// /IWBEP/CM_MGW_RT/021 "Method '&1' not implemented in data provider class").
core::Error NotImplemented(std::string_view method);

}  // namespace causeway::odata
