#include "services/common/control_body.h"

#include <limits>

#include "core/utf8.h"
#include "services/common/problem_json.h"

namespace causeway::services::control {
namespace json = boost::json;

core::Error BodyError(std::string text) {
  return ControlError(core::Code::kBadRequest, "010", std::move(text));
}

core::Result<json::object> ParseObject(std::string_view body) {
  json::error_code ec;
  json::value v = json::parse(core::WithoutUtf8Bom(body), ec);
  if (ec) return BodyError("The body is not valid JSON: " + ec.message());
  if (!v.is_object()) return BodyError("The body must be a JSON object");
  return std::move(v.as_object());
}

core::Status CheckKeys(const json::object& o, std::initializer_list<std::string_view> known, std::string_view where) {
  for (const auto& [k, v] : o) {
    bool ok = false;
    for (std::string_view n : known) ok = ok || k == n;
    if (ok) continue;
    std::string list;
    for (std::string_view n : known) list += (list.empty() ? "" : ", ") + std::string(n);
    return BodyError("unknown field '" + std::string(where) + core::ValidUtf8(std::string_view(k)) + "' (known: " +
                     list + ")");
  }
  return core::Status::Ok();
}

namespace {
const json::value* Present(const json::object& o, std::string_view key) {
  const json::value* v = o.if_contains(key);
  return v && !v->is_null() ? v : nullptr;
}
core::Error Wrong(std::string_view where, std::string_view key, std::string_view what) {
  return BodyError(std::string(where) + std::string(key) + " must be " + std::string(what));
}
}  // namespace

core::Status Field(const json::object& o, std::string_view key, std::string* out, std::string_view where) {
  const json::value* v = Present(o, key);
  if (!v) return core::Status::Ok();
  if (!v->is_string()) return Wrong(where, key, "a string");
  *out = std::string(v->get_string());
  return core::Status::Ok();
}

core::Status Field(const json::object& o, std::string_view key, bool* out, std::string_view where) {
  const json::value* v = Present(o, key);
  if (!v) return core::Status::Ok();
  if (!v->is_bool()) return Wrong(where, key, "true or false");
  *out = v->get_bool();
  return core::Status::Ok();
}

core::Status Field(const json::object& o, std::string_view key, int64_t* out, std::string_view where) {
  const json::value* v = Present(o, key);
  if (!v) return core::Status::Ok();
  if (v->is_int64()) {
    *out = v->get_int64();
  } else if (v->is_uint64() && v->get_uint64() <= static_cast<uint64_t>(std::numeric_limits<int64_t>::max())) {
    *out = static_cast<int64_t>(v->get_uint64());
  } else {
    return Wrong(where, key, "an integer from -9223372036854775808 to 9223372036854775807");
  }
  return core::Status::Ok();
}

core::Status Field(const json::object& o, std::string_view key, std::vector<std::string>* out, std::string_view where) {
  const json::value* v = Present(o, key);
  if (!v) return core::Status::Ok();
  if (!v->is_array()) return Wrong(where, key, "an array of strings");
  std::vector<std::string> values;
  for (const auto& e : v->get_array()) {
    if (!e.is_string()) return Wrong(where, key, "an array of strings");
    values.emplace_back(e.get_string());
  }
  *out = std::move(values);
  return core::Status::Ok();
}

core::Status SameAsUrl(const json::object& o, std::string_view key, std::string_view url_value, std::string_view where) {
  std::string sent(url_value);
  CW_RETURN_IF_ERROR(Field(o, key, &sent, where));
  if (sent != url_value)
    return BodyError(std::string(where) + std::string(key) + " '" + core::ValidUtf8(sent) + "' in the body differs from the URL's '" +
                     std::string(url_value) + "'");
  return core::Status::Ok();
}

}  // namespace causeway::services::control
