// Business partners on the control planes (/_causeway/tasks/partners/…, and the business
// agreements' /_causeway/…/partners/… over the same master data): one JSON shape both ways.
#pragma once

#include <string_view>

#include <boost/json/object.hpp>

#include "core/result.h"
#include "domain/activities/partner.h"

namespace causeway::services::task_activity {

boost::json::object PartnerJson(const activities::Partner& p);

// The partner `id` (1-10 characters, no '/') described by a PUT body
// {"kind":"account|contact|employee","name","email","employee_id"}; errors are CAUSEWAY/CONTROL
// 010 (kBadRequest) naming what is wrong.
core::Result<activities::Partner> PartnerFromJson(std::string_view id, std::string_view body);

}  // namespace causeway::services::task_activity
