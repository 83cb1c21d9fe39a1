// The messages of the change domain, class CAUSEWAY/CX (Service Management's own texts for
// these situations are not public). Each function names its number and HTTP status.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "core/error.h"

namespace causeway::changes::errors {

core::Error UnknownTenant(std::string_view tenant);                  // 001, 404
core::Error ChangeNotFound(std::string_view id);                     // 002, 404
core::Error EntityTypeNotSupported(std::string_view type);           // 003, 400
core::Error UnknownSystem(std::string_view system);                  // 004, 400
core::Error NotAuthorizedUser(std::string_view login, std::string_view system);  // 005, 403
core::Error UnknownOperation(std::string_view op);                   // 006, 400
core::Error OperationNotSupported(std::string_view op);              // 007, 400
core::Error IdRequired(std::string_view op);                         // 008, 400
core::Error ConcurrentChange(std::string_view id);                   // 009, 409
core::Error UnknownProperty(std::string_view name);                  // 010, 400
core::Error ReadOnlyProperty(std::string_view name);                 // 011, 400
core::Error InvalidValue(std::string_view name, std::string_view value, std::string_view allowed);  // 012, 400
core::Error UnknownRelated(std::string_view name, std::string_view value);  // 013, 400
core::Error WrongType(std::string_view name, std::string_view expected);    // 014, 400
core::Error TypeFixed(std::string_view phase);                       // 015, 400
core::Error BadComment(std::string_view what);                       // 016, 400
core::Error FileNotUploaded(std::string_view id);                    // 017, 400
core::Error NotAllowed(std::string_view what);                       // 018, 403
// A relation given by a key other than its Id that several records have (`ids`, in order).
core::Error AmbiguousRelated(std::string_view name, std::string_view value, const std::vector<std::string>& ids);  // 019, 400
core::Error UnknownPhase(std::string_view phase, std::string_view type);  // 020, 400
core::Error NoTransition(std::string_view from, std::string_view to, std::string_view type);  // 021, 400
core::Error RequirementsMissing(std::string_view from, std::string_view to, std::string_view missing);  // 022, 400
core::Error Busy();                                                  // 030, 503
core::Error MasterData(std::string_view target, std::string_view text);  // 050, 400
// Another person of the tenant (`holder`; empty when only the store's index noticed) has the login.
core::Error LoginTaken(std::string_view login, std::string_view holder);  // 051, 409
// A person's login cannot be taken away while external systems (`ids`) act as that login.
core::Error LoginAuthorizesSystems(std::string_view login, const std::vector<std::string>& ids);  // 052, 409

}  // namespace causeway::changes::errors
