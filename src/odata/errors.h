// The engine's own Gateway errors. Gateway's runtime raises these with message class
// /IWBEP/CM_MGW_RT; the numbers below are our choice where public captures do not pin them
// (see README.md, "Error codes"). Every function returns a complete core::Error.
#pragma once

#include <initializer_list>
#include <string>
#include <string_view>

#include "core/error.h"

namespace causeway::odata {

inline constexpr char kRuntimeClass[] = "/IWBEP/CM_MGW_RT";

// 400 /IWBEP/CM_MGW_RT/022: malformed URI, literal, query option or body. `target` names the
// property/parameter concerned (may be empty).
core::Error BadRequest(std::string_view text, std::initializer_list<std::string> vars = {}, std::string target = {});
// 400 /IWBEP/CM_MGW_RT/023: a system query option the entity set does not support.
core::Error UnsupportedOption(std::string_view option, std::string_view set);
// 404 /IWBEP/CM_MGW_RT/020: "Resource not found for segment '&1'".
core::Error ResourceNotFound(std::string_view segment);
// 404 /IWBEP/CM_MGW_RT/020: "Resource not found" for a key that does not exist.
core::Error EntityNotFound(std::string_view segment);
// 405 /IWBEP/CM_MGW_RT/004: method not allowed for this resource.
core::Error MethodNotAllowed(std::string_view method, std::string_view resource);
// 412 /IWBEP/CM_MGW_RT/025 and 428 /IWBEP/CM_MGW_RT/026 (ETag handling).
core::Error EtagMismatch();
core::Error EtagRequired();
// 413/400 /IWBEP/CM_MGW_RT/030: $batch limits and framing.
core::Error BatchError(core::Code code, std::string_view text);
// 500 /IWBEP/CM_MGW_RT/031: a request the engine could not answer for a defect of its own (an
// exception out of a handler); the text says so without internals.
core::Error InternalError();

}  // namespace causeway::odata
