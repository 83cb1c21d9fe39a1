#include "client/job_parameters.h"

#include <boost/json.hpp>
#include <charconv>

#include "core/utf8.h"

namespace causeway::client {

namespace json = boost::json;

namespace {

core::Error BadParam(std::string text) {
  return core::MakeError(core::Code::kBadRequest, "CLIENT", "", std::move(text));
}

}  // namespace

core::Result<ParamSpec> ParseParamSpec(std::string_view text) {
  size_t eq = text.find('=');
  if (eq == std::string_view::npos) {
    return BadParam("--param '" + std::string(text) + "': expected STEP:NAME=VALUE");
  }
  std::string_view key = text.substr(0, eq);
  ParamSpec spec;
  spec.value = std::string(text.substr(eq + 1));
  size_t colon = key.find(':');
  if (colon != std::string_view::npos) {
    std::string_view step = key.substr(0, colon);
    int n = 0;
    auto [ptr, ec] = std::from_chars(step.data(), step.data() + step.size(), n);
    if (ec != std::errc() || ptr != step.data() + step.size() || n < 1) {
      return BadParam("--param '" + std::string(text) + "': STEP must be a positive integer");
    }
    spec.step = n;
    key = key.substr(colon + 1);
  }
  if (key.empty()) return BadParam("--param '" + std::string(text) + "': NAME is empty");
  spec.name = std::string(key);
  return spec;
}

core::Result<std::string> BuildParameterValuesSimple(const std::vector<ParamSpec>& params,
                                                     std::string_view json_file_text) {
  json::array values;
  if (!json_file_text.empty()) {
    boost::system::error_code ec;
    json::value doc = json::parse(core::WithoutUtf8Bom(json_file_text), ec);
    if (ec) return BadParam("--params-json: not valid JSON: " + ec.message());
    const json::object* obj = doc.if_object();
    const json::value* vals = obj ? obj->if_contains("VALUES") : nullptr;
    if (vals == nullptr || !vals->is_array()) {
      return BadParam("--params-json: expected an object {\"VALUES\":[...]} (JobParameterValuesSimple)");
    }
    for (const json::value& v : vals->get_array()) {
      if (!v.is_object() || !v.as_object().contains("NAME")) {
        return BadParam("--params-json: every VALUES entry needs at least NAME");
      }
      values.push_back(v);
    }
  }
  for (const ParamSpec& p : params) {
    json::object* target = nullptr;
    for (json::value& v : values) {
      json::object& o = v.as_object();
      const json::value* step = o.if_contains("STEP_NR");
      const json::value* name = o.if_contains("NAME");
      if (step && step->is_int64() && step->as_int64() == p.step && name && name->is_string() &&
          name->as_string() == p.name) {
        target = &o;
        break;
      }
    }
    json::object range{{"SIGN", "I"}, {"OPTION", "EQ"}, {"LOW", p.value}, {"HIGH", ""}};
    if (target != nullptr && (*target)["T_VALUE"].is_array()) {
      (*target)["T_VALUE"].as_array().push_back(std::move(range));
      continue;
    }
    json::object entry;
    entry["STEP_NR"] = p.step;
    entry["NAME"] = p.name;
    entry["T_VALUE"] = json::array{std::move(range)};
    values.push_back(std::move(entry));
  }
  if (values.empty()) return std::string();
  json::object root;
  root["VALUES"] = std::move(values);
  return json::serialize(root);
}

}  // namespace causeway::client
