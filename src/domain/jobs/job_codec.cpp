#include "domain/jobs/job_codec.h"

#include <boost/json.hpp>

#include "domain/jobs/job_errors.h"

namespace causeway::jobs {
namespace json = boost::json;

namespace {

core::Error Corrupt(std::string_view what) {
  return CorruptJobData("stored job data is corrupt: " + std::string(what));
}

core::Result<json::value> Parse(std::string_view text) {
  boost::system::error_code ec;
  json::value v = json::parse(text, ec);
  if (ec) return Corrupt(ec.message());
  return v;
}

std::string Str(const json::object& o, std::string_view k) {
  auto it = o.find(k);
  return it != o.end() && it->value().is_string() ? std::string(it->value().as_string()) : std::string();
}
int64_t Int(const json::object& o, std::string_view k) {
  auto it = o.find(k);
  return it != o.end() && it->value().is_int64() ? it->value().as_int64() : 0;
}
bool Bool(const json::object& o, std::string_view k) {
  auto it = o.find(k);
  return it != o.end() && it->value().is_bool() && it->value().as_bool();
}

json::value StepToJson(const StepDefinition& s) {
  json::array argv(s.argv.begin(), s.argv.end());
  json::object env;
  for (const auto& [k, v] : s.env) env[k] = v;
  return json::object{{"catalog_entry_name", s.catalog_entry_name},
                      {"text", s.text},
                      {"kind", StepKindName(s.kind)},
                      {"argv", std::move(argv)},
                      {"env", std::move(env)},
                      {"working_dir", s.working_dir},
                      {"timeout_s", s.timeout.count()},
                      {"sleep_parameter", s.sleep_parameter},
                      {"days_parameter", s.days_parameter}};
}

core::Result<StepDefinition> StepFromJson(const json::value& v) {
  if (!v.is_object()) return Corrupt("step is not an object");
  const json::object& o = v.as_object();
  StepDefinition s;
  s.catalog_entry_name = Str(o, "catalog_entry_name");
  s.text = Str(o, "text");
  if (!StepKindFromName(Str(o, "kind"), &s.kind)) return Corrupt("unknown step kind");
  if (auto it = o.find("argv"); it != o.end() && it->value().is_array())
    for (const auto& a : it->value().as_array())
      if (a.is_string()) s.argv.emplace_back(a.as_string());
  if (auto it = o.find("env"); it != o.end() && it->value().is_object())
    for (const auto& kv : it->value().as_object())
      if (kv.value().is_string()) s.env[std::string(kv.key())] = std::string(kv.value().as_string());
  s.working_dir = Str(o, "working_dir");
  s.timeout = std::chrono::seconds(Int(o, "timeout_s"));
  s.sleep_parameter = Str(o, "sleep_parameter");
  s.days_parameter = Str(o, "days_parameter");
  return s;
}

json::array RangesToJson(const std::vector<ParameterRange>& ranges) {
  json::array a;
  for (const auto& r : ranges) a.push_back(json::object{{"sign", r.sign}, {"option", r.option}, {"low", r.low}, {"high", r.high}});
  return a;
}

}  // namespace

std::string EncodeStep(const StepDefinition& step) { return json::serialize(StepToJson(step)); }

core::Result<StepDefinition> DecodeStep(std::string_view text) {
  CW_ASSIGN_OR_RETURN(json::value v, Parse(text));
  return StepFromJson(v);
}

std::string EncodeSteps(const std::vector<StepDefinition>& steps) {
  json::array a;
  for (const auto& s : steps) a.push_back(StepToJson(s));
  return json::serialize(a);
}

core::Result<std::vector<StepDefinition>> DecodeSteps(std::string_view text) {
  CW_ASSIGN_OR_RETURN(json::value v, Parse(text));
  if (!v.is_array()) return Corrupt("steps is not an array");
  std::vector<StepDefinition> out;
  for (const auto& s : v.as_array()) {
    CW_ASSIGN_OR_RETURN(auto step, StepFromJson(s));
    out.push_back(std::move(step));
  }
  return out;
}

std::string EncodeParameterDefinitions(const std::vector<ParameterDefinition>& params) {
  json::array a;
  for (const auto& p : params)
    a.push_back(json::object{{"name", p.name},          {"step_nr", p.step_nr},     {"text", p.text},
                             {"mandatory", p.mandatory}, {"read_only", p.read_only}, {"hidden", p.hidden},
                             {"defaults", RangesToJson(p.defaults)}});
  return json::serialize(a);
}

core::Result<std::vector<ParameterDefinition>> DecodeParameterDefinitions(std::string_view text) {
  CW_ASSIGN_OR_RETURN(json::value v, Parse(text));
  if (!v.is_array()) return Corrupt("parameters is not an array");
  std::vector<ParameterDefinition> out;
  for (const auto& item : v.as_array()) {
    if (!item.is_object()) return Corrupt("parameter is not an object");
    const json::object& o = item.as_object();
    ParameterDefinition p;
    p.name = Str(o, "name");
    p.step_nr = static_cast<int>(Int(o, "step_nr"));
    p.text = Str(o, "text");
    p.mandatory = Bool(o, "mandatory");
    p.read_only = Bool(o, "read_only");
    p.hidden = Bool(o, "hidden");
    if (auto it = o.find("defaults"); it != o.end() && it->value().is_array()) {
      for (const auto& r : it->value().as_array()) {
        if (!r.is_object()) continue;
        const json::object& ro = r.as_object();
        p.defaults.push_back({Str(ro, "sign"), Str(ro, "option"), Str(ro, "low"), Str(ro, "high")});
      }
    }
    out.push_back(std::move(p));
  }
  return out;
}

std::string EncodeStrings(const std::vector<std::string>& v) { return json::serialize(json::array(v.begin(), v.end())); }

core::Result<std::vector<std::string>> DecodeStrings(std::string_view text) {
  CW_ASSIGN_OR_RETURN(json::value v, Parse(text));
  if (!v.is_array()) return Corrupt("string list is not an array");
  std::vector<std::string> out;
  for (const auto& s : v.as_array())
    if (s.is_string()) out.emplace_back(s.as_string());
  return out;
}

}  // namespace causeway::jobs
