// Activity tasks (C4C "Task" activities) and the changes a bundle request asks for, as plain
// protocol-free values. See README.md for the rules.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/clock.h"

namespace causeway::activities {

// A2X action codes (spec A.3.1); 04 (save) when none is given.
enum class Action { kCreate = 1, kUpdate = 2, kDelete = 3, kSave = 4, kRemove = 5, kNoAction = 6 };
std::optional<Action> ActionFromCode(std::string_view code);  // "01".."06"
std::string ActionCode(Action a);                             // "01".."06"

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
};

struct DocumentReference {
  std::string id;
  std::string uuid;
  std::string type_code;
  std::string role_code;
};

struct TaskText {
  std::string type_code;
  std::string content;
  std::string language;
  std::string created_at;  // as sent, or the time it was stored
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
  std::vector<DocumentReference> references;
  std::vector<TaskText> texts;
  std::vector<Attachment> attachments;
  core::SystemTime created_at{};
  std::string created_by;
  core::SystemTime changed_at{};
  std::string changed_by;
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

struct ReferenceChange {
  std::string sender_id;
  Action action = Action::kSave;
  DocumentReference reference;
};

struct TextChange {
  std::string sender_id;
  Action action = Action::kSave;
  TaskText text;
};

struct AttachmentChange {
  Action action = Action::kSave;
  Attachment document;  // uuid empty: a new document
  bool has_file_content = false;
};

// A repeatable child list: `complete` is its ListCompleteTransmissionIndicator.
template <typename T>
struct ListChange {
  bool complete = false;
  std::vector<T> items;
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
  ListChange<PartyInput> reference_parties;
  ListChange<ReferenceChange> references;
  ListChange<TextChange> texts;
  bool attachment_folder_present = false;
  ListChange<AttachmentChange> attachments;
};

struct BundleRequest {
  std::string message_id;
  std::string message_uuid;
  std::vector<TaskChange> tasks;
};

// ---- what comes back -----------------------------------------------------------------------

enum class LogSeverity { kInfo = 1, kWarning = 2, kError = 3 };

struct LogItem {
  std::string type_id;  // "<number>(<message class>)"
  LogSeverity severity = LogSeverity::kError;
  std::string sender_id;  // ReferenceObjectNodeSenderTechnicalID
  std::string note;       // at most 200 characters
};

struct Confirmation {
  std::string sender_id;
  std::string change_state_id;
  std::string uuid;
  std::string id;  // empty in a check of a create (no number is drawn)
};

struct BundleResult {
  std::vector<Confirmation> confirmations;  // committed (or, in a check, passing) tasks only
  std::vector<LogItem> log;
  // 3 all tasks succeeded, 4 some did, 5 none did.
  std::string processing_result_code;
  std::optional<LogSeverity> max_severity;
};

// A fresh UUID for something created at `now`, lower case: RFC 9562 version 7 (soap::a2x::NewUuid),
// so that tasks created one after another sit next to each other in the unique index on uuid
// (a random version-4 UUID dirtied a page of that index per created task).
std::string NewUuid(core::SystemTime now);
// A new change state: SAP long timestamp of `now`, strictly increasing within the process.
std::string NextChangeState(core::SystemTime now);

}  // namespace causeway::activities
