// Tolerant framing of the request header block, in front of Beast's strict parser.
//
// Clients in the field send header lines that SAP's ICF accepts but RFC 9112 does not: the IBP
// guide's curl script extracts the CSRF token with `cut`, keeps the CR of the response line and
// sends `x-csrf-token:  <token>\r\r\n`; other clients end lines with a bare LF. We accept both:
// any CRs directly before a LF are dropped and every line is re-terminated with CRLF.
#pragma once

#include <cstddef>
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

}  // namespace causeway::http
