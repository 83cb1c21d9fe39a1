// multipart/mixed framing for $batch (RFC 2046) and embedded HTTP messages (application/http).
// Pure parsing/writing; limits are enforced here so that hostile input stays bounded.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"
#include "http/message.h"

namespace causeway::odata {

struct MimePart {
  http::Headers headers;
  std::string body;
};

// The boundary parameter of a multipart content type (quotes removed), or nullopt.
std::optional<std::string> BoundaryOf(std::string_view content_type);

// Splits `body` on "--boundary" lines (CRLF or LF line ends accepted); the preamble and epilogue
// are ignored. Errors (400): missing first delimiter or closing "--boundary--", a part without
// a header/body separator, more than `max_parts` parts.
core::Result<std::vector<MimePart>> ParseMultipart(std::string_view body, std::string_view boundary, size_t max_parts);

// An HTTP request embedded in an application/http part: "METHOD target HTTP/1.1", headers,
// blank line, body.
struct EmbeddedRequest {
  std::string method;
  std::string target;
  http::Headers headers;
  std::string body;
};
core::Result<EmbeddedRequest> ParseEmbeddedRequest(std::string_view text);

// "HTTP/1.1 <status> <reason>\r\n<headers>\r\n\r\n<body>" for a batch response part.
std::string WriteEmbeddedResponse(const http::Response& r);

}  // namespace causeway::odata
