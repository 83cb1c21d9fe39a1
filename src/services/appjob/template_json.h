// Job templates as JSON for the control plane. A [[jobs.templates]] table in the config file
// (docs/configuration.md) has the same fields and is parsed by the same code (app/config.cpp
// hands it over as JSON), so an operator can move a definition between the two unchanged.
#pragma once

#include <boost/json/object.hpp>

#include <string_view>

#include "core/result.h"
#include "domain/jobs/job_template.h"

namespace causeway::services::appjob {

// Parses a PUT body. `name` (from the URL) wins over a "name" field, which must then agree.
// `allow_commands`: whether "command" steps may be defined at run time (config
// [control] runtime_command_templates); refused with 403 otherwise.
core::Result<jobs::JobTemplate> TemplateFromJson(std::string_view body, std::string_view name, bool allow_commands);

boost::json::object TemplateToJson(const jobs::JobTemplate& t);

}  // namespace causeway::services::appjob
