// Activity tasks (C4C "Task" activities) and the changes a bundle request asks for, as plain
// protocol-free values. See README.md for the rules.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/clock.h"
#include "soap/a2x.h"
#include "soap/a2x_list.h"

namespace causeway::activities {

// The A2X conventions (spec A.3) are soap/a2x.h's plain values, shared with every A2X service:
// action codes (04 when none is given), Log items cut to 200 characters, list changes.
using soap::a2x::Action;
using soap::a2x::ActionCode;
using soap::a2x::ActionFromCode;
using soap::a2x::ListChange;
using soap::a2x::LogItem;
using LogSeverity = soap::a2x::Severity;

// Life-cycle status codes.
inline constexpr std::string_view kStatusOpen = "1";
inline constexpr std::string_view kStatusInProcess = "2";
inline constexpr std::string_view kStatusCompleted = "3";
inline constexpr std::string_view kStatusCancelled = "4";
// Whether a task may go from `from` to `to` (same status always allowed).
bool StatusTransitionAllowed(std::string_view from, std::string_view to);

// Text types allowed on a task.
inline constexpr std::string_view kTextBody = "10002";
inline constexpr std::string_view kTextComment = "10011";

struct PartyRef {
  std::string business_partner_id;  // resolved ID (also when identified by employee or e-mail)
  std::string employee_id;
  std::string email;
  std::string name;
  bool main = false;
  bool operator==(const PartyRef&) const = default;
};

struct ScheduledPeriod {
  std::string start;  // ISO 8601 as sent (validated by the schema)
  std::string start_time_zone;
  std::string end;
  std::string end_time_zone;
  bool operator==(const ScheduledPeriod&) const = default;
};

struct DocumentReference {
  std::string id;
  std::string uuid;
  std::string type_code;
  std::string role_code;
  bool operator==(const DocumentReference&) const = default;
};

struct TaskText {
  std::string type_code;
  std::string content;
  std::string language;
  std::string created_at;  // as sent, or the time it was stored
  bool operator==(const TaskText&) const = default;
};

struct Attachment {
  std::string uuid;
  std::string category_code;  // 2 document, 3 link
  std::string type_code;
  std::string name;
  std::string alternative_name;
  std::string description;
  std::string link_uri;
  std::string mime_code;
  std::string file_name;
  bool visible = true;
  std::string content_base64;  // file content as sent (base64Binary, validated by the schema)
  bool operator==(const Attachment&) const = default;
};

struct Task {
  int64_t id = 0;  // from the TASK number range
  std::string uuid;
  std::string change_state_id;  // SAP long timestamp, new for every change
  std::string document_type_code;
  std::string name;
  std::string priority_code;
  std::string sensitivity_code;
  std::string group_code;
  std::string data_origin_code;
  std::string completion_percent;
  std::string life_cycle_status;
  std::optional<ScheduledPeriod> period;
  std::optional<PartyRef> processor;
  std::optional<PartyRef> responsible;
  std::optional<PartyRef> main_activity;
  std::vector<PartyRef> reference_parties;
  // ActivityUnitParty: the org unit the task is reported in, by its org centre ID. Causeway
  // keeps no org units: the ID is stored as sent (README).
  std::string activity_unit;
  std::vector<DocumentReference> references;
  std::vector<TaskText> texts;
  std::vector<Attachment> attachments;
  core::SystemTime created_at{};
  std::string created_by;
  core::SystemTime changed_at{};
  std::string changed_by;
  bool operator==(const Task&) const = default;
};

// ---- what a MaintainBundle request asks for ------------------------------------------------

// How a party was given: at least one of the identifying fields is set.
struct PartyInput {
  std::string sender_id;
  std::string business_partner_id;
  std::string employee_id;
  std::string email;
  std::string name;
  bool main = false;
};

// Every optional leaf of a child node that is not transmitted (nullopt) leaves the stored value
// unchanged (A2X: only what is sent changes).
struct ReferenceChange {
  std::string sender_id;
  Action action = Action::kSave;
  std::optional<std::string> id, uuid, type_code, role_code;
};

struct TextChange {
  std::string sender_id;
  Action action = Action::kSave;
  std::optional<std::string> type_code, language, content, created_at;
};

struct AttachmentChange {
  Action action = Action::kSave;
  std::optional<std::string> uuid;  // none: a new document
  std::optional<std::string> category_code, type_code, name, alternative_name, description, link_uri, mime_code,
      file_name;
  std::optional<bool> visible;
  std::optional<std::string> content_base64;  // FileContent/BinaryObject, without whitespace
};

struct PeriodInput {
  std::optional<std::string> start, start_time_zone, end, end_time_zone;
};

struct TaskChange {
  std::string sender_id;  // ObjectNodeSenderTechnicalID
  Action action = Action::kSave;
  std::optional<std::string> change_state_id, id, uuid;
  std::optional<std::string> document_type_code, name, priority_code, sensitivity_code, group_code,
      data_origin_code, completion_percent, life_cycle_status;
  std::optional<PeriodInput> period;
  std::optional<PartyInput> processor, responsible, main_activity;
  std::optional<std::string> activity_unit;  // "" = the element without ID: removes it
  ListChange<PartyInput> reference_parties;
  ListChange<ReferenceChange> references;
  ListChange<TextChange> texts;
  bool attachment_folder_present = false;
  // The folder's own ActionCode: 03/05 delete every attachment, 06 leaves them as they are.
  Action attachment_folder_action = Action::kSave;
  ListChange<AttachmentChange> attachments;
};

struct BundleRequest {
  std::string message_id;
  std::string message_uuid;
  std::vector<TaskChange> tasks;
};

// ---- what comes back -----------------------------------------------------------------------

struct Confirmation {
  std::string sender_id;
  std::string change_state_id;
  std::string uuid;
  std::string id;  // empty in a check of a create (no number is drawn)
};

struct BundleResult {
  std::vector<Confirmation> confirmations;  // committed (or, in a check, passing) tasks only
  std::vector<LogItem> log;
  // 3 all tasks succeeded, 4 some did, 5 none did. (The maximum severity is
  // soap::a2x::MaxSeverity(log).)
  std::string processing_result_code;
};

// New tasks get time-ordered UUIDs (RFC 9562 version 7), so that tasks created one after another
// sit next to each other in the unique index on uuid (a random version-4 UUID dirtied a page of
// that index per created task); change states are ABAP long timestamps (spec A.3.4).
using soap::a2x::NewUuid;
using soap::a2x::NextChangeState;

}  // namespace causeway::activities
