// The Focused Build customizing as JSON (the control plane's and the store's form) and as TOML
// (`[ext_integration.customizing]` of causeway.toml, the same keys). Decoding is strict: an
// unknown key, a wrong type or a missing required field is an error naming the field's path
// (kBadRequest CAUSEWAY/FB/012, target e.g. "profiles[0].process_types[1].fields"); the
// references are then checked by workitems::Validate.
//
//   destinations      [{name, protocol, host, port, path_prefix, user, password | password_env,
//                       ca_file, insecure, max_concurrent}]
//   projects          [{id, text}]
//   project_mappings  [{project, destination, create_uri, create_method, update_uri,
//                       update_method, jump_in_url, profile}]
//   profiles          [{name, description, process_types: [{process_type, enabled, jump_in_url,
//                       partner_function, fields: "all" | [{attribute, rule, value}],
//                       partner_functions, text_ids, date_types,
//                       inbound_status: [{external, internal}]}]}]
//   status_profiles   [{name, initial, statuses: [{code, text}], transitions: [{from, to}]}]
//   process_types     [{code, text, status_profile}]
//   business_partners [{number, name, email, identifications: [{type, number}]}]
//   texts             {partner_functions, text_ids, date_types, classifications: {code: text},
//                      priorities, impacts, urgencies: {"2": "2: High"}}
#pragma once

#include <boost/json/value.hpp>
#include <toml++/toml.h>

#include <string>

#include "core/result.h"
#include "domain/workitems/customizing.h"

namespace causeway::services::ext_integration {

// `path` prefixes the field paths of errors (e.g. "ext_integration.customizing").
core::Result<workitems::Customizing> CustomizingFromJson(const boost::json::value& v, const std::string& path = "");
core::Result<workitems::Customizing> CustomizingFromToml(const toml::table& t, const std::string& path);

// `with_secrets`: destination passwords as they are (the stored document); otherwise only
// whether one is set ("password_set": true), for answers of the control plane.
boost::json::value CustomizingToJson(const workitems::Customizing& c, bool with_secrets);

// A table of TOML as the equivalent JSON value (integers, floats, booleans, strings, arrays,
// tables; dates as strings).
boost::json::value TomlToJson(const toml::node& node);

}  // namespace causeway::services::ext_integration
