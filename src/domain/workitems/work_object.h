// Work packages (S1IT) and work items (S1CG, S1MJ) of Focused Build, with every attribute the
// External Tool Integration payload carries (guide appendix 5.1), as plain values. Dates and
// appointment stamps are kept as the text the guide shows ("YYYYMMDD", "YYYYMMDDhhmmss");
// "00000000" stands for "no date", as in SAP.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/clock.h"
#include "core/result.h"

namespace causeway::workitems {

inline constexpr std::string_view kWorkPackage = "S1IT";
inline constexpr std::string_view kWorkItemGeneral = "S1CG";  // work item, general change
inline constexpr std::string_view kWorkItemNormal = "S1MJ";   // work item, normal change
inline constexpr std::string_view kNoDate = "00000000";
inline constexpr std::string_view kNoWave = "000000000000000000000000000000";  // PPM wave: 30 zeros

bool IsWorkPackageType(std::string_view process_type);
bool IsWorkItemType(std::string_view process_type);
bool IsKnownProcessType(std::string_view process_type);

struct PartnerAssignment {
  std::string function;    // partner function, e.g. "/SALM/09"
  std::string partner_no;  // business partner number
  bool main = false;       // the main one of its function (PARTNER_MAIN "X")
  friend bool operator==(const PartnerAssignment&, const PartnerAssignment&) = default;
};

struct TextEntry {
  std::string text_id;  // e.g. "S115"
  std::string author;   // business partner number of the author (CHANGED_BY in the payload)
  core::SystemTime changed_at;
  std::string text;
  friend bool operator==(const TextEntry&, const TextEntry&) = default;
};

struct Appointment {
  std::string date_type;  // e.g. "S1_BUILD_FIN"
  std::string stamp;      // YYYYMMDDhhmmss
  std::string time_zone = "UTC";
  bool is_duration = false;
  int64_t duration = 0;
  std::string time_unit;
  friend bool operator==(const Appointment&, const Appointment&) = default;
};

struct Category {
  std::string guid;  // 32 hex
  std::string description;
  int level = 0;
  friend bool operator==(const Category&, const Category&) = default;
};

struct ProcessNode {
  std::string project_id, node_id, step_text, process_text, scenario_text;
  friend bool operator==(const ProcessNode&, const ProcessNode&) = default;
};

struct WricefAttribute {
  std::string key, value;
  friend bool operator==(const WricefAttribute&, const WricefAttribute&) = default;
};

struct Release {
  std::string number, release_class, type;
  std::string go_live_date = std::string(kNoDate);
  friend bool operator==(const Release&, const Release&) = default;
};

enum class DocumentKind { kDocument, kAttachment };
std::string_view DocumentKindName(DocumentKind kind);  // "document", "attachment"
std::optional<DocumentKind> ParseDocumentKind(std::string_view name);

// A document (SolMan documentation, DOCUMENT[] in the payload) or an attachment (ATTACHMENT[]).
// The content is stored apart (WorkItems::ReadDocument); a link attachment has none.
struct Document {
  std::string id;  // 32 upper-case hex: the document's LOIO, the attachment's docId
  DocumentKind kind = DocumentKind::kDocument;
  std::string file_name, title, status, status_text, type, type_text, author, author_name;  // documents
  std::string technical_name, extension;  // attachments ("Attachment.docx", "DOCX")
  std::string link_url;  // a link attachment (EXTENSION "URL"): sent as is, nothing to download
  std::string content_type;
  int64_t size = 0;
  core::SystemTime created_at;
};

struct WorkObject {
  std::string guid;          // TICKET_GUID: 32 upper-case hex
  std::string ticket_id;     // TICKET_ID: 10 digits
  std::string process_type;  // S1IT, S1CG, S1MJ
  std::string parent_guid;   // a work item's package; "" for a package
  std::string description;
  std::string status;        // user status code, e.g. "E0022"
  std::string project;       // SOLDOC_PROJECT (cPro project)
  int priority = 0, impact = 0, urgency = 0;  // 0: not set
  int64_t effort_hundredths = 0;  // EFFORT with two decimals (24480.00 → 2448000)
  std::string effort_unit;
  std::string ppm_project_id, ppm_project_text;
  std::string ppm_wave = std::string(kNoWave);
  std::string ppm_wave_text;
  std::string ppm_start_date = std::string(kNoDate), ppm_finish_date = std::string(kNoDate);
  int ppm_completion = 0;  // percent
  int64_t ppm_total_work = 0;
  std::string ppm_total_work_unit;
  Release requested, forecast, actual;
  std::string classification;  // e.g. "1" (WRICEF)
  std::vector<WricefAttribute> wricef;
  std::vector<PartnerAssignment> partners;
  std::vector<TextEntry> texts;
  std::vector<Appointment> appointments;
  std::vector<Category> categories;
  std::vector<ProcessNode> process_structure;
  std::vector<Document> documents;  // metadata only; oldest first
  core::SystemTime created_at, changed_at;
  std::string created_by, changed_by;

  // Integration state.
  bool handed_over = false;          // S1_CALL_EXT ran (for a work item: for it or its package)
  std::string push_destination;      // the destination its create went to; "" before
  int64_t create_message = 0;        // outbox id of its latest create; 0: never pushed
  std::string last_external_status;  // ExtStatus of the last accepted StatusSet call
  int64_t version = 0;               // grows with every stored change

  bool is_package() const { return IsWorkPackageType(process_type); }
};

// A change of an object's header and lists: absent fields stay as they are; a list that is
// present replaces the whole list (texts are appended instead: see WorkItems::AddText).
struct ObjectPatch {
  std::optional<std::string> description, project, effort_unit;
  std::optional<int> priority, impact, urgency;
  std::optional<int64_t> effort_hundredths;
  std::optional<std::string> ppm_project_id, ppm_project_text, ppm_wave, ppm_wave_text, ppm_start_date,
      ppm_finish_date, ppm_total_work_unit;
  std::optional<int> ppm_completion;
  std::optional<int64_t> ppm_total_work;
  std::optional<Release> requested, forecast, actual;
  std::optional<std::string> classification;
  std::optional<std::vector<WricefAttribute>> wricef;
  std::optional<std::vector<PartnerAssignment>> partners;
  std::optional<std::vector<Appointment>> appointments;
  std::optional<std::vector<Category>> categories;
  std::optional<std::vector<ProcessNode>> process_structure;
  bool empty() const;
};

// Applies `patch` to `object` (no checks: see ValidateObject).
void ApplyPatch(const ObjectPatch& patch, WorkObject& object);

// Field formats, independent of the customizing. Errors name the field (target):
// kBadRequest CAUSEWAY/FB/010.
core::Status ValidateObject(const WorkObject& object);

bool IsUpperHexGuid(std::string_view s);       // 32 characters 0-9A-F
bool IsDate8(std::string_view s);              // YYYYMMDD, or 00000000
bool IsStamp14(std::string_view s);            // YYYYMMDDhhmmss
bool IsTicketId(std::string_view s);           // 10 digits
std::string NewGuid();                         // 32 random upper-case hex

// One line of an object's status history.
struct StatusChange {
  int64_t seq = 0;
  core::SystemTime at;
  std::string from, to;
  std::string changed_by;       // the user (control plane) or the inbound caller
  std::string origin;           // "create", "control", "inbound"
  std::string external_status;  // ExtStatus for inbound changes
};

}  // namespace causeway::workitems
