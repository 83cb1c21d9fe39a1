// The stored JSON documents of the change domain (Boost.JSON stays inside change_codec.cpp):
// a change's full state, and each kind of master data. Decoders accept what the encoders write
// and refuse anything else with kInternal CAUSEWAY/CX/090 (a damaged row).
#pragma once

#include <string>
#include <string_view>

#include "core/result.h"
#include "domain/changes/change.h"
#include "domain/changes/directory.h"
#include "domain/changes/workflow.h"

namespace causeway::changes {

std::string EncodeChange(const Change& c);
core::Result<Change> DecodeChange(std::string_view doc);

std::string EncodePerson(const Person& p);
core::Result<Person> DecodePerson(std::string_view doc);
std::string EncodeGroup(const Group& g);
core::Result<Group> DecodeGroup(std::string_view doc);
std::string EncodeSystem(const ExternalSystem& s);
core::Result<ExternalSystem> DecodeSystem(std::string_view doc);
std::string EncodeWorkflow(const Workflow& w);
core::Result<Workflow> DecodeWorkflow(std::string_view doc);
std::string EncodeTenantName(std::string_view name);
core::Result<std::string> DecodeTenantName(std::string_view doc);

}  // namespace causeway::changes
