// The control-plane routes of ManageTaskActivityIn (users granted CAUSEWAY_CONTROL), JSON:
//   GET  /_causeway/task-activity/tasks[?after=<id>&limit=<n>]   {"tasks":[…]} by ID
//   GET  /_causeway/task-activity/tasks/<id or uuid>            one task (its stored document)
//   GET  /_causeway/task-activity/partners                      {"partners":[…]}
//   PUT  /_causeway/task-activity/partners/<id>  {"kind","name","email","employee_id"}
//   GET  /_causeway/task-activity/errors[?limit=<n>]            SOAP web-service error log, newest first
//   GET  /_causeway/task-activity/errors/<transaction id>       one error log entry
// Errors: {"error":{"code","message"}} as the rest of the control plane.
#pragma once

#include "domain/activities/task_activities.h"
#include "http/endpoint.h"
#include "soap/error_log.h"

namespace causeway::services::task_activity {

// The endpoint; `activities` and `errors` must outlive it.
http::Endpoint ControlEndpoint(activities::TaskActivities& activities, const soap::ErrorLog& errors);

// JSON of one error log entry (also used by tests).
std::string ErrorLogEntryJson(const soap::ErrorLogEntry& e);

}  // namespace causeway::services::task_activity
