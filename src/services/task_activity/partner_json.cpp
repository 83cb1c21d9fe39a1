#include "services/task_activity/partner_json.h"

#include "core/utf8.h"
#include <boost/json.hpp>

namespace causeway::services::task_activity {
namespace json = boost::json;
namespace {

core::Error Refused(std::string text) {
  return core::MakeError(core::Code::kBadRequest, "CAUSEWAY/CONTROL", "010", std::move(text));
}

}  // namespace

json::object PartnerJson(const activities::Partner& p) {
  return {{"id", p.id}, {"kind", activities::PartnerKindName(p.kind)}, {"name", p.name}, {"email", p.email},
          {"employee_id", p.employee_id}};
}

core::Result<activities::Partner> PartnerFromJson(std::string_view id, std::string_view body) {
  if (id.empty() || id.size() > 10 || id.find('/') != std::string_view::npos)
    return Refused("A business partner ID has 1-10 characters");
  json::error_code ec;
  json::value v = json::parse(core::WithoutUtf8Bom(body), ec);
  if (ec || !v.is_object()) return Refused("The body must be a JSON object");
  const json::object& o = v.as_object();
  auto str = [&](const char* key) {
    auto* x = o.if_contains(key);
    return x && x->is_string() ? std::string(x->as_string()) : std::string();
  };
  activities::Partner p;
  p.id = std::string(id);
  auto kind = activities::PartnerKindFromName(str("kind").empty() ? "account" : str("kind"));
  if (!kind) return Refused("kind must be account, contact or employee");
  p.kind = *kind;
  p.name = str("name");
  p.email = str("email");
  p.employee_id = str("employee_id");
  if (p.kind == activities::PartnerKind::kEmployee && p.employee_id.empty())
    return Refused("an employee needs an employee_id");
  return p;
}

}  // namespace causeway::services::task_activity
