// The conventions every A2X service interface shares (spec A.3), as plain values with no XML:
// action codes, list-complete transmission, Log items with their severity, the sender
// technical ID a log item points back with, change-state IDs and UUIDs. Domain code that
// implements an A2X interface uses these (they carry no protocol types); soap/a2x_xml.h reads
// and writes them on the wire. Library cw_soap_a2x (no libxml2). Everything here is thread-safe.
#pragma once

#include <cstdint>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/clock.h"

namespace causeway::soap::a2x {

// Action codes (spec A.3.1); 04 (save) when a node carries none.
enum class Action { kCreate = 1, kUpdate = 2, kDelete = 3, kSave = 4, kRemove = 5, kNoAction = 6 };
std::optional<Action> ActionFromCode(std::string_view code);  // "01".."06", else nullopt
std::string ActionCode(Action a);                             // "01".."06"

enum class Severity { kInfo = 1, kWarning = 2, kError = 3 };

// One Log/Item (spec A.2.5).
struct LogItem {
  std::string type_id;  // "<number>(<message class>)"
  Severity severity = Severity::kError;
  std::string sender_id;  // ReferenceObjectNodeSenderTechnicalID; "" when every parent's was initial
  std::string note;       // at most 200 characters (LogItemNote)
  bool operator==(const LogItem&) const = default;
};

// `text` as a LogItemNote: at most 200 characters, cut after the 200th whole UTF-8 sequence
// (a cut inside a sequence made the response, and its stored idempotent copy, invalid UTF-8).
std::string LogItemNote(std::string text);

// A log item of message `number` of `message_class`: `text` with &1..&4 replaced by `vars`,
// cut to 200 characters (whole UTF-8 sequences).
LogItem MakeLogItem(Severity severity, std::string_view message_class, std::string_view number,
                    std::string_view text, std::string sender_id, const std::vector<std::string>& vars = {});

// The sender technical ID a log item about a node refers to: the node's own, or, when it is
// initial, its nearest parent's (spec: "If the object node sender technical ID is initial, the
// object node sender technical ID of the parent node element … is returned").
std::string ReferenceSenderId(std::string_view own, std::string_view parent);

// The highest severity among `items`, or nullopt for none.
std::optional<Severity> MaxSeverity(const std::vector<LogItem>& items);
bool HasError(const std::vector<LogItem>& items);

// "3" all instances succeeded, "4" some, "5" none (BusinessDocumentProcessingResultCode).
std::string ProcessingResultCode(size_t succeeded, size_t total);

// A fresh UUID for an object created at `now`, lower case: RFC 9562 version 7 (48 bits of Unix
// milliseconds, then 74 random bits), so that the UUIDs of objects created one after another
// sort one after another, and their unique index grows at its end instead of at a random page
// per insert (as SAP's own GUIDs are time-based).
std::string NewUuid(core::SystemTime now);
// A new change state ID for a change at `now`: the ABAP long timestamp YYYYMMDDhhmmss.fffffff
// (UTC), strictly increasing within the process (spec A.3.4).
std::string NextChangeState(core::SystemTime now);
// Whether a ChangeStateID the client sent still matches the stored one (tokens compared
// trimmed: the XSD type is xsd:token). An empty `sent` always matches (no check asked for).
bool ChangeStateMatches(std::string_view sent, std::string_view stored);

}  // namespace causeway::soap::a2x
