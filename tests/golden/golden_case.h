// Shared machinery of the golden-file runners (odata_golden_test.cpp, appjob/appjob_golden_test.cpp).
//
// Case file format (one case per file, *.txt):
//   # comment lines (name, description) at the top; "#! …" lines are runner directives
//   METHOD resource-path[?query] HTTP/1.1      (path relative to the service root)
//   header: value                              (request headers, then an empty line)
//   request body (for multipart bodies, LF is sent as CRLF)
//   ===
//   status
//   header: value                              (each listed header must match exactly)
//   (empty line)
//   expected body (CRLF in the actual body is compared as LF)
// A `sap-language=XX` query option is moved to http::Request::sap_language (as the router does);
// without one the language is EN. Volatile fields of Gateway error bodies (transactionid,
// timestamp) are masked as "<masked>" before comparison; runners may mask more.
// Set CW_GOLDEN_UPDATE=1 to rewrite the expected part from the actual response (then review!).
#pragma once

#include <filesystem>
#include <functional>
#include <string>
#include <utility>
#include <vector>

#include "http/message.h"
#include "odata/engine.h"

namespace causeway::golden {

struct GoldenCase {
  std::filesystem::path file;
  std::string request_part;             // the file text up to and including the line before "==="
  std::vector<std::string> directives;  // "#!" lines without the "#!" and leading blanks
  http::Request request;                // method, target, headers, body; user/scenarios unset
  std::string resource_path;            // for odata::RoutedRequest
  std::string query;                    // raw, without sap-language
  int expected_status = 0;
  std::vector<std::pair<std::string, std::string>> expected_headers;
  std::string expected_body;
};

// Reads and parses a case file. `substitute` is applied to the request text (request line,
// headers, body) before parsing, e.g. to fill in placeholders. Returns "" or an error text.
std::string LoadCase(const std::filesystem::path& file, GoldenCase& out,
                     const std::function<std::string(std::string)>& substitute = {});

// The masking every runner applies (see above); CRLF becomes LF.
std::string MaskVolatile(std::string body);

// Replaces each value of field `name` matching the regex `value` with `mask`, in all three wire
// forms: key predicate name='…', XML element <xml_tag>…</xml_tag> (e.g. "d:JobRunCount") and
// JSON member "name":"…".
std::string MaskField(std::string s, const std::string& name, const std::string& xml_tag, const std::string& value,
                      const std::string& mask);

// Compares `resp` (body already masked by the caller) with the case, as gtest expectations; or,
// with CW_GOLDEN_UPDATE set, rewrites the file and skips. Call from a TEST body.
void CheckResponse(const GoldenCase& c, const http::Response& resp, const std::string& masked_body);

// The *.txt files of a directory, sorted, and a gtest-safe name for one.
std::vector<std::string> CaseFiles(const std::filesystem::path& dir);
std::string CaseTestName(const std::string& file);

}  // namespace causeway::golden
