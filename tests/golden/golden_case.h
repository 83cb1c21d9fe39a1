// Shared machinery of the golden-file runners (odata_golden_test.cpp, appjob/, ext_integration/,
// task_activity/, business_agreement/ and src/services/case_exchange/case_exchange_golden_test.cpp).
//
// Case file format (one case per file, *.txt):
//   # comment lines (name, description) at the top; "#! …" lines are runner directives, except
//   "#! contains", which every runner honours: the expected body is a substring of the actual one
//   METHOD target HTTP/1.1                     (resource-path[?query] relative to the service root,
//                                               or with CaseOptions::absolute_target the target a
//                                               client sends to the server)
//   header: value                              (request headers, then an empty line)
//   request body (for multipart bodies, LF is sent as CRLF)
//   ===
//   status
//   header: value                              (each listed header must match exactly)
//   (empty line)
//   expected body (CRLF in the actual body is compared as LF)
// For a service-relative target, a `sap-language=XX` query option is moved to
// http::Request::sap_language (as the router does); without one the language is EN. An absolute
// target is left whole for the router to read. Volatile fields of Gateway error bodies (transactionid,
// timestamp) are masked as "<masked>" before comparison; runners may mask more.
// Set CW_GOLDEN_UPDATE=1 to rewrite the expected part from the actual response (then review!).
#pragma once

#include <filesystem>
#include <functional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "http/message.h"

namespace causeway::golden {

struct GoldenCase {
  std::filesystem::path file;
  std::string request_part;             // the file text up to and including the line before "==="
  std::vector<std::string> directives;  // "#!" lines without the "#!" and leading blanks
  http::Request request;                // method, target, headers, body; user/scenarios unset
  std::string resource_path;            // the target's path, e.g. for odata::RoutedRequest
  std::string query;                    // raw; without sap-language unless the target is absolute
  int expected_status = 0;
  std::vector<std::pair<std::string, std::string>> expected_headers;
  std::string expected_body;
};

struct CaseOptions {
  // The request line holds the target as sent to the server (through an http::Router): it is not
  // split for sap-language and request.sap_language stays empty (the router decides it).
  bool absolute_target = false;
  // Applied to the request text (request line, headers, body) before parsing, e.g. to fill in
  // placeholders; called once per LoadCase.
  std::function<std::string(std::string)> substitute;
};

// Reads and parses a case file. Returns "" or an error text.
std::string LoadCase(const std::filesystem::path& file, GoldenCase& out, const CaseOptions& options);
std::string LoadCase(const std::filesystem::path& file, GoldenCase& out,
                     const std::function<std::string(std::string)>& substitute = {});

// Whether the case has the directive `name` ("#! name").
bool HasDirective(const GoldenCase& c, std::string_view name);

// The masking every runner applies (see above); CRLF becomes LF.
std::string MaskVolatile(std::string body);

// Replaces each value of field `name` matching the regex `value` with `mask`, in all three wire
// forms: key predicate name='…', XML element <xml_tag>…</xml_tag> (e.g. "d:JobRunCount") and
// JSON member "name":"…".
std::string MaskField(std::string s, const std::string& name, const std::string& xml_tag, const std::string& value,
                      const std::string& mask);

// Compares `resp` (body already masked by the caller) with the case, as gtest expectations
// (with "#! contains": the expected body must occur in the masked body); or, with
// CW_GOLDEN_UPDATE set, rewrites the file (keeping the expected body of a "#! contains" case) and
// skips. `recorded_headers` (lower case) are the response headers an update writes, in that order;
// empty = all of them. Call from a TEST body.
void CheckResponse(const GoldenCase& c, const http::Response& resp, const std::string& masked_body,
                   const std::vector<std::string>& recorded_headers = {});

// `resp` as the server sends it: once its `after` completed, replaced by on_failure if that failed.
http::Response AwaitAfter(http::Response resp);

// The bytes of a file ("" if it cannot be read).
std::string ReadFile(const std::filesystem::path& file);

// The *.txt files of a directory, sorted, and a gtest-safe name for one.
std::vector<std::string> CaseFiles(const std::filesystem::path& dir);
std::string CaseTestName(const std::string& file);

}  // namespace causeway::golden
