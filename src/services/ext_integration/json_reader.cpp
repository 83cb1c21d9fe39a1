#include "services/ext_integration/json_reader.h"

#include <cstdint>

namespace causeway::services::ext_integration {

namespace json = boost::json;

std::string Join(const std::string& path, std::string_view key) {
  return path.empty() ? std::string(key) : path + "." + std::string(key);
}

std::string At(const std::string& path, size_t i) { return path + "[" + std::to_string(i) + "]"; }

StrictObject::StrictObject(const json::value& v, std::string path, JsonError error)
    : path_(std::move(path)), error_(error) {
  if (v.is_object()) o_ = &v.as_object();
}

core::Status StrictObject::Check() const {
  return o_ ? core::Status::Ok() : error_(path_.empty() ? "body" : path_, "must be an object");
}

const json::value* StrictObject::Get(std::string_view key) {
  if (!o_) return nullptr;
  used_.insert(std::string(key));
  return o_->if_contains(key);
}

bool StrictObject::Has(std::string_view key) const { return o_ && o_->if_contains(key); }

core::Status StrictObject::Str(std::string_view key, std::string& out, bool required) {
  const json::value* v = Get(key);
  if (!v) return required ? Error(key, "is required") : core::Status::Ok();
  if (!v->is_string()) return Error(key, "must be a string");
  out = std::string(v->as_string());
  if (required && out.empty()) return Error(key, "must not be empty");
  return core::Status::Ok();
}

core::Status StrictObject::Int64(std::string_view key, int64_t& out) {
  const json::value* v = Get(key);
  if (!v) return core::Status::Ok();
  if (v->is_int64()) {
    out = v->as_int64();
  } else if (v->is_uint64() && v->as_uint64() <= static_cast<uint64_t>(INT64_MAX)) {
    out = static_cast<int64_t>(v->as_uint64());
  } else {
    return Error(key, "must be an integer");
  }
  return core::Status::Ok();
}

core::Status StrictObject::Int(std::string_view key, int& out) {
  int64_t v = out;
  CW_RETURN_IF_ERROR(Int64(key, v));
  if (v < INT32_MIN || v > INT32_MAX) return Error(key, "is out of range");
  out = static_cast<int>(v);
  return core::Status::Ok();
}

core::Status StrictObject::Bool(std::string_view key, bool& out) {
  const json::value* v = Get(key);
  if (!v) return core::Status::Ok();
  if (!v->is_bool()) return Error(key, "must be true or false");
  out = v->as_bool();
  return core::Status::Ok();
}

core::Status StrictObject::Strings(std::string_view key, std::vector<std::string>& out) {
  const json::value* v = Get(key);
  if (!v) return core::Status::Ok();
  if (!v->is_array()) return Error(key, "must be a list of strings");
  out.clear();
  for (size_t i = 0; i < v->as_array().size(); ++i) {
    const json::value& e = v->as_array()[i];
    if (!e.is_string()) return error_(At(Join(path_, key), i), "must be a string");
    out.emplace_back(e.as_string());
  }
  return core::Status::Ok();
}

core::Status StrictObject::List(std::string_view key,
                                const std::function<core::Status(const json::value&, const std::string&)>& each) {
  const json::value* v = Get(key);
  if (!v) return core::Status::Ok();
  if (!v->is_array()) return Error(key, "must be a list");
  for (size_t i = 0; i < v->as_array().size(); ++i) CW_RETURN_IF_ERROR(each(v->as_array()[i], At(Join(path_, key), i)));
  return core::Status::Ok();
}

core::Status StrictObject::Done() const {
  if (!o_) return core::Status::Ok();
  for (const auto& [k, v] : *o_)
    if (!used_.count(std::string(k))) return error_(Join(path_, k), "is not a known field");
  return core::Status::Ok();
}

}  // namespace causeway::services::ext_integration
