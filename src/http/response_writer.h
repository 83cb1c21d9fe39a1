// Serializes a Response's status line and header block (HTTP/1.x) into a reusable buffer. The
// body is written separately (gather write), so it is never copied. Header names are written as
// the layers set them (lower case, as ICF); CR and LF inside names or values are replaced by a
// space so that no value can split the header block.
#pragma once

#include <string>

#include "http/message.h"

namespace causeway::http {

struct WireOptions {
  int version = 11;          // 10 or 11
  bool keep_alive = true;    // writes `connection: close` (1.1) or `connection: keep-alive` (1.0)
  bool head = false;         // HEAD: content-length of the body a GET would have returned
  const std::string* server_header = nullptr;  // added unless the response sets `server`
};

// Appends the head of `res` to `out` (after clearing it). The caller writes `res.body` after it
// unless opts.head or the status has no body (1xx, 204, 304).
void WriteResponseHead(const Response& res, const WireOptions& opts, std::string* out);
bool StatusHasBody(int status);

}  // namespace causeway::http
