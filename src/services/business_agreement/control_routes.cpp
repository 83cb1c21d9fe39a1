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
using task_activity::PartnerFromJson;
using task_activity::PartnerJson;
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

http::Response Partners(agreements::BusinessAgreements& agreements, const http::Request& req, std::string_view rest) {
  if (rest.empty()) {
    if (ControlMethod(req) != "GET") return MethodNotAllowed({"GET"});
    auto list = agreements.ListPartners();
    if (!list.ok()) return ProblemJson(list.error());
    json::array arr;
    for (const auto& p : *list) arr.push_back(PartnerJson(p));
    return JsonResponse(200, json::object{{"partners", std::move(arr)}});
  }
  if (req.method != "PUT") return MethodNotAllowed({"PUT"});
  auto partner = PartnerFromJson(rest, req.body);
  if (!partner.ok()) return ProblemJson(partner.error());
  const activities::Partner& p = *partner;
  if (core::Status st = agreements.UpsertPartner(p); !st.ok()) return ProblemJson(st.error());
  return JsonResponse(200, PartnerJson(p));
}

}  // namespace

http::Endpoint ControlEndpoint(agreements::BusinessAgreements& agreements) {
  return {
      .key = kControlPath,
      .guard = {.service = "CAUSEWAY_CONTROL", .authenticate = true, .csrf = false},
      .handle = [&agreements](http::Request& req, const http::RouteMatch& m) {
        std::string_view rest = m.rest;
        auto part = [&](std::string_view name) -> std::optional<std::string_view> {
          if (rest == name) return std::string_view();
          if (rest.substr(0, name.size()) == name && rest.size() > name.size() && rest[name.size()] == '/')
            return rest.substr(name.size() + 1);
          return std::nullopt;
        };
        if (auto r = part("agreements")) return Agreements(agreements, req, *r);
        if (auto r = part("partners")) return Partners(agreements, req, *r);
        return ProblemJson(ControlError(core::Code::kNotFound, "001", "Unknown control resource"));
      },
      .render = {.error = [](const http::Request&, const core::Error& e) { return ProblemJson(e); }},
      .may_block = [](const http::Request&) { return true; }};
}

}  // namespace causeway::services::business_agreement
