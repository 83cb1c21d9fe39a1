// $batch (spec §2.10): multipart/mixed in, multipart/mixed out, change sets atomic via the
// service's change-set hooks.
#include <map>

#include "core/ascii.h"
#include "http/sap_path.h"
#include "odata/engine_internal.h"
#include "odata/errors.h"
#include "odata/multipart.h"

namespace causeway::odata {
namespace {

// Gateway's own response boundaries look like this (public C4C/Gateway captures).
constexpr char kBatchBoundary[] = "ejjeeffe0";

bool IsMultipart(const MimePart& p) {
  auto ct = p.headers.Get("content-type");
  return ct && core::IStartsWith(core::Trim(*ct), "multipart/mixed");
}

bool IsHttpPart(const MimePart& p) {
  auto ct = p.headers.Get("content-type");
  return ct && core::IStartsWith(core::Trim(*ct), "application/http");
}

// Splits an embedded target into (resource path, query) relative to the service root. Accepts
// relative targets ("Set('X')?…"), absolute paths ("/sap/opu/…/Set") and absolute URLs. An
// absolute one must name this service: the same namespace and service (any case) and version,
// however the version is spelled (";v=2", ";v=0002", none for 1).
core::Result<RoutedRequest> RouteInner(const RoutedRequest& outer, std::string_view target,
                                       const std::map<std::string, std::string>& content_ids) {
  RoutedRequest r;
  r.service_root_url = outer.service_root_url;
  std::string_view root = outer.service_root_url;
  size_t scheme = root.find("://");
  std::string_view root_path = scheme == std::string_view::npos ? root : root.substr(root.find('/', scheme + 3));
  if (size_t t_scheme = target.find("://"); t_scheme != std::string_view::npos && t_scheme < target.find('/')) {
    size_t path_start = target.find('/', t_scheme + 3);
    target = path_start == std::string_view::npos ? std::string_view("/") : target.substr(path_start);
  }
  if (!target.empty() && target[0] == '/') {
    auto inner = http::ParseSapODataPath(target);
    auto own = http::ParseSapODataPath(root_path);
    if (!inner || !own || !core::IEquals(inner->service, own->service) ||
        !core::IEquals(inner->namespace_segment, own->namespace_segment) || inner->version != own->version)
      return BadRequest("Request URI '&1' in $batch is outside the service", {std::string(target.substr(0, 200))});
    r.resource_path = inner->resource_path;
    r.query = inner->query;
    target = {};
  }
  std::string path = r.resource_path;
  if (!target.empty()) {
    size_t q = target.find('?');
    path = std::string(target.substr(0, q));
    if (q != std::string_view::npos) r.query = std::string(target.substr(q + 1));
  }
  if (!path.empty() && path[0] == '$' && path != "$metadata" && path != "$batch") {
    // "$<content-id>[/rest]" refers to an entity created earlier in the same change set.
    size_t slash = path.find('/');
    std::string id = path.substr(1, slash == std::string::npos ? std::string::npos : slash - 1);
    auto it = content_ids.find(id);
    if (it == content_ids.end()) return BadRequest("Content-ID reference '$&1' is unknown", {id});
    path = it->second + (slash == std::string::npos ? "" : path.substr(slash));
  }
  r.resource_path = std::move(path);
  return r;
}

http::Request InnerRequest(const http::Request& outer, EmbeddedRequest e) {
  http::Request r;
  r.method = std::move(e.method);
  r.target = std::move(e.target);
  r.headers = std::move(e.headers);
  r.body = std::move(e.body);
  r.version = 11;
  // Identity and context come from the outer, already authenticated request.
  r.remote_address = outer.remote_address;
  r.tls = outer.tls;
  r.client_cert_subject = outer.client_cert_subject;
  r.client_cert_fingerprint = outer.client_cert_fingerprint;
  r.user = outer.user;
  r.sap_client = outer.sap_client;
  r.sap_language = outer.sap_language;
  r.session_id = outer.session_id;
  r.scenarios = outer.scenarios;
  return r;
}

void AppendPart(std::string& out, std::string_view boundary, std::string_view headers, std::string_view body) {
  out += "--";
  out += boundary;
  out += "\r\n";
  out += headers;
  out += "\r\n";
  out += body;
  out += "\r\n";
}

std::string HttpPartHeaders(std::string_view content_id) {
  std::string h = "content-type: application/http\r\ncontent-transfer-encoding: binary\r\n";
  if (!content_id.empty()) {
    h += "content-id: ";
    h += content_id;
    h += "\r\n";
  }
  return h;
}

}  // namespace

http::Response Engine::Impl::HandleBatch(const Engine& engine, const http::Request& req, const RoutedRequest& r,
                                         Context& ctx, Format format) {
  const EngineOptions& opt = engine.options();
  if (req.body.size() > opt.max_batch_body_bytes)
    return Error(engine, BatchError(core::Code::kPayloadTooLarge, "The $batch request body exceeds the size limit"), format, ctx);
  auto boundary = BoundaryOf(req.headers.Get("content-type").value_or(""));
  if (!boundary || !core::IStartsWith(core::Trim(req.headers.Get("content-type").value_or("")), "multipart/mixed"))
    return Error(engine, BatchError(core::Code::kBadRequest, "A $batch request needs Content-Type multipart/mixed with a boundary"),
                 format, ctx);
  auto parts = ParseMultipart(req.body, *boundary, opt.max_batch_parts);
  if (!parts.ok()) return Error(engine, parts.error(), format, ctx);

  // Validate the whole structure first: Gateway rejects a malformed batch as a whole (400).
  std::vector<std::vector<MimePart>> changesets(parts->size());
  size_t total_ops = 0;
  for (size_t i = 0; i < parts->size(); ++i) {
    const MimePart& p = (*parts)[i];
    if (IsMultipart(p)) {
      auto cs_boundary = BoundaryOf(p.headers.Get("content-type").value_or(""));
      if (!cs_boundary) return Error(engine, BatchError(core::Code::kBadRequest, "Change set without boundary"), format, ctx);
      auto ops = ParseMultipart(p.body, *cs_boundary, opt.max_batch_parts);
      if (!ops.ok()) return Error(engine, ops.error(), format, ctx);
      for (const auto& op : *ops) {
        if (IsMultipart(op))
          return Error(engine, BatchError(core::Code::kBadRequest, "Nested change sets are not allowed"), format, ctx);
        if (!IsHttpPart(op))
          return Error(engine, BatchError(core::Code::kBadRequest, "Change set parts must be application/http"), format, ctx);
        auto inner = ParseEmbeddedRequest(op.body);
        if (!inner.ok()) return Error(engine, inner.error(), format, ctx);
        if (inner->method == "GET" || inner->method == "HEAD")
          return Error(engine, BatchError(core::Code::kBadRequest, "GET requests are not allowed inside a change set"),
                       format, ctx);
      }
      total_ops += ops->size();
      changesets[i] = std::move(ops).value();
    } else if (IsHttpPart(p)) {
      auto inner = ParseEmbeddedRequest(p.body);
      if (!inner.ok()) return Error(engine, inner.error(), format, ctx);
      if (inner->method != "GET")
        return Error(engine, BatchError(core::Code::kBadRequest, "Modifying requests must be inside a change set"), format, ctx);
      ++total_ops;
    } else {
      return Error(engine, BatchError(core::Code::kBadRequest, "A $batch part must be application/http or multipart/mixed"),
                   format, ctx);
    }
  }
  if (total_ops > opt.max_batch_parts)
    return Error(engine, BatchError(core::Code::kBadRequest, "Too many operations in $batch request"), format, ctx);

  std::string out;
  int changeset_no = 0;
  for (size_t i = 0; i < parts->size(); ++i) {
    const MimePart& p = (*parts)[i];
    if (!IsMultipart(p)) {
      auto inner = ParseEmbeddedRequest(p.body).value();
      auto routed = RouteInner(r, inner.target, {});
      http::Request inner_req = InnerRequest(req, std::move(inner));
      Context inner_ctx;
      inner_ctx.request = &inner_req;
      inner_ctx.language = ctx.language;
      // Each part's error follows that part's own negotiation, even when it could not be routed.
      http::Response resp = routed.ok() ? HandleSingle(engine, inner_req, *routed, inner_ctx, nullptr)
                                        : Error(engine, routed.error(), GuessFormat(inner_req, inner_req.Query()), inner_ctx);
      AppendPart(out, kBatchBoundary, HttpPartHeaders(""), WriteEmbeddedResponse(resp));
      continue;
    }
    // A change set: all operations or none.
    std::string cs_boundary = "ejjeeffe" + std::to_string(++changeset_no);
    std::map<std::string, std::string> content_ids;
    std::string cs_body;
    std::optional<http::Response> failure;
    // The format the change set's operations negotiated, when they agree: an error that keeps
    // the change set from committing (checked when its writes run) answers in it, as the same
    // error found while an operation ran would.
    std::optional<Format> ops_format;
    bool formats_differ = false;
    Context cs_ctx;
    cs_ctx.request = &req;
    cs_ctx.language = ctx.language;
    core::Status outcome = engine.service().RunChangeSet(cs_ctx, [&]() -> core::Status {
      for (const MimePart& op : changesets[i]) {
        auto inner = ParseEmbeddedRequest(op.body).value();
        std::string content_id(op.headers.Get("content-id").value_or(inner.headers.Get("content-id").value_or("")));
        auto routed = RouteInner(r, inner.target, content_ids);
        http::Request inner_req = InnerRequest(req, std::move(inner));
        Context inner_ctx;
        inner_ctx.request = &inner_req;
        inner_ctx.language = ctx.language;
        Format inner_format = Format::kAtom;
        http::Response resp = routed.ok() ? HandleSingle(engine, inner_req, *routed, inner_ctx, &inner_format)
                                          : Error(engine, routed.error(), GuessFormat(inner_req, inner_req.Query()), inner_ctx);
        if (ops_format && *ops_format != inner_format) formats_differ = true;
        ops_format = inner_format;
        if (resp.status >= 400) {
          failure = std::move(resp);
          return core::MakeError(core::Code::kBadRequest, "CAUSEWAY/ODATA", "001", "change set operation failed");
        }
        if (!content_id.empty()) {
          if (auto loc = resp.headers.Get("location"); loc && loc->substr(0, r.service_root_url.size()) == r.service_root_url)
            content_ids[content_id] = std::string(loc->substr(r.service_root_url.size()));
        }
        AppendPart(cs_body, cs_boundary, HttpPartHeaders(content_id), WriteEmbeddedResponse(resp));
      }
      return core::Status::Ok();
    });
    if (!outcome.ok()) {
      // Gateway answers a failed change set with one error part in its place: the failed
      // operation's own answer, or the error that kept the change set from committing.
      if (!failure) failure = Error(engine, outcome.error(), ops_format && !formats_differ ? *ops_format : format, ctx);
      AppendPart(out, kBatchBoundary, HttpPartHeaders(""), WriteEmbeddedResponse(*failure));
      continue;
    }
    cs_body += "--" + cs_boundary + "--\r\n";
    std::string headers = "content-type: multipart/mixed; boundary=" + cs_boundary + "\r\n";
    headers += "content-length: " + std::to_string(cs_body.size()) + "\r\n";
    AppendPart(out, kBatchBoundary, headers, cs_body);
  }
  out += "--";
  out += kBatchBoundary;
  out += "--\r\n";
  http::Response resp;
  resp.status = 202;
  resp.headers.Add("content-type", std::string("multipart/mixed; boundary=") + kBatchBoundary);
  resp.headers.Add("dataserviceversion", "2.0");
  resp.body = std::move(out);
  return resp;
}

}  // namespace causeway::odata
