#include "odata/errors.h"

namespace causeway::odata {
namespace {
core::Error Make(core::Code code, const char* number, std::string_view text, std::initializer_list<std::string> vars,
                 std::string target = {}) {
  core::Error e = core::MakeError(code, kRuntimeClass, number, std::string(text), vars);
  e.target = std::move(target);
  return e;
}
}  // namespace

core::Error BadRequest(std::string_view text, std::initializer_list<std::string> vars, std::string target) {
  return Make(core::Code::kBadRequest, "022", text, vars, std::move(target));
}
core::Error UnsupportedOption(std::string_view option, std::string_view set) {
  return Make(core::Code::kBadRequest, "023", "System query option '&1' is not supported for entity set '&2'",
              {std::string(option), std::string(set)});
}
core::Error ResourceNotFound(std::string_view segment) {
  return Make(core::Code::kNotFound, "020", "Resource not found for segment '&1'", {std::string(segment)});
}
core::Error EntityNotFound(std::string_view segment) {
  return Make(core::Code::kNotFound, "020", "Resource not found for segment '&1'", {std::string(segment)});
}
core::Error MethodNotAllowed(std::string_view method, std::string_view resource) {
  return Make(core::Code::kMethodNotAllowed, "004", "Method '&1' not allowed for resource '&2'",
              {std::string(method), std::string(resource)});
}
core::Error EtagMismatch() {
  return Make(core::Code::kPreconditionFailed, "025", "Precondition failed: the entity has been modified (ETag mismatch)",
              {});
}
core::Error EtagRequired() {
  return Make(core::Code::kPreconditionRequired, "026", "Precondition required: send an If-Match header", {});
}
core::Error BatchError(core::Code code, std::string_view text) { return Make(code, "030", text, {}); }
core::Error InternalError() {
  return Make(core::Code::kInternal, "031", "The request could not be processed; the server log has the details", {});
}

}  // namespace causeway::odata
