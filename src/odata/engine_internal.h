// Engine internals shared by engine.cpp, request_body.cpp and batch.cpp. Not part of the API.
#pragma once

#include <string>
#include <string_view>

#include "odata/engine.h"
#include "odata/gateway_error.h"
#include "odata/uri_parser.h"
#include "odata/writer.h"

namespace causeway::odata {

struct Engine::Impl {
  // One non-batch request (also used for each $batch operation). An exception out of a
  // handler (a defect) becomes that request's Gateway error 500 in its own format, so that
  // one $batch part cannot take the whole answer, and a committed change set's, with it.
  static http::Response HandleSingle(const Engine& engine, const http::Request& req, const RoutedRequest& r,
                                     Context& ctx, Format* format_out);
  static http::Response HandleSingleUnguarded(const Engine& engine, const http::Request& req, const RoutedRequest& r,
                                              Context& ctx, Format* format_out);
  static http::Response HandleBatch(const Engine& engine, const http::Request& req, const RoutedRequest& r,
                                    Context& ctx, Format format);
  static std::string ReadCacheKey(const Engine& engine, const http::Request& req, const RoutedRequest& r,
                                  const Context& ctx, Format format, const ParsedPath& path,
                                  const std::vector<QueryParam>& params);
  static http::Response Error(const Engine& engine, const core::Error& e, Format format, const Context& ctx);
};

// Parses a create/update body (JSON verbose or Atom entry, by content type) against `type`.
core::Result<EntityPayload> ParseEntityBody(const EntityType& type, std::string_view content_type,
                                            std::string_view body);

}  // namespace causeway::odata
