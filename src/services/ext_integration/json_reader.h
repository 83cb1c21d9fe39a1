// Strict reading of the JSON bodies of the control plane and the customizing: each member is
// asked for by name with its type; Done() refuses members nobody asked for. Every error names
// the member's path ("profiles[0].process_types[1].fields") through the caller's error factory.
#pragma once

#include <boost/json.hpp>

#include <functional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"

namespace causeway::services::ext_integration {

using JsonError = core::Error (*)(const std::string& path, const std::string& text);

std::string Join(const std::string& path, std::string_view key);
std::string At(const std::string& path, size_t i);

class StrictObject {
 public:
  StrictObject(const boost::json::value& v, std::string path, JsonError error);
  core::Status Check() const;  // the value is an object

  // Absent members leave `out` as it is; `required` makes absence (and "") an error.
  core::Status Str(std::string_view key, std::string& out, bool required = false);
  core::Status Int(std::string_view key, int& out);
  core::Status Int64(std::string_view key, int64_t& out);
  core::Status Bool(std::string_view key, bool& out);
  core::Status Strings(std::string_view key, std::vector<std::string>& out);
  // Calls `each` with every element of a list member.
  core::Status List(std::string_view key,
                    const std::function<core::Status(const boost::json::value&, const std::string&)>& each);
  // The member (marked as read), or null.
  const boost::json::value* Get(std::string_view key);
  bool Has(std::string_view key) const;
  core::Status Done() const;
  const std::string& path() const { return path_; }
  core::Error Error(std::string_view key, const std::string& text) const { return error_(Join(path_, key), text); }

 private:
  const boost::json::object* o_ = nullptr;
  std::string path_;
  JsonError error_;
  std::set<std::string> used_;
};

}  // namespace causeway::services::ext_integration
