// Reading the JSON bodies of the control plane strictly. A field the resource does not have (a
// misspelt "authorised_user", a "frist_name") or a value of the wrong type is refused, naming
// the field, with 400 CAUSEWAY/CONTROL/010 — never dropped in silence, which would store
// something other than what the operator sent and answer 200. Absent and null fields leave the
// target as it is (a PUT's defaults are the caller's to set first).
#pragma once

#include <boost/json.hpp>

#include <cstdint>
#include <initializer_list>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"

namespace causeway::services::control {

// 400 CAUSEWAY/CONTROL/010 with `text`.
core::Error BodyError(std::string text);

// The body as a JSON object (a UTF-8 byte order mark is skipped).
core::Result<boost::json::object> ParseObject(std::string_view body);

// Every key of `o` is one of `known`; else "unknown field '<where><key>' (known: …)".
// `where` prefixes names of nested objects ("steps[0].").
core::Status CheckKeys(const boost::json::object& o, std::initializer_list<std::string_view> known,
                       std::string_view where = {});

// Typed fields: the value of `key`, when present and not null, into *out.
core::Status Field(const boost::json::object& o, std::string_view key, std::string* out, std::string_view where = {});
core::Status Field(const boost::json::object& o, std::string_view key, bool* out, std::string_view where = {});
// An integer in int64 range (a larger unsigned value is refused, not wrapped).
core::Status Field(const boost::json::object& o, std::string_view key, int64_t* out, std::string_view where = {});
core::Status Field(const boost::json::object& o, std::string_view key, std::vector<std::string>* out,
                   std::string_view where = {});

// A body's `id` (or other key field) may repeat the URL's, but must not differ from it.
core::Status SameAsUrl(const boost::json::object& o, std::string_view key, std::string_view url_value,
                       std::string_view where = {});

}  // namespace causeway::services::control
