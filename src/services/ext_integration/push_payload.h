// The outbox payload of one push, as the payload builder writes it and the message kinds read
// it at send time: a header line (JSON: the project mapping's URIs and methods, the ticket, the
// document links to sign) and the request body as a template. The template is the final JSON
// except for markers the kind fills in when it sends (never earlier, because they depend on the
// answers to earlier messages or on the time of sending):
//   \x01E\x01   EXTERNAL_ID          (update: the object's create result; create: "")
//   \x01P\x01   PARENT_EXTERNAL_ID   (work item: the package's EXTERNAL_ID; package: "")
//   \x01L<n>\x01 the n-th document link, signed with an expiry counted from the sending time
// A marker sits inside a JSON string; \x01 can never occur otherwise, since the JSON writer
// escapes every control character (\u0001).
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"

namespace causeway::services::ext_integration {

// A document link the kind signs at send time.
struct LinkSpec {
  bool attachment = false;  // contentserver shape; else SolmanDocuments
  std::string id;           // LOIO / docId
  std::string name;         // an attachment's technical file name (compId)
};

struct PushEnvelope {
  std::string ticket_id;
  std::string create_method, create_uri, update_method, update_uri;
  std::string link_base;   // "https://solman.example:50089" (no trailing '/')
  std::string sap_client;  // in the link paths
  std::vector<LinkSpec> links;
};

inline constexpr char kMarker = '\x01';

// header line + '\n' + template.
std::string EncodePushPayload(const PushEnvelope& envelope, std::string_view body_template);

struct DecodedPush {
  PushEnvelope envelope;
  std::string_view body_template;  // points into the decoded payload
};
// kBadRequest CAUSEWAY/FB/030 for a payload this version does not understand.
core::Result<DecodedPush> DecodePushPayload(std::string_view payload);

// The template with its markers replaced: `external_id`, `parent_external_id` and `links[n]`
// are raw values (JSON-escaped here). CAUSEWAY/FB/030 for a marker without a value.
core::Result<std::string> FillPushTemplate(std::string_view body_template, std::string_view external_id,
                                           std::string_view parent_external_id, const std::vector<std::string>& links);

// "\x01L<n>\x01" etc., for the builder.
std::string LinkMarker(size_t n);
inline constexpr std::string_view kExternalIdMarker = "\x01" "E" "\x01";
inline constexpr std::string_view kParentExternalIdMarker = "\x01" "P" "\x01";

}  // namespace causeway::services::ext_integration
