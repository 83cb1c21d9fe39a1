#include "services/appjob/template_json.h"

#include <boost/json.hpp>

#include "core/time_format.h"
#include "services/common/control_body.h"
#include "services/common/problem_json.h"

namespace causeway::services::appjob {
namespace {

namespace json = boost::json;

using control::CheckKeys;
using control::Field;

core::Error Bad(std::string text) { return control::BodyError(std::move(text)); }

// A step may run at most a (leap) year; longer is a typo, and would overflow time arithmetic
// near the ends of int64.
constexpr int64_t kMaxTimeoutSeconds = 366 * 24 * 3600;

core::Result<jobs::StepDefinition> StepFromJson(const json::value& v, const jobs::JobTemplate& t, size_t nr,
                                                bool allow_commands) {
  const std::string where = "steps[" + std::to_string(nr) + "].";
  if (!v.is_object()) return Bad("steps must be objects");
  const auto& o = v.get_object();
  CW_RETURN_IF_ERROR(CheckKeys(o, {"kind", "catalog_entry", "text", "argv", "env", "working_dir", "timeout_s"}, where));
  jobs::StepDefinition s;
  std::string kind = "command";
  CW_RETURN_IF_ERROR(Field(o, "kind", &kind, where));
  if (!jobs::StepKindFromName(kind, &s.kind)) return Bad(where + "kind '" + kind + "' is not one of noop, sleep, fail, log_cleanup, command");
  if (s.kind == jobs::StepKind::kCommand && !allow_commands)
    return ControlError(core::Code::kForbidden, "011",
                        "Command steps cannot be defined at run time on this server (config "
                        "[control] runtime_command_templates = true allows it)");
  s.catalog_entry_name = t.name;
  s.text = t.text;
  CW_RETURN_IF_ERROR(Field(o, "catalog_entry", &s.catalog_entry_name, where));
  CW_RETURN_IF_ERROR(Field(o, "text", &s.text, where));
  CW_RETURN_IF_ERROR(Field(o, "argv", &s.argv, where));
  CW_RETURN_IF_ERROR(Field(o, "working_dir", &s.working_dir, where));
  int64_t timeout = 0;
  CW_RETURN_IF_ERROR(Field(o, "timeout_s", &timeout, where));
  if (timeout < 0 || timeout > kMaxTimeoutSeconds)
    return Bad(where + "timeout_s must be from 0 to " + std::to_string(kMaxTimeoutSeconds) + " (366 days)");
  s.timeout = std::chrono::seconds(timeout);
  if (const json::value* env = o.if_contains("env")) {
    if (!env->is_object()) return Bad(where + "env must be an object of strings");
    for (const auto& [k, val] : env->get_object()) {
      if (!val.is_string()) return Bad(where + "env must be an object of strings");
      s.env[std::string(k)] = std::string(val.get_string());
    }
  }
  return s;
}

core::Result<jobs::ParameterDefinition> ParameterFromJson(const json::value& v, size_t nr) {
  const std::string where = "parameters[" + std::to_string(nr) + "].";
  if (!v.is_object()) return Bad("parameters must be objects");
  const auto& o = v.get_object();
  CW_RETURN_IF_ERROR(CheckKeys(o, {"name", "step", "text", "mandatory", "read_only", "hidden", "default"}, where));
  jobs::ParameterDefinition p;
  CW_RETURN_IF_ERROR(Field(o, "name", &p.name, where));
  p.text = p.name;
  int64_t step = 1;
  CW_RETURN_IF_ERROR(Field(o, "step", &step, where));
  if (step < 1 || step > 9999) return Bad(where + "step must be from 1 to 9999");
  p.step_nr = static_cast<int>(step);
  CW_RETURN_IF_ERROR(Field(o, "text", &p.text, where));
  CW_RETURN_IF_ERROR(Field(o, "mandatory", &p.mandatory, where));
  CW_RETURN_IF_ERROR(Field(o, "read_only", &p.read_only, where));
  CW_RETURN_IF_ERROR(Field(o, "hidden", &p.hidden, where));
  std::string def;
  bool has_default = o.if_contains("default") && !o.at("default").is_null();
  CW_RETURN_IF_ERROR(Field(o, "default", &def, where));
  if (has_default) p.defaults.push_back({"I", "EQ", def, ""});
  return p;
}

}  // namespace

core::Result<jobs::JobTemplate> TemplateFromJson(std::string_view body, std::string_view name, bool allow_commands) {
  CW_ASSIGN_OR_RETURN(const json::object o, control::ParseObject(body));
  CW_RETURN_IF_ERROR(CheckKeys(o, {"name", "version", "text", "report", "allowed_users", "steps", "parameters",
                                   "supports_test_mode"}, ""));
  jobs::JobTemplate t;
  t.name = std::string(name);
  CW_RETURN_IF_ERROR(control::SameAsUrl(o, "name", t.name));
  t.text = t.name;
  CW_RETURN_IF_ERROR(Field(o, "version", &t.version, ""));
  CW_RETURN_IF_ERROR(Field(o, "text", &t.text, ""));
  CW_RETURN_IF_ERROR(Field(o, "report", &t.report_name, ""));
  CW_RETURN_IF_ERROR(Field(o, "allowed_users", &t.allowed_users, ""));
  CW_RETURN_IF_ERROR(Field(o, "supports_test_mode", &t.supports_test_mode, ""));
  if (t.version.size() != 1) return Bad("version must be one character");
  if (t.text.size() > 120) return Bad("text must have at most 120 characters");
  const json::value* steps = o.if_contains("steps");
  if (!steps || !steps->is_array() || steps->get_array().empty()) return Bad("steps must be a non-empty array");
  for (size_t i = 0; i < steps->get_array().size(); ++i) {
    CW_ASSIGN_OR_RETURN(auto step, StepFromJson(steps->get_array()[i], t, i, allow_commands));
    t.steps.push_back(std::move(step));
  }
  if (const json::value* params = o.if_contains("parameters")) {
    if (!params->is_array()) return Bad("parameters must be an array");
    for (size_t i = 0; i < params->get_array().size(); ++i) {
      CW_ASSIGN_OR_RETURN(auto p, ParameterFromJson(params->get_array()[i], i));
      t.parameters.push_back(std::move(p));
    }
  }
  // The engine's rules (name, parameters), refused here as what they are on the control plane:
  // malformed input.
  if (core::Status st = jobs::ValidateTemplate(t); !st.ok()) return Bad(st.error().text);
  return t;
}

json::object TemplateToJson(const jobs::JobTemplate& t) {
  json::array steps;
  for (const auto& s : t.steps) {
    json::object o{{"kind", jobs::StepKindName(s.kind)}, {"catalog_entry", s.catalog_entry_name}, {"text", s.text}};
    if (s.kind == jobs::StepKind::kCommand) {
      o["argv"] = json::value_from(s.argv);
      json::object env;
      for (const auto& [k, v] : s.env) env[k] = v;
      o["env"] = std::move(env);
      o["working_dir"] = s.working_dir;
      o["timeout_s"] = s.timeout.count();
    }
    steps.push_back(std::move(o));
  }
  json::array params;
  for (const auto& p : t.parameters) {
    json::object o{{"name", p.name}, {"step", p.step_nr}, {"text", p.text},
                   {"mandatory", p.mandatory}, {"read_only", p.read_only}, {"hidden", p.hidden}};
    if (!p.defaults.empty()) o["default"] = p.defaults.front().low;
    params.push_back(std::move(o));
  }
  return json::object{{"name", t.name},
                      {"version", t.version},
                      {"text", t.text},
                      {"report", t.report_name},
                      {"allowed_users", json::value_from(t.allowed_users)},
                      {"supports_test_mode", t.supports_test_mode},
                      {"steps", std::move(steps)},
                      {"parameters", std::move(params)},
                      {"created_at", core::FormatIso8601(t.created_at)},
                      {"created_by", t.created_by},
                      {"changed_at", core::FormatIso8601(t.changed_at)},
                      {"changed_by", t.changed_by}};
}

}  // namespace causeway::services::appjob
