// The OData V2 engine: the single entry point from the HTTP layer. It parses the resource path
// and query, negotiates the format, validates against the model, calls the Service and writes
// Gateway-faithful responses (Atom, JSON verbose, EDMX, Gateway error bodies, multipart $batch).
//
// Not done here (done before, by the router and security layer): authentication, CSRF, service
// authorization, removal of sap-client / sap-language from the query.
#pragma once

#include <cstddef>
#include <memory>
#include <string>

#include "core/clock.h"
#include "core/result.h"
#include "http/message.h"
#include "odata/edm.h"
#include "odata/response_cache.h"
#include "odata/service.h"

namespace causeway::odata {

struct RoutedRequest {
  // Absolute service root with a trailing '/', e.g.
  // "http://127.0.0.1:8080/sap/opu/odata/sap/BC_EXT_APPJOB_MANAGEMENT;v=0002/".
  std::string service_root_url;
  // Raw, percent-encoded path relative to the root: "", "$metadata", "$batch", "Set('X')/Nav".
  std::string resource_path;
  // Raw, percent-encoded query string without '?' (sap-client, sap-language already removed).
  std::string query;
};

struct EngineOptions {
  const core::Clock* clock = nullptr;           // for error timestamps; null: system clock
  size_t max_batch_body_bytes = 8 * 1024 * 1024;  // larger $batch bodies → 413
  size_t max_batch_parts = 1000;                  // more operations in one $batch → 400
  // Serialized reads of sets with a Service::ReadVersion kept for reuse; 0 disables.
  size_t read_cache_entries = 256;
};

class Engine {
 public:
  // Builds the model from service->DefineSchema(); fails if the schema is invalid.
  static core::Result<std::unique_ptr<Engine>> Create(std::shared_ptr<const Service> service,
                                                      EngineOptions options = {});

  // Handles one request. Thread-safe, never throws, always returns a complete response.
  http::Response Handle(const http::Request& req, const RoutedRequest& r) const;

  // The Gateway error response for `e` in the format the request asks for ($format in the raw
  // query, else Accept), as Handle() would write it. For errors raised before the engine runs
  // (e.g. a refused arrangement in the security gate).
  http::Response ErrorResponse(const http::Request& req, std::string_view raw_query, const core::Error& e) const;

  const Model& model() const { return *model_; }
  const ServiceInfo& info() const { return info_; }
  const Service& service() const { return *service_; }
  const EngineOptions& options() const { return options_; }
  const core::Clock& options_clock() const { return options_.clock ? *options_.clock : system_clock_; }

  // Internals shared by the engine's translation units.
  struct Impl;

 private:
  Engine() = default;
  std::shared_ptr<const Service> service_;
  std::shared_ptr<const Model> model_;
  ServiceInfo info_;
  EngineOptions options_;
  core::SystemClock system_clock_;
  std::unique_ptr<ResponseCache> read_cache_;  // null when disabled
};

}  // namespace causeway::odata
