// The Focused Build customizing that drives the External Tool Integration (guide chapters 2-4)
// plus the master data it refers to: RFC destinations (type G), cPro projects and their
// mapping, integration profiles (/SALM/FBDF …) with per-process-type settings, outbound field /
// partner / text / appointment mappings and the inbound status mapping, status profiles with
// their transitions, business partners with identifications, and the texts of codes.
//
// A plain value: the service layer reads it from TOML or JSON (its codec) and the domain
// validates it (Validate), stores it and hands an immutable snapshot to every operation.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"
#include "exchange/secret.h"

namespace causeway::workitems {

// An RFC destination of type G (SM59): where the external tool's OData service is.
struct RfcDestination {
  std::string name;       // the outbox destination of the same name
  std::string protocol = "https";  // "https" or "http"
  std::string host;
  int port = 443;
  std::string path_prefix;  // SM59 "Path Prefix", prepended to every URI; may be ""
  std::string user;         // Basic user (technical user of the tool)
  exchange::Secret password;
  std::string password_env;  // read at start when password is empty
  std::string ca_file;       // PEM bundle trusted for https; "" = the system store
  bool insecure = false;     // no TLS verification (sandboxes only)
  int max_concurrent = 8;
  // "https://host:port/prefix", the base of every URI of the project mapping.
  std::string BaseUrl() const;
};

struct Project {
  std::string id;    // SOLDOC_PROJECT, e.g. "ST_OST_SP2"
  std::string text;  // SOLDOC_PROJECT_TXT
};

// Mapping for External Tool Integration: one per cPro project.
struct ProjectMapping {
  std::string project;
  std::string destination;
  std::string create_uri;  // e.g. "/plugins/servlet/IssueService.svc/Issues"
  std::string create_method = "POST";
  std::string update_uri;  // with #EXTERNAL_ID#, e.g. "…/Issues('#EXTERNAL_ID#')"
  std::string update_method = "PUT";
  std::string jump_in_url;  // the tool's project page (URI after the destination's base)
  std::string profile;      // integration profile, e.g. "/SALM/FBDF"
};

enum class MappingRule { kCopyValue, kSetSpecificValue };
std::string_view MappingRuleName(MappingRule rule);  // "copy", "set"
// "copy" / "Copy Value", "set" / "Set Specific Value" (case-insensitive).
std::optional<MappingRule> ParseMappingRule(std::string_view name);

struct FieldMapping {
  std::string attribute;  // a payload attribute (payload_attributes.h)
  MappingRule rule = MappingRule::kCopyValue;
  std::string value;      // kSetSpecificValue: the value sent (a number for numeric attributes)
};

struct StatusMapping {
  std::string external_status;  // what the tool sends in ExtStatus (exact match)
  std::string internal_status;  // the user status it means, e.g. "E0017"
};

// The profile's settings for one process type.
struct ProcessTypeSettings {
  std::string process_type;  // S1IT, S1CG, S1MJ
  bool enabled = true;
  std::string jump_in_url;   // the tool's object page, with #EXTERNAL_ID#
  std::string partner_function = "/SALM/09";  // whose partner decides whether to push
  std::vector<FieldMapping> fields;           // outbound field mapping, payload order
  std::vector<std::string> partner_functions; // outbound partner mapping
  std::vector<std::string> text_ids;          // outbound text mapping
  std::vector<std::string> date_types;        // outbound appointment mapping
  std::vector<StatusMapping> inbound_status;  // inbound status mapping
};

struct IntegrationProfile {
  std::string name;  // e.g. "/SALM/FBDF"
  std::string description;
  std::vector<ProcessTypeSettings> process_types;
  const ProcessTypeSettings* Find(std::string_view process_type) const;
};

struct UserStatus {
  std::string code;  // E0001 … E0099
  std::string text;
};

struct StatusTransition {
  std::string from, to;
};

struct StatusProfile {
  std::string name;
  std::string initial;  // the status of a new object
  std::vector<UserStatus> statuses;
  // Allowed changes; a change to the status an object already has is always allowed (no-op).
  std::vector<StatusTransition> transitions;
  const UserStatus* Find(std::string_view code) const;
  bool Allows(std::string_view from, std::string_view to) const;
};

struct ProcessTypeMaster {
  std::string code;  // S1IT, S1CG, S1MJ
  std::string text;
  std::string status_profile;
};

struct PartnerIdentification {
  std::string type;    // ID type, e.g. "S1EXTI"
  std::string number;  // identification number, e.g. "X"
};

struct BusinessPartner {
  std::string number;
  std::string name;
  std::string email;
  std::vector<PartnerIdentification> identifications;
  bool Has(std::string_view type, std::string_view number) const;
};

// Texts of codes the payload sends next to the code (…_TXT).
struct CodeTexts {
  std::map<std::string, std::string, std::less<>> partner_functions;  // "/SALM/01" → "Business Process Expert"
  std::map<std::string, std::string, std::less<>> text_ids;           // "S115" → ""
  std::map<std::string, std::string, std::less<>> date_types;         // "S1_BUILD_FIN" → "Build Completed"
  std::map<int, std::string> priorities;                               // 2 → "2: High"
  std::map<int, std::string> impacts;
  std::map<int, std::string> urgencies;
  std::map<std::string, std::string, std::less<>> classifications;    // "1" → "WRICEF"
};

inline constexpr char kTriggerIdType[] = "S1EXTI";
inline constexpr char kTriggerIdNumber[] = "X";

struct Customizing {
  std::vector<RfcDestination> destinations;
  std::vector<Project> projects;
  std::vector<ProjectMapping> project_mappings;
  std::vector<IntegrationProfile> profiles;
  std::vector<StatusProfile> status_profiles;
  std::vector<ProcessTypeMaster> process_types;
  std::vector<BusinessPartner> business_partners;
  CodeTexts texts;

  const RfcDestination* FindDestination(std::string_view name) const;
  const Project* FindProject(std::string_view id) const;
  const ProjectMapping* FindMapping(std::string_view project) const;
  const IntegrationProfile* FindProfile(std::string_view name) const;
  const StatusProfile* FindStatusProfile(std::string_view name) const;
  const ProcessTypeMaster* FindProcessType(std::string_view code) const;
  const BusinessPartner* FindPartner(std::string_view number) const;
  // The status profile of a process type, or null.
  const StatusProfile* StatusProfileOf(std::string_view process_type) const;
};

// Every reference and format: names unique, destinations complete (protocol, host, port),
// each project mapping's project, destination and profile known, URIs relative (starting
// with '/'), the update URI holding #EXTERNAL_ID#, methods POST/PUT/PATCH/MERGE, field
// mapping attributes known (set values of numeric attributes numeric), status profiles with a
// known initial status and transitions between known statuses, each process type (S1IT, S1CG,
// S1MJ) with a known status profile, inbound mappings to statuses of that profile. The first
// problem is the error (kBadRequest CAUSEWAY/FB/012, target = the field path, e.g.
// "project_mappings[ST_OST_SP2].destination").
core::Status Validate(const Customizing& c);

}  // namespace causeway::workitems
