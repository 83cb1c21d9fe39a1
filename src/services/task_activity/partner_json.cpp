#include "services/task_activity/partner_json.h"

#include <boost/json.hpp>

#include "core/url.h"
#include "services/common/control_body.h"
#include "services/common/control_methods.h"
#include "services/common/problem_json.h"

namespace causeway::services::task_activity {
namespace json = boost::json;
namespace {

core::Error Refused(std::string text) { return control::BodyError(std::move(text)); }

}  // namespace

json::object PartnerJson(const activities::Partner& p) {
  return {{"id", p.id}, {"kind", activities::PartnerKindName(p.kind)}, {"name", p.name}, {"email", p.email},
          {"employee_id", p.employee_id}};
}

core::Result<activities::Partner> PartnerFromJson(std::string_view id, std::string_view body) {
  if (id.empty() || id.size() > 10 || id.find('/') != std::string_view::npos)
    return Refused("A business partner ID has 1-10 characters");
  CW_ASSIGN_OR_RETURN(const json::object o, control::ParseObject(body));
  // What PartnerJson shows can be sent back as it is.
  CW_RETURN_IF_ERROR(control::CheckKeys(o, {"id", "kind", "name", "email", "employee_id"}));
  CW_RETURN_IF_ERROR(control::SameAsUrl(o, "id", id));
  activities::Partner p;
  p.id = std::string(id);
  std::string kind_name = "account";
  CW_RETURN_IF_ERROR(control::Field(o, "kind", &kind_name));
  auto kind = activities::PartnerKindFromName(kind_name);
  if (!kind) return Refused("kind must be account, contact or employee");
  p.kind = *kind;
  CW_RETURN_IF_ERROR(control::Field(o, "name", &p.name));
  CW_RETURN_IF_ERROR(control::Field(o, "email", &p.email));
  CW_RETURN_IF_ERROR(control::Field(o, "employee_id", &p.employee_id));
  if (p.kind == activities::PartnerKind::kEmployee && p.employee_id.empty())
    return Refused("an employee needs an employee_id");
  return p;
}

http::Response PartnersResource(const PartnerStore& store, const http::Request& req, std::string_view rest) {
  if (rest.empty()) {
    if (ControlMethod(req) != "GET") return MethodNotAllowed({"GET"});
    auto list = store.list();
    if (!list.ok()) return ProblemJson(list.error());
    json::array arr;
    for (const auto& p : *list) arr.push_back(PartnerJson(p));
    return JsonResponse(200, json::object{{"partners", std::move(arr)}});
  }
  if (req.method != "PUT") return MethodNotAllowed({"PUT"});
  std::string id;  // percent-encoded in the path (an ID may hold a space or a slash)
  if (!core::PercentDecode(rest, false, &id))
    return ProblemJson(ControlError(core::Code::kBadRequest, "010", "Malformed partner ID"));
  auto partner = PartnerFromJson(id, req.body);
  if (!partner.ok()) return ProblemJson(partner.error());
  if (core::Status st = store.upsert(*partner); !st.ok()) return ProblemJson(st.error());
  return JsonResponse(200, PartnerJson(*partner));
}

}  // namespace causeway::services::task_activity
