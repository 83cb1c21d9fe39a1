// APJ_RT errors (spec §1.8) as core::Error values: code kBadRequest (HTTP 400), message class
// APJ_RT, the documented number and text with &1.. substituted.
#pragma once

#include <string>

#include "core/error.h"

namespace causeway::jobs {

core::Error ApjError(const char* number, std::initializer_list<std::string> vars = {});
// The documented text of an APJ_RT message number, or "" if unknown.
const char* ApjText(const char* number);

inline core::Error JobNotFound() { return ApjError("003"); }
// Whether `e` is JobNotFound(): a read of an entity that does not exist (or is not visible to
// the caller), which OData answers as "no entity" rather than as this error.
inline bool IsJobNotFound(const core::Error& e) { return e.message_class == "APJ_RT" && e.message_number == "003"; }
inline core::Error TemplateNotFound(const std::string& t) { return ApjError("015", {t}); }
inline core::Error CancelNotFound() { return ApjError("039"); }
inline core::Error NotRunning() { return ApjError("040"); }
inline core::Error RestartWrongStatus() { return ApjError("081"); }
inline core::Error RestartAfterLastStep() { return ApjError("082"); }
inline core::Error InvalidUser(const std::string& u) { return ApjError("083", {u}); }
inline core::Error NoAuthScheduleForUser(const std::string& u) { return ApjError("077", {u}); }
inline core::Error NoAuthReport(const std::string& u, const std::string& r) { return ApjError("024", {u, r}); }
inline core::Error NoAuthCancel(const std::string& u) { return ApjError("031", {u}); }
inline core::Error NoAuthDetails(const std::string& u) { return ApjError("028", {u}); }
// APJ_RT/032 "Job couldn't be scheduled." with `reason` as an error detail.
core::Error SchedulingFailed(const std::string& reason);
core::Error ParameterFormatError(const std::string& reason);

// Causeway's own class for what SAP has no message for (docs/errors.md), never an empty code:
//   CAUSEWAY/JOBS/001 kConflict    a job is no longer leased to this node
//                 002 kBadRequest  a template that breaks ValidateTemplate's rules
//                 003 kInternal    stored job data that cannot be decoded
//                 004 kInternal    a command step's process could not be started
inline core::Error JobsError(core::Code code, const char* number, std::string text,
                             std::initializer_list<std::string> vars = {}) {
  return core::MakeError(code, "CAUSEWAY/JOBS", number, std::move(text), vars);
}
inline core::Error InvalidTemplate(std::string text) { return JobsError(core::Code::kBadRequest, "002", std::move(text)); }
inline core::Error CorruptJobData(std::string text) { return JobsError(core::Code::kInternal, "003", std::move(text)); }
inline core::Error SpawnFailed(std::string text) { return JobsError(core::Code::kInternal, "004", std::move(text)); }

}  // namespace causeway::jobs
