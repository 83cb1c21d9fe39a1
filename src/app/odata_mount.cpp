#include "app/odata_mount.h"

#include "core/ascii.h"
#include "odata/gateway_error.h"

namespace causeway::app {
namespace {

odata::Format RequestedFormat(const http::Request& req) {
  std::string_view q = req.Query();
  for (std::string_view key : {"$format=json", "%24format=json"}) {
    size_t p = q.find(key);
    if (p != std::string_view::npos && (p == 0 || q[p - 1] == '&' || q[p - 1] == '/' || q[p - 1] == '?'))
      return odata::Format::kJson;
  }
  if (auto accept = req.headers.Get("accept"); accept && core::ToLower(*accept).find("application/json") != std::string::npos &&
                                               core::ToLower(*accept).find("xml") == std::string::npos)
    return odata::Format::kJson;
  return odata::Format::kAtom;
}

}  // namespace

http::ODataEndpoint MountOData(std::shared_ptr<const odata::Engine> engine, std::string public_host,
                               const core::Clock& clock) {
  http::ODataEndpoint e;
  e.service = engine->info().service_id;
  e.handle = [engine, public_host](http::Request& req, const http::SapODataPath& path) {
    std::string host = public_host;
    if (host.empty()) host = std::string(req.headers.Get("host").value_or("localhost"));
    odata::RoutedRequest r{(req.tls ? "https://" : "http://") + host + path.root_path, path.resource_path, path.query};
    return engine->Handle(req, r);
  };
  e.render_error = [engine, &clock](const http::Request& req, const core::Error& err) {
    return odata::GatewayErrorResponse(err, RequestedFormat(req), engine->info(), req.sap_language, clock);
  };
  return e;
}

}  // namespace causeway::app
