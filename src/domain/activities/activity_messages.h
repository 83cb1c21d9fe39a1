// The business messages of task processing (message class CAUSEWAY/ACTIVITY; SAP's own texts
// for these situations are not public, see README.md). Each becomes a Log item.
#pragma once

#include <string>

#include "domain/activities/task.h"

namespace causeway::activities {

inline constexpr char kMessageClass[] = "CAUSEWAY/ACTIVITY";

// A Log item with severity error: type ID "<number>(CAUSEWAY/ACTIVITY)", the text with &1..&4
// substituted and cut to 200 characters.
LogItem ErrorItem(const char* number, std::string sender_id, std::initializer_list<std::string> vars = {});
// The text of a message number, or "".
const char* MessageText(const char* number);

}  // namespace causeway::activities
