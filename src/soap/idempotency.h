// SAP's idempotency for synchronous operations (spec A.3.5, seed): the same message UUID
// (BasicMessageHeader/UUID), or without one the same message ID, within the retention window
// gets the stored response and is not processed again.
//
// Rules (choices where SAP documents nothing are marked [choice], see README.md):
// - The key is (service, lower-case UUID), or (service, "id:" + lower-case ID) for a message
//   without UUID (the seed: "unique values for the elements ID or UUID"). Without either
//   nothing is stored.
// - Stored responses live `response_retention`, the registered UUID `id_retention` (longer).
//   A repeat after the response was dropped but while the UUID is still registered is an error
//   (as SAP's WSIDPADMIN documents).
// - [choice] A repeat whose payload differs (another operation, or another digest of the payload
//   tree: namespaces by URI, attributes, text without blank-only nodes) is an error, not a replay.
// - [choice] A repeat that arrives while the first is still running waits for it and then gets
//   its stored response. If the first ended without a storable response (a fault), the repeat is
//   processed itself.
// - Only replies are stored (business errors in a Log included); faults are not, so a client may
//   retry after one.
// - Rows survive a restart (they are in the store); expired rows are purged lazily, at most once
//   a minute, by the next call that writes.
// Thread-safe.
#pragma once

#include <chrono>
#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>

#include "core/clock.h"
#include "core/result.h"
#include "store/database.h"

namespace causeway::soap {

// An idempotency key made of a BasicMessageHeader/ID (Engine::IdempotencyKey) starts so.
inline constexpr std::string_view kIdKeyPrefix = "id:";
// "UUID <uuid>" or "ID <id>", for messages.
inline std::string DescribeKey(std::string_view key) {
  return key.starts_with(kIdKeyPrefix) ? "ID " + std::string(key.substr(kIdKeyPrefix.size()))
                                       : "UUID " + std::string(key);
}

struct IdempotencyOptions {
  std::chrono::seconds response_retention{std::chrono::hours(24)};
  std::chrono::seconds id_retention{std::chrono::hours(24 * 7)};
};

class IdempotencyStore {
 public:
  IdempotencyStore(store::Database& db, const core::Clock& clock, IdempotencyOptions options);

  struct Answer {
    std::string payload;
    bool replayed = false;
  };
  // Returns the stored payload for a known (service, uuid), or runs `process` and stores what it
  // returns. Errors: process's own error (nothing stored); kConflict CAUSEWAY/SOAP/030 (UUID
  // used for a different request), 031 (response no longer kept); store errors.
  core::Result<Answer> Run(std::string_view service, std::string_view uuid, std::string_view operation,
                           std::string_view request_digest,
                           const std::function<core::Result<std::string>()>& process);

  // The same rules inside the caller's write transaction, for operations whose work runs in
  // that transaction too (Operation::staged): the response is stored with the work it answers,
  // in one commit. Claim() registers (service, uuid) for this request unless a live entry
  // exists; the store serializes repeats, so no thread waits here: a repeat's transaction runs
  // after the first's (SQLite's single writer) or waits for it in the database (PostgreSQL: the
  // INSERT's conflict on the key) and then finds its entry.
  struct Claim {
    std::optional<std::string> replay;   // the stored response: answer it, run nothing
    std::optional<core::Error> refusal;  // 030 or 031 as Run() returns them: run nothing
    // Neither: the key is this request's; run the operation, then StoreResponse() in the same
    // transaction (without it the entry keeps no response: a repeat gets 031).
  };
  core::Result<Claim> ClaimIn(store::Tx& tx, std::string_view service, std::string_view uuid,
                              std::string_view operation, std::string_view request_digest);
  // Stores the response to a key this transaction claimed.
  core::Status StoreResponse(store::Tx& tx, std::string_view service, std::string_view uuid,
                            const std::string& response);

  const IdempotencyOptions& options() const { return options_; }

 private:
  struct Stored {
    std::string operation;
    std::string digest;
    std::optional<std::string> response;
    int64_t response_expires = 0;
    int64_t id_expires = 0;
  };
  core::Result<std::optional<Stored>> Load(const std::string& service, const std::string& uuid) const;
  core::Status Save(const std::string& service, const std::string& uuid, std::string_view operation,
                    std::string_view digest, const std::string& response);
  // Expired rows go, at most once a minute (the caller that claims the turn runs it in `tx`).
  core::Status MaybePurge(store::Tx& tx, int64_t now_ms, bool purge);
  bool PurgeDue(int64_t now_ms);
  // A live entry's answer to a repeat: the stored response, or 030/031.
  static Claim Repeat(const std::string& uuid, std::string_view operation, std::string_view request_digest,
                      Stored stored, int64_t now_ms);

  struct Flight {
    std::mutex mu;
    std::condition_variable cv;
    bool done = false;  // GUARDED_BY(mu)
  };

  store::Database& db_;
  const core::Clock& clock_;
  IdempotencyOptions options_;
  std::mutex flights_mu_;
  std::unordered_map<std::string, std::shared_ptr<Flight>> flights_;  // GUARDED_BY(flights_mu_)
  std::atomic<int64_t> next_purge_ms_{0};
};

}  // namespace causeway::soap
