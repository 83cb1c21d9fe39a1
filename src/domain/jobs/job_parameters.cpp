#include "domain/jobs/job_parameters.h"

#include <boost/json.hpp>

#include "core/ascii.h"
#include "domain/jobs/job_errors.h"

namespace causeway::jobs {
namespace json = boost::json;

namespace {

// Clients differ in case ("STEP_NR" vs "StepNr"), so keys are matched case-insensitively and
// with underscores ignored.
const json::value* Field(const json::object& o, std::string_view key) {
  auto norm = [](std::string_view s) {
    std::string out;
    for (char c : s)
      if (c != '_') out += core::AsciiUpper(c);
    return out;
  };
  const std::string want = norm(key);
  for (const auto& kv : o)
    if (norm(kv.key()) == want) return &kv.value();
  return nullptr;
}

core::Result<std::string> StringField(const json::object& o, std::string_view key) {
  const json::value* v = Field(o, key);
  if (v == nullptr || v->is_null()) return std::string();
  if (v->is_string()) return std::string(v->as_string());
  if (v->is_int64()) return std::to_string(v->as_int64());
  if (v->is_uint64()) return std::to_string(v->as_uint64());
  if (v->is_bool()) return std::string(v->as_bool() ? "X" : "");
  return ParameterFormatError("field " + std::string(key) + " must be a string");
}

core::Result<int> StepField(const json::object& o, std::string_view key) {
  const json::value* v = Field(o, key);
  if (v == nullptr || v->is_null()) return 0;
  if (v->is_int64() && v->as_int64() >= 0 && v->as_int64() < 1000) return static_cast<int>(v->as_int64());
  if (v->is_uint64() && v->as_uint64() < 1000) return static_cast<int>(v->as_uint64());
  if (v->is_string()) {
    std::string_view s = v->as_string();
    if (s.empty()) return 0;
    int n = 0;
    for (char c : s) {
      if (c < '0' || c > '9' || n > 999) return ParameterFormatError("STEP_NR must be a number");
      n = n * 10 + (c - '0');
    }
    return n;
  }
  return ParameterFormatError("STEP_NR must be a number");
}

core::Result<ParameterRange> ParseRange(const json::object& o) {
  ParameterRange r;
  CW_ASSIGN_OR_RETURN(r.sign, StringField(o, "SIGN"));
  CW_ASSIGN_OR_RETURN(r.option, StringField(o, "OPTION"));
  CW_ASSIGN_OR_RETURN(r.low, StringField(o, "LOW"));
  CW_ASSIGN_OR_RETURN(r.high, StringField(o, "HIGH"));
  if (r.sign.empty()) r.sign = "I";
  if (r.option.empty()) r.option = "EQ";
  if (r.sign != "I" && r.sign != "E") return ParameterFormatError("SIGN must be I or E");
  return r;
}

// Appends `v` to `out`, merging rows of the struct shape that belong to the same parameter.
void Merge(std::vector<ParameterValue>& out, ParameterValue v) {
  for (auto& e : out) {
    if (e.step_nr == v.step_nr && e.name == v.name) {
      e.ranges.insert(e.ranges.end(), v.ranges.begin(), v.ranges.end());
      return;
    }
  }
  out.push_back(std::move(v));
}

core::Result<std::vector<ParameterValue>> ParseValuesShape(const json::array& values) {
  std::vector<ParameterValue> out;
  for (const json::value& item : values) {
    if (!item.is_object()) return ParameterFormatError("VALUES entries must be objects");
    const json::object& o = item.as_object();
    ParameterValue v;
    CW_ASSIGN_OR_RETURN(v.step_nr, StepField(o, "STEP_NR"));
    CW_ASSIGN_OR_RETURN(v.name, StringField(o, "NAME"));
    if (v.name.empty()) return ParameterFormatError("NAME is missing");
    if (const json::value* t = Field(o, "T_VALUE"); t != nullptr && !t->is_null()) {
      if (!t->is_array()) return ParameterFormatError("T_VALUE must be an array");
      for (const json::value& rv : t->as_array()) {
        if (!rv.is_object()) return ParameterFormatError("T_VALUE entries must be objects");
        CW_ASSIGN_OR_RETURN(auto r, ParseRange(rv.as_object()));
        v.ranges.push_back(std::move(r));
      }
    }
    Merge(out, std::move(v));
  }
  return out;
}

core::Result<std::vector<ParameterValue>> ParseStructShape(const json::array& rows) {
  std::vector<ParameterValue> out;
  for (const json::value& item : rows) {
    if (!item.is_object()) return ParameterFormatError("parameter rows must be objects");
    const json::object& o = item.as_object();
    ParameterValue v;
    CW_ASSIGN_OR_RETURN(v.step_nr, StepField(o, "StepNr"));
    CW_ASSIGN_OR_RETURN(v.name, StringField(o, "JobParameterName"));
    if (v.name.empty()) return ParameterFormatError("JobParameterName is missing");
    CW_ASSIGN_OR_RETURN(auto r, ParseRange(o));
    v.ranges.push_back(std::move(r));
    Merge(out, std::move(v));
  }
  return out;
}

}  // namespace

core::Result<std::vector<ParameterValue>> ParseParameterValues(std::string_view text) {
  if (core::Trim(text).empty()) return std::vector<ParameterValue>{};
  boost::system::error_code ec;
  json::value doc = json::parse(text, ec);
  if (ec) return ParameterFormatError("not valid JSON (" + ec.message() + ")");
  if (doc.is_array()) return ParseStructShape(doc.as_array());
  if (!doc.is_object()) return ParameterFormatError("expected an object with VALUES or an array");
  const json::value* values = Field(doc.as_object(), "VALUES");
  if (values == nullptr || values->is_null()) return std::vector<ParameterValue>{};
  if (!values->is_array()) return ParameterFormatError("VALUES must be an array");
  return ParseValuesShape(values->as_array());
}

std::string FormatParameterValues(const std::vector<ParameterValue>& values) {
  json::array arr;
  for (const auto& v : values) {
    json::array ranges;
    for (const auto& r : v.ranges)
      ranges.push_back(json::object{{"SIGN", r.sign}, {"OPTION", r.option}, {"LOW", r.low}, {"HIGH", r.high}});
    arr.push_back(json::object{{"STEP_NR", v.step_nr}, {"NAME", v.name}, {"T_VALUE", std::move(ranges)}});
  }
  return json::serialize(json::object{{"VALUES", std::move(arr)}});
}

std::string FormatDynamicProperties(const std::vector<DynamicProperty>& props) {
  json::array arr;
  for (const auto& p : props)
    arr.push_back(json::object{{"jobParameterName", p.name}, {"hidden", p.hidden}, {"readOnly", p.read_only}});
  return json::serialize(arr);
}

std::string ParameterEnvName(std::string_view parameter_name) {
  std::string out = "CW_PARAM_";
  for (char c : parameter_name) {
    char u = core::AsciiUpper(c);
    out += ((u >= 'A' && u <= 'Z') || (u >= '0' && u <= '9')) ? u : '_';
  }
  return out;
}

std::vector<std::pair<std::string, std::string>> ParameterEnvironment(const std::vector<ParameterValue>& values) {
  std::vector<std::pair<std::string, std::string>> env;
  for (const auto& v : values) {
    const std::string base = ParameterEnvName(v.name);
    env.emplace_back(base, v.ranges.empty() ? std::string() : v.ranges.front().low);
    if (!v.ranges.empty() && !v.ranges.front().high.empty()) env.emplace_back(base + "_HIGH", v.ranges.front().high);
    if (v.ranges.size() > 1) {
      env.emplace_back(base + "_COUNT", std::to_string(v.ranges.size()));
      for (size_t i = 0; i < v.ranges.size(); ++i) {
        const std::string p = base + "_" + std::to_string(i + 1);
        env.emplace_back(p + "_SIGN", v.ranges[i].sign);
        env.emplace_back(p + "_OPTION", v.ranges[i].option);
        env.emplace_back(p + "_LOW", v.ranges[i].low);
        env.emplace_back(p + "_HIGH", v.ranges[i].high);
      }
    }
  }
  return env;
}

}  // namespace causeway::jobs
