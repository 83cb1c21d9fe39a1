// Business partners on the control planes (/_causeway/tasks/partners/…, and the business
// agreements' /_causeway/…/partners/… over the same master data): one JSON shape both ways.
#pragma once

#include <boost/json/object.hpp>
#include <functional>
#include <string_view>
#include <vector>

#include "core/result.h"
#include "domain/activities/partner.h"
#include "http/message.h"

namespace causeway::services::task_activity {

boost::json::object PartnerJson(const activities::Partner& p);

// The partner `id` (1-10 characters, no '/') described by a PUT body
// {"kind":"account|contact|employee","name","email","employee_id"}; errors are CAUSEWAY/CONTROL
// 010 (kBadRequest) naming what is wrong.
core::Result<activities::Partner> PartnerFromJson(std::string_view id, std::string_view body);

// The master data behind a control plane's partners resource.
struct PartnerStore {
  std::function<core::Result<std::vector<activities::Partner>>()> list;
  std::function<core::Status(const activities::Partner&)> upsert;
};

// `…/partners` with `rest` what follows it: GET (or HEAD) of the list {"partners": […]}, PUT
// <id> of one partner (answered with it); JSON problems otherwise.
http::Response PartnersResource(const PartnerStore& store, const http::Request& req, std::string_view rest);

}  // namespace causeway::services::task_activity
