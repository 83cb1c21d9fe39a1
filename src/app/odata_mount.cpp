#include "app/odata_mount.h"

namespace causeway::app {

http::ODataEndpoint MountOData(std::shared_ptr<const odata::Engine> engine, std::string public_host) {
  http::ODataEndpoint e;
  e.service = engine->info().service_id;
  e.handle = [engine, public_host](http::Request& req, const http::SapODataPath& path) {
    std::string host = public_host;
    if (host.empty()) host = std::string(req.headers.Get("host").value_or("localhost"));
    odata::RoutedRequest r{(req.tls ? "https://" : "http://") + host + path.root_path, path.resource_path, path.query};
    return engine->Handle(req, r);
  };
  e.render_error = [engine](const http::Request& req, const core::Error& err) {
    return engine->ErrorResponse(req, req.Query(), err);
  };
  return e;
}

}  // namespace causeway::app
