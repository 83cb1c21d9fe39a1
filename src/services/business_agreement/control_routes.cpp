#include "services/business_agreement/control_routes.h"

#include <boost/json.hpp>

#include "core/url.h"
#include "domain/agreements/agreement_repository.h"
#include "services/common/control_methods.h"
#include "services/common/problem_json.h"
#include "services/common/query_params.h"
#include "services/task_activity/partner_json.h"

namespace causeway::services::business_agreement {
namespace json = boost::json;
namespace {

http::Response Json(int status, std::string body) {
  return http::Response(status, "application/json; charset=utf-8", std::move(body));
}

http::Response Agreements(agreements::BusinessAgreements& agreements, const http::Request& req, std::string_view rest) {
  if (ControlMethod(req) != "GET") return MethodNotAllowed({"GET"});
  if (rest.empty()) {
    auto query = QueryParams::Parse(req.Query(), kControlQueryMessages);
    if (!query.ok()) return ProblemJson(query.error());
    auto limit = query->PageLimit();
    if (!limit.ok()) return ProblemJson(limit.error());
    auto list = agreements.List(query->GetOr("after", ""), static_cast<size_t>(*limit));
    if (!list.ok()) return ProblemJson(list.error());
    std::string body = "{\"agreements\":[";
    for (size_t i = 0; i < list->size(); ++i) body += (i ? "," : "") + agreements::EncodeAgreement((*list)[i]);
    return Json(200, body + "]}");
  }
  std::string key;
  if (!core::PercentDecode(rest, false, &key))
    return ProblemJson(ControlError(core::Code::kBadRequest, "010", "Malformed agreement ID"));
  auto a = agreements.Find(key);
  if (!a.ok()) return ProblemJson(a.error());
  if (!*a) return ProblemJson(ControlError(core::Code::kNotFound, "001", "Business agreement " + key + " does not exist"));
  return Json(200, agreements::EncodeAgreement(**a));
}

}  // namespace

http::Endpoint ControlEndpoint(agreements::BusinessAgreements& agreements) {
  return {.key = kControlPath,
          .guard = {.service = "CAUSEWAY_CONTROL", .authenticate = true, .csrf = false},
          .handle =
              [&agreements](http::Request& req, const http::RouteMatch& m) {
                auto part = [&](std::string_view name) { return ControlSubresource(m.rest, name); };
                if (auto r = part("agreements")) return Agreements(agreements, req, *r);
                if (auto r = part("partners"))
                  return task_activity::PartnersResource(
                      {[&] { return agreements.ListPartners(); },
                       [&](const activities::Partner& p) { return agreements.UpsertPartner(p); }},
                      req, *r);
                return ProblemJson(ControlError(core::Code::kNotFound, "001", "Unknown control resource"));
              },
          .render = ProblemJsonErrors(),
          .may_block = [](const http::Request&) { return true; }};
}

}  // namespace causeway::services::business_agreement
