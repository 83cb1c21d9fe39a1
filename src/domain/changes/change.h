// A change record and what hangs on it (comments, attachments, external references), with the
// wire vocabularies a case-exchange client reads and writes (spec B.4, B.5). Plain values.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "domain/changes/property_value.h"

namespace causeway::changes {

// An attachment as listed in ChangeAttachments; its content is a file in the store (guid = id).
struct Attachment {
  std::string id;  // the file's guid
  std::string file_name;
  std::string file_extension;
  std::string mime_type;
  std::string creator;  // person id
  int64_t size = 0;
  int64_t last_update_ms = 0;
  friend bool operator==(const Attachment&, const Attachment&) = default;
};

struct Comment {
  std::string id;
  std::string body;
  std::string privacy = "PUBLIC";  // PUBLIC | PRIVATE
  bool is_system = false;          // written by an integration: never the cause of an Update
  int64_t created_ms = 0;
  std::string submitter;  // person id; empty when unknown
  int64_t seq = 0;        // order within the record
};

// Links a change to the record an external system keeps for it.
struct ExternalReference {
  std::string id;
  std::string change_id;
  std::string system_id;
  std::string external_id;
  std::string external_status;
  std::string external_entity_type;
};

struct Change {
  std::string id;
  std::string display_label;
  std::string description;
  std::string change_type = "Normal";  // a workflow's type
  std::string change_model;
  std::string phase_id;
  std::string urgency = "SlightDisruption";
  std::string impact_scope = "SingleUser";
  std::string reason_for_change;
  std::string justification;
  std::string category;
  std::string service;       // AffectsActualService
  std::string requested_by;  // person id
  std::string owning_group;  // group id
  std::string completion_code;
  std::vector<Attachment> attachments;
  std::map<std::string, PropertyValue, std::less<>> custom;  // *_c
  int64_t created_ms = 0;
  int64_t updated_ms = 0;

  // Bookkeeping, not on the wire.
  int64_t version = 0;            // optimistic check of every write
  int64_t operation_count = 0;    // outgoing operations so far (the next one's rseq - 1)
  int64_t last_operation_ms = 0;  // keeps a record's operation times non-decreasing
  int64_t comment_count = 0;      // comments so far (the next one's seq - 1)
  bool cancel_generated = false;  // no Update after a Cancel (seed, "Supported operations")
};

// Wire vocabularies (exact spelling and case).
extern const std::vector<std::string_view> kUrgencies;       // NoDisruption … TotalLossOfService
extern const std::vector<std::string_view> kImpactScopes;    // Enterprise … SingleUser
extern const std::vector<std::string_view> kCompletionCodes; // change completion codes
extern const std::vector<std::string_view> kPrivacyTypes;    // PUBLIC, PRIVATE
inline constexpr std::string_view kWithdrawn = "Withdrawn";
inline constexpr std::string_view kAbandonPhase = "Abandon";

bool OneOf(const std::vector<std::string_view>& values, std::string_view v);

// Priority from Urgency × ImpactScope (spec B.5): CriticalPriority, HighPriority,
// MediumPriority or LowPriority; "" when either value is unknown.
std::string PriorityOf(std::string_view urgency, std::string_view impact_scope);

// Operation names of ext_properties.Operation (case-sensitive).
enum class Operation { kCreate, kUpdate, kAssign, kAccept, kReject, kCancel, kResolve, kClose, kReopen };
std::string_view OperationName(Operation op);
std::optional<Operation> ParseOperation(std::string_view name);  // exact case

}  // namespace causeway::changes
