// Work packages and work items as the control plane's JSON (what replaces the Solution Manager
// UI): the view of an object, and the bodies that create or change one. Decoding is strict
// (unknown fields and wrong types are errors naming the field, CAUSEWAY/FB/010).
//
// Writable fields (create and PATCH): description, priority, impact, urgency, effort (number
// or "24480.00"), effort_unit, ppm_project_id, ppm_project_text, ppm_wave, ppm_wave_text,
// ppm_start_date, ppm_finish_date, ppm_completion, ppm_total_work, ppm_total_work_unit,
// requested_release / forecast_release / actual_release {number, class, type, go_live_date},
// classification, wricef [{key, value}], partners [{function, partner_no, main}],
// appointments [{date_type, timestamp, time_zone, is_duration, duration, time_unit}],
// categories [{guid, description, level}], process_structure [{project_id, node_id,
// step_text, process_text, scenario_text}]. Create also takes process_type, project, package
// (the work item's package), status, texts [{text_id, text, author}] and, for imports, guid
// and ticket_id.
#pragma once

#include <boost/json/value.hpp>

#include "core/result.h"
#include "domain/workitems/work_items.h"

namespace causeway::services::ext_integration {

boost::json::object ObjectToJson(const workitems::WorkObject& o, const workitems::Customizing& c);
boost::json::object HistoryToJson(const workitems::StatusChange& h);

core::Result<workitems::ObjectPatch> PatchFromJson(const boost::json::value& v);
struct CreateRequest {
  workitems::NewObject object;
  std::string package;
};
core::Result<CreateRequest> CreateFromJson(const boost::json::value& v);
core::Result<workitems::TextEntry> TextFromJson(const boost::json::value& v);
// {kind, file_name, title, status, status_text, type, type_text, author, author_name,
//  technical_name, extension, link_url, content_type, content_base64}
core::Result<workitems::NewDocument> DocumentFromJson(const boost::json::value& v);

}  // namespace causeway::services::ext_integration
