// The web-service message monitor on the control plane (users granted CAUSEWAY_CONTROL), JSON.
// Generic over every SOAP service: asynchronous messages of the message store and, read-only,
// synchronous calls that ended in a fault (the SOAP error log).
//   GET  /_causeway/messages[?kind=async|sync&service=&operation=&status=&user=&object_key=
//                            &message_id=&from=<ISO 8601>&to=<ISO 8601>&limit=1-1000&cursor=]
//        {"messages":[entry…],"next_cursor":"…"}   newest first; next_cursor "" on the last page
//   GET  /_causeway/messages/summary                 {"counts":[{"service","kind","status","count"}]}
//   GET  /_causeway/messages/<id>                    the entry with its "log" (asynchronous) or the
//                                                    error log's "detail" (synchronous)
//   GET  /_causeway/messages/<id>/payload            the stored payload (text/xml; asynchronous only)
//   POST /_causeway/messages/<id>/restart|cancel|release   the entry after the action
// <id>: the message number, or the 32-hex transaction ID of a fault. An entry carries "actions":
// what its status allows. GET resources answer HEAD. Errors: {"error":{"code","message"}}: 400 bad
// filter (CAUSEWAY/SOAP/048, CAUSEWAY/CONTROL/010), 404 (CAUSEWAY/CONTROL/001 "No message has the
// ID …", CAUSEWAY/SOAP/040), 405 with allow (CAUSEWAY/CONTROL/002), 409 (CAUSEWAY/SOAP/041).
#pragma once

#include <functional>
#include <string>

#include "http/endpoint.h"
#include "soap/message_monitor.h"
#include "soap/message_store.h"

namespace causeway::services::business_agreement {

inline constexpr char kMonitorPath[] = "/_causeway/messages";

// `after_action` runs after a successful restart, cancel or release (wakes the processors).
// Everything passed must outlive the endpoint.
http::Endpoint MessageMonitorEndpoint(soap::MessageStore& messages, const soap::MessageMonitor& monitor,
                                      std::function<void()> after_action);

// One entry as JSON (also used by tests and the CLI's expectations).
std::string MonitorEntryJson(const soap::MonitorEntry& e, const std::vector<soap::StoredLogItem>* log);

}  // namespace causeway::services::business_agreement
