// The web-service error log (SAP: "more details in the web service error log on provider side"):
// every SOAP fault the engine sends is recorded here under the transaction ID its text names,
// with what actually went wrong. The control plane shows entries by transaction ID.
// Thread-safe (the Database is); Record() is a durable write, so call it off the I/O threads.
//
// Bounded, as SAP's log is by its clean-up job: about once a minute a write also deletes the
// entries older than the retention and the oldest beyond max_entries, so a client that sends
// nothing but faulty requests cannot fill the disk (it can add at most a minute's faults on top).
#pragma once

#include <atomic>
#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/clock.h"
#include "core/completion.h"
#include "core/result.h"
#include "store/database.h"
#include "store/migration.h"

namespace causeway::soap {

// The embedded migrations of migrations/*.sql (range 300-399).
const std::vector<store::Migration>& SoapMigrations();

struct ErrorLogEntry {
  std::string transaction_id;  // 32 upper-case hex digits
  core::SystemTime logged_at;
  std::string service;         // interface name
  std::string operation;       // "" when the request never got as far as an operation
  std::string user;
  std::string soap_version;    // "1.1" / "1.2"
  std::string category;        // parse, envelope, dispatch, schema, idempotency, authorization, application
  std::string error_code;      // "<class>/<number>" of the underlying core::Error
  std::string detail;          // the underlying error's text (never sent to the client)
};

struct ErrorLogOptions {
  std::chrono::seconds retention{std::chrono::hours(24 * 7)};
  int64_t max_entries = 100'000;
};

class ErrorLog {
 public:
  // `service`: the interface whose entries this log purges (by `options`); every service's
  // entries share the table, and each engine keeps its own within its own bounds.
  explicit ErrorLog(store::Database& db, ErrorLogOptions options = {}, std::string service = {});

  core::Status Record(const ErrorLogEntry& entry);
  // Writes the entry in the caller's write transaction (durable with it), and purges when due.
  core::Status Insert(store::Tx& tx, const ErrorLogEntry& entry);
  // The same without waiting (for an I/O thread): the completion completes once the entry is
  // durable or failed; a failure is also logged.
  std::shared_ptr<core::Completion> RecordAsync(ErrorLogEntry entry);
  core::Result<std::optional<ErrorLogEntry>> Find(std::string_view transaction_id) const;
  // Newest first.
  core::Result<std::vector<ErrorLogEntry>> Recent(size_t limit) const;
  // Deletes entries logged before `before`; returns how many.
  core::Result<int64_t> Purge(core::SystemTime before);

 private:
  // What a write needs to purge, shared with writes still queued in the store when the log is
  // gone (RecordAsync's are not awaited).
  struct Purging {
    ErrorLogOptions options;
    std::string service;
    std::atomic<int64_t> next_ms{0};  // Unix ms; the first write purges
  };
  static core::Status InsertAndPurge(store::Tx& tx, const ErrorLogEntry& entry, Purging& purging);

  store::Database& db_;
  std::shared_ptr<Purging> purging_;
};

}  // namespace causeway::soap
