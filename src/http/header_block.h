// Tolerant framing of the request header block, in front of Beast's strict parser.
//
// Clients in the field send header lines that SAP's ICF accepts but RFC 9112 does not: the IBP
// guide's curl script extracts the CSRF token with `cut`, keeps the CR of the response line and
// sends `x-csrf-token:  <token>\r\r\n`; other clients end lines with a bare LF. We accept both:
// any CRs directly before a LF are dropped and every line is re-terminated with CRLF.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace causeway::http {

// Length of the header block at the start of `data` including its terminating empty line
// (CRLFCRLF, LFLF or mixtures), or 0 if the block is not complete yet.
size_t FindHeaderBlockEnd(std::string_view data);

// True if NormalizeHeaderBlock would change `block` (a bare LF or a CR run before a LF).
bool NeedsNormalizing(std::string_view block);

// Rewrites a complete header block (as delimited by FindHeaderBlockEnd) with CRLF line endings
// and without stray CRs before line ends.
std::string NormalizeHeaderBlock(std::string_view block);

// Why a request's body length cannot be trusted (RFC 9112 §6.1, §6.3), with the status to
// answer before closing the connection.
struct FramingError {
  int status;        // 400, or 501 for a transfer coding we do not implement
  std::string text;  // plain-text body
};

// Checks the message-body framing of a complete, normalized header block (request line
// included) before anything reads a body, so that a body is never taken for the next request:
// - Transfer-Encoding whose final coding is not `chunked`, `chunked` more than once, or any
//   Transfer-Encoding in an HTTP/1.0 request: 400 (the length cannot be determined);
// - another coding before `chunked` (gzip, …): 501;
// - Transfer-Encoding together with Content-Length, Content-Length values that differ or are
//   not decimal digits: 400;
// - a header field name followed by whitespace, or a folded (obs-fold) line: 400.
// nullopt: the framing is unambiguous.
std::optional<FramingError> CheckBodyFraming(std::string_view block);

}  // namespace causeway::http
