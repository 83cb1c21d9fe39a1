#include "services/common/odata_endpoint.h"

#include "core/blocking.h"
#include "odata/gateway_error.h"
#include "services/common/unit_of_work_answer.h"

namespace causeway::services {

http::Endpoint ODataEndpoint(ODataMount mount) {
  auto engine = mount.engine;
  http::Endpoint e;
  e.kind = http::Endpoint::Kind::kSapOData;
  e.key = engine->info().service_id;
  e.guard = {.service = engine->info().service_id, .authenticate = true, .csrf = true};
  e.render.error = [engine](const http::Request& req, const core::Error& err) {
    return engine->ErrorResponse(req, req.Query(), err);
  };
  e.handle = [engine, db = mount.db, host = mount.public_host, store_waits = mount.blocking_reads](
                 http::Request& req, const http::RouteMatch& m) {
    odata::RoutedRequest routed{http::BaseUrl(req, host) + m.odata->root_path,
                                m.odata->resource_path, m.odata->query};
    const bool modifying = req.method != "GET" && req.method != "HEAD";
    if (!modifying) {
      // A read on the I/O thread may park (and is run again) or hand over.
      core::NonBlockingScope scope(req.on_io_thread, &req.parking);
      return engine->Handle(req, routed);
    }
    if (db == nullptr) return engine->Handle(req, routed);
    return AnswerAfterCommit(*db, [&] {
      // A staged write on the I/O thread where the store waits on the network (PostgreSQL):
      // a barrier parks it, a statement hands it to a worker (what it staged is rolled back).
      // SQLite's staged writes wait for nothing but memory, as before.
      core::NonBlockingScope scope(req.on_io_thread && store_waits, &req.parking);
      return engine->Handle(req, routed);
    });
  };
  e.may_block = [blocking_reads = mount.blocking_reads, inline_reads = mount.inline_reads,
                 inline_writes = mount.inline_writes](const http::Request& req) {
    if (req.method == "GET" || req.method == "HEAD") return blocking_reads && !(inline_reads && inline_reads(req));
    if (!inline_writes || req.body.size() > http::kInlineBodyLimit || LastPathSegment(req) == "$batch") return true;
    return !inline_writes(req);
  };
  return e;
}

std::string_view LastPathSegment(const http::Request& req) {
  std::string_view path = req.Path();
  while (!path.empty() && path.back() == '/') path.remove_suffix(1);
  const size_t slash = path.rfind('/');
  return slash == std::string_view::npos ? path : path.substr(slash + 1);
}

http::Endpoint UnknownODataServiceEndpoint(const core::Clock& clock) {
  http::Endpoint e;
  e.kind = http::Endpoint::Kind::kSapOData;
  e.key = "*";
  // Gateway logs the user on (ICF) before it looks the service up; any user may hear that the
  // service does not exist. Unknown services have no CSRF to check.
  e.guard = {.service = "", .authenticate = true, .csrf = false, .authorize = false};
  e.label = "-";
  e.render.error = [&clock](const http::Request& req, const core::Error& err) {
    return odata::GatewayErrorResponse(err, odata::GuessFormat(req, req.Query()), odata::ServiceInfo{},
                                       req.sap_language, clock);
  };
  e.handle = [&clock](http::Request& req, const http::RouteMatch& m) {
    return odata::NoServiceFound(req, m.odata->query, m.odata->namespace_segment, m.odata->service,
                                 m.odata->version, clock);
  };
  e.may_block = [](const http::Request&) { return false; };
  return e;
}

}  // namespace causeway::services
