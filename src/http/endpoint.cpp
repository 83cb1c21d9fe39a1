#include "http/endpoint.h"

#include <algorithm>

namespace causeway::http {

Response ErrorRenderer::Error(const Request& req, const core::Error& e) const {
  if (error) return error(req, e);
  return Response(e.HttpStatus(), "text/plain; charset=utf-8", e.text);
}

bool Endpoint::MayBlock(const Request& req) const {
  if (may_block) return may_block(req);
  return req.method != "GET" && req.method != "HEAD";
}

bool Endpoint::Allows(std::string_view method) const {
  return methods.empty() || std::find(methods.begin(), methods.end(), method) != methods.end();
}

}  // namespace causeway::http
