// The store of asynchronous inbound messages (spec A.4.2: "Synchronous: no"): the engine
// stores a one-way message before it answers; processors claim messages in order per queue
// (the business object a message changes), process each in its own unit of work together
// with its status and log, and an operator restarts, cancels or releases what failed.
//
// Guarantees
//  - Exactly once: a message is stored once per message key (BasicMessageHeader UUID, else ID);
//    a resend of a stored key stores nothing. Its processing commits in the same transaction as
//    its status, under a lease the status write checks: a message is processed at most once,
//    and a message whose node died while processing it is processed again once its lease
//    expired (nothing of the interrupted run was committed).
//  - In order: one message per queue is claimable at a time (the queue's head), in reception
//    (commit) order. A message that ends in error stays head and blocks its queue: the messages
//    behind it wait (status waiting) until an operator restarts, cancels or releases it.
//  - Several nodes on PostgreSQL: claims are store::Claim leases (SKIP LOCKED); every change
//    of a queue first updates its row in soap_message_queues, which serialises reception,
//    finishing and operator actions of one queue.
//
// Operator actions (each one durable write; errors kNotFound CAUSEWAY/SOAP/040, kConflict 041
// when the status does not allow the action):
//  - Restart (error): processed again. In line: it stays head, the queue is unblocked and its
//    waiting messages are back in line behind it. Released earlier: it joins the end of its
//    queue.
//  - Cancel (error, waiting, or received and not being processed): ends it. Cancelling the head
//    passes the queue to the next message (a cancelled error head unblocks the queue).
//  - Release (the error head of a blocked queue, or a message waiting in it): the error
//    message leaves the line (it stays in error and may be restarted later, at the end of the
//    queue) and the waiting messages are processed without it.
//
// Thread-safe. Every function that touches the store blocks (a read or a durable write) except
// StageReceive/StageFinish, which only stage into a unit of work.
#pragma once

#include <atomic>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

#include "core/clock.h"
#include "core/result.h"
#include "soap/inbound_message.h"
#include "store/claim.h"
#include "store/database.h"
#include "store/unit_of_work.h"

namespace causeway::soap {

// What StageReceive found once its write ran.
struct ReceiveResult {
  bool duplicate = false;  // the message key was stored before: nothing was stored
  int64_t id = 0;          // the new message (0 for a duplicate)
  MessageStatus status = MessageStatus::kReceived;
};

// What a claim of received heads takes (store/claim.h), in the order of the soap_messages_ready
// index, which is the only index that can give it (migration 0312).
const store::ClaimSpec& MessageClaimSpec();

class MessageStore {
 public:
  MessageStore(store::Database& db, const core::Clock& clock) : db_(db), clock_(clock) {}
  MessageStore(const MessageStore&) = delete;
  MessageStore& operator=(const MessageStore&) = delete;

  store::Database& database() const { return db_; }

  // ---- reception -------------------------------------------------------------------------
  // Stages storing `message` into `unit`: at the end of its queue, head if the queue has no
  // open message, waiting if its queue is blocked. `result` (may be null) is filled when the
  // write runs; it must live until the unit completed. Counted (received/duplicate) on commit.
  void StageReceive(store::UnitOfWork& unit, InboundMessage message, std::shared_ptr<ReceiveResult> result);

  // ---- processing ------------------------------------------------------------------------
  // Claims up to `limit` received heads of `service`, oldest first, under a lease of `owner`
  // until `lease_until` (a durable write). The messages come with their payloads (read after
  // the claim committed; if that read fails, the claimed messages wait for their leases to
  // expire).
  core::Result<std::vector<StoredMessage>> Claim(std::string_view service, std::string_view owner, int limit,
                                                 core::SystemTime lease_until);
  // The same without waiting and without the payloads: `done` gets the claimed messages, oldest
  // first (or the write's error) once the claim is durable, on a store thread: it must not
  // block. ReadPayloads() fills the payloads later.
  using ClaimDone = std::function<void(core::Result<std::vector<StoredMessage>>)>;
  void ClaimAsync(std::string_view service, std::string_view owner, int limit, core::SystemTime lease_until,
                  ClaimDone done);
  // Reads the payloads of claimed `messages` (a read; they never change while claimed).
  core::Status ReadPayloads(std::vector<StoredMessage>& messages) const;
  // Drops the leases `owner` holds (its earlier self died): they are claimable at once.
  core::Result<int64_t> ReleaseLeases(std::string_view owner);
  // Stages recording how processing `message` (claimed by `owner`) ended: processed, or error
  // if `outcome` has an error item (blocking its queue). Its log items are stored as attempt
  // attempts+1. The write fails (kConflict CAUSEWAY/SOAP/042, and with it the whole unit) if
  // the lease is no longer `owner`'s or the message is no longer received. `outcome` is read
  // when the write runs and must live until the unit completed.
  void StageFinish(store::UnitOfWork& unit, const StoredMessage& message, std::string owner,
                   const ProcessingOutcome* outcome);
  // After a unit that failed (a technical error): the message ends in error with `error` as its
  // log item, in a write of its own. Not done (Ok) if the lease is no longer `owner`'s.
  core::Status RecordFailure(const StoredMessage& message, std::string_view owner, const core::Error& error);
  // Deletes processed and cancelled messages finished before `before` (with log and payload), at most
  // `limit`; returns how many.
  core::Result<int64_t> Purge(core::SystemTime before, int limit);

  // ---- the operator ----------------------------------------------------------------------
  core::Result<StoredMessage> Restart(int64_t id, std::string_view user);
  core::Result<StoredMessage> Cancel(int64_t id, std::string_view user);
  core::Result<StoredMessage> Release(int64_t id, std::string_view user);

  // ---- reading ---------------------------------------------------------------------------
  core::Result<std::optional<StoredMessage>> Find(int64_t id, bool with_payload) const;
  core::Result<std::vector<StoredLogItem>> Log(int64_t id) const;

  // Messages counted by this process since it started, per (service, event): received,
  // duplicate, processed, error, restarted, cancelled, released.
  std::map<std::pair<std::string, std::string>, int64_t> Counters() const;
  void Count(const std::string& service, const char* event, int64_t n = 1);

 private:
  store::ClaimRequest ClaimRequestFor(std::string_view service, std::string_view owner, int limit,
                                      core::SystemTime lease_until) const;

  store::Database& db_;
  const core::Clock& clock_;
  mutable std::mutex counters_mu_;
  std::map<std::pair<std::string, std::string>, int64_t> counters_;  // GUARDED_BY(counters_mu_)
};

}  // namespace causeway::soap
