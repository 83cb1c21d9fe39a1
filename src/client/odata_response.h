// Tolerant reading of OData V2 function-import responses as real Gateway systems return them
// (spec §1.5, §2.5, §2.6): JSON `d.{…}`, `d.results[…]`, `d.<FunctionName>.{…}`, and Atom
// <entry>/<feed> when the server ignored $format=json. Property values become strings: numbers
// in decimal, booleans "true"/"false", Edm.DateTime as sent ("/Date(ms)/" or ISO). Null
// properties, __metadata and navigation properties are left out.
#pragma once

#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"

namespace causeway::client {

using ODataRecord = std::map<std::string, std::string>;

// The single entity returned by `function_name`. Accepts d.{…}, d.results[0], d.<function_name>
// (also d.<function_name>.results[0]), an Atom <entry>, or the first <entry> of a <feed>.
// kInternal with a readable text when the body is none of these (an HTML body is reported as such).
core::Result<ODataRecord> ParseEntity(std::string_view body, std::string_view content_type,
                                      std::string_view function_name);

// All entities of a collection result: d.results, d as an array, d.<function_name>.results,
// an Atom <feed>, or a single d.{…}/<entry> as a collection of one.
core::Result<std::vector<ODataRecord>> ParseEntities(std::string_view body,
                                                     std::string_view content_type,
                                                     std::string_view function_name);

}  // namespace causeway::client
