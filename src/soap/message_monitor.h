// The web-service message monitor (the operator's view, spec A.3.6 "Web Service Message
// Monitoring"): every stored asynchronous message and, read-only, every synchronous call that
// ended in a SOAP fault (the error log), in one list, newest first, with filters and keyset
// paging; one entry with its log; counts per service and status for metrics. The actions on
// asynchronous messages are MessageStore's (Restart, Cancel, Release).
//
// Order: time (received, or logged for faults) descending; within one millisecond asynchronous
// messages before faults, then by ID descending. A page's next_cursor resumes after its last
// entry (opaque to clients; "" when there is nothing more).
//
// Thread-safe; every call is a store read (blocking).
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/clock.h"
#include "core/result.h"
#include "soap/message_store.h"

namespace causeway::soap {

struct MonitorEntry {
  bool synchronous = false;  // a synchronous call that ended in a fault (read-only)
  std::string id;            // asynchronous: the message number; synchronous: the transaction ID
  core::SystemTime time{};   // received, or logged
  std::string service, operation, user, soap_version;
  std::string status;  // asynchronous: MessageStatusName(); synchronous: "error"
  // Asynchronous only.
  std::string message_id, message_uuid, object_key;
  int64_t seq = 0;
  int attempts = 0;
  bool in_process = false;
  std::optional<core::SystemTime> finished_at;
  std::string waiting_for;  // status waiting: the message in error its queue waits for (Find only)
  // Synchronous only (the error log entry).
  std::string category, error_code, detail;
};

struct MonitorFilter {
  std::string kind;  // "" both, "async", "sync"
  std::string service, operation, status, user;
  std::string object_key;  // asynchronous messages of this business object
  std::string message_id;  // BasicMessageHeader ID or UUID (UUIDs in any case)
  std::optional<core::SystemTime> from, to;  // from <= time < to
  std::string cursor;
  int limit = 50;  // 1-1000
};

struct MonitorPage {
  std::vector<MonitorEntry> entries;
  std::string next_cursor;
};

struct StatusCount {
  std::string service;
  bool synchronous = false;
  std::string status;
  int64_t count = 0;
};

class MessageMonitor {
 public:
  MessageMonitor(const MessageStore& messages, const core::Clock& clock) : messages_(messages), clock_(clock) {}

  // Errors: kBadRequest CAUSEWAY/SOAP/048 for an unknown kind or status, a limit out of range
  // or a cursor this monitor did not write; the store's.
  core::Result<MonitorPage> List(const MonitorFilter& filter) const;
  // By message number (digits) or transaction ID (32 hex digits); nullopt if there is none.
  core::Result<std::optional<MonitorEntry>> Find(std::string_view id) const;
  core::Result<std::vector<StatusCount>> Counts() const;

  // Prometheus text: causeway_soap_messages (gauge: stored messages by service, kind and
  // status) and causeway_soap_messages_total (counter: what this process received, processed,
  // … per service).
  std::string MetricsText() const;

 private:
  const MessageStore& messages_;
  const core::Clock& clock_;
};

}  // namespace causeway::soap
