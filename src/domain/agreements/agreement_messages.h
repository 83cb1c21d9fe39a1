// The messages of business agreement replication (message class CAUSEWAY/AGREEMENT; SAP's own
// numbers and texts for these situations are not public). Each becomes a log item of the
// message in the monitor.
#pragma once

#include <initializer_list>
#include <string>

#include "domain/agreements/agreement.h"

namespace causeway::agreements {

inline constexpr char kMessageClass[] = "CAUSEWAY/AGREEMENT";

// A log item of message `number` (see agreement_messages.cpp for the texts; the severity is the
// message's: errors 001-019, warnings 020-029, information 030-039), referring to `sender_id`.
LogItem Message(const char* number, std::string sender_id, std::initializer_list<std::string> vars = {});
// The text of a message number, or "".
const char* MessageText(const char* number);

}  // namespace causeway::agreements
