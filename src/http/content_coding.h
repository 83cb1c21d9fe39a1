// Request bodies sent with a Content-Encoding (RFC 9110 §8.4). Web-service consumers can compress
// their requests (PHP's SoapClient `compression`, gSOAP, Informatica's Web Service Consumer):
// gzip (also as x-gzip) and deflate are undone here before any handler sees the body. Any other
// coding is 415 with the codings we read in Accept-Encoding (§15.5.16); a body that does not decode
// is 400; one that would decode to more than the body limit is 413, found without inflating
// further (a small compressed body can stand for gigabytes).
#pragma once

#include <cstddef>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

namespace causeway::http {

inline constexpr std::string_view kAcceptedContentCodings = "gzip, deflate";

struct ContentCodingError {
  int status;  // 400, 413, 415 or 503
  std::string text;
};

// `codings`: the Content-Encoding value(s), comma-separated, in the order they were applied.
// Replaces `body` with the decoded bytes; a body refused is left as it came. `may_hold`, when
// given, is asked before the decoded bytes' buffer grows, with all that the decoding then holds
// (the buffers being read and written): false ends the decoding with 503, so that decoded bodies
// count against the server's budget for buffered bodies as they grow.
std::optional<ContentCodingError> DecodeContentCoding(std::string_view codings, std::string& body, size_t max_bytes,
                                                      const std::function<bool(size_t)>& may_hold = {});

}  // namespace causeway::http
