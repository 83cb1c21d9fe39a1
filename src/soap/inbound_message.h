// Asynchronous inbound messages as plain values: what the engine stores when a one-way
// operation arrives, what a stored message looks like, and what processing it produced. See
// message_store.h for the rules and migrations/0310_soap_messages.sql for the table.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/clock.h"
#include "soap/a2x.h"

namespace causeway::soap {

// received: stored, not processed yet (in line, or being processed); processed: done;
// error: processing ended with an error (blocks its queue until an operator acts); waiting: in
// line behind a message in error; cancelled: an operator ended it.
enum class MessageStatus { kReceived, kProcessed, kError, kWaiting, kCancelled };
const char* MessageStatusName(MessageStatus s);  // "received", "processed", …
std::optional<MessageStatus> MessageStatusFromName(std::string_view name);

// What reception stores.
struct InboundMessage {
  std::string service;       // interface name
  std::string operation;
  std::string message_id;    // BasicMessageHeader/ID, collapsed; may be empty
  std::string message_uuid;  // BasicMessageHeader/UUID, collapsed; may be empty
  std::string queue_key;     // the business object it changes; "" = a queue of its own
  std::string user, client, language, soap_version;
  core::SystemTime received_at{};
  std::string payload;       // the validated body element (standalone markup)
};

// The key a resend is recognised by: "uuid:<lower-case UUID>", else "id:<ID>", else "" (a
// message without either is never a resend).
std::string MessageKey(std::string_view message_id, std::string_view message_uuid);

struct StoredMessage {
  int64_t id = 0;
  std::string service, operation, message_id, message_uuid, queue_key;
  int64_t seq = 0;
  bool head = false;
  MessageStatus status = MessageStatus::kReceived;
  std::string user, client, language, soap_version;
  core::SystemTime received_at{};
  std::optional<core::SystemTime> finished_at;
  int attempts = 0;
  std::string lease_owner;  // "" when none
  std::optional<core::SystemTime> lease_expires;
  std::string payload;  // filled only where a function says so

  // Claimed by a node whose lease has not expired at `now`.
  bool InProcess(core::SystemTime now) const {
    return status == MessageStatus::kReceived && !lease_owner.empty() && lease_expires && *lease_expires > now;
  }
};

// A log item as stored with its message.
struct StoredLogItem {
  int attempt = 0;
  int position = 0;
  core::SystemTime logged_at{};
  a2x::LogItem item;
};

// What processing one message produced. Filled by the writes the service staged (at commit
// time; a back end may run them again, so they start from scratch), read by the write that
// records the message's status after them.
struct ProcessingOutcome {
  std::vector<a2x::LogItem> log;
  bool failed() const { return a2x::HasError(log); }
};

}  // namespace causeway::soap
