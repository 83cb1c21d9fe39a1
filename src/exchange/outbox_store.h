// Every SQL statement of the outbox, as functions over a store::Tx (the caller picks Read,
// Write or a unit of work). Portable SQL ('?' placeholders, BIGINT/INTEGER/TEXT, UPDATE …
// RETURNING, INSERT … ON CONFLICT, partial indexes) except where a function says otherwise.
//
// The per-key invariant these functions keep (see migrations/0200_outbox.sql): in seq order a
// key holds finished messages, then at most one head (pending, in_flight or failed), then
// pending ones. Enqueue sets `head` when the key has no unfinished message; finishing the
// head (delivered, skipped) passes `head` to the next one in the same transaction. On SQLite
// (one writer) this needs nothing more. On PostgreSQL two transactions of one key (an
// enqueue and a finish) must not interleave: run them SERIALIZABLE (the unit of work retries
// staged writes) or lock the key first.
#pragma once

#include <cstdint>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"
#include "exchange/outbox_message.h"
#include "store/database.h"

namespace causeway::exchange::outbox_store {

using core::Result;
using core::Status;

struct NewMessage {
  MessageId id = 0;
  const Message* message = nullptr;  // validated by the caller
  bool creates = false;
  int64_t now_ms = 0;
  // Not empty: claim the message in the same insert if it is its key's head (the key was idle),
  // under this lease; the caller has reserved a slot of the destination for it. Only for
  // messages without a dependency.
  std::string claim_owner;
  int64_t lease_expires_ms = 0;
};

struct Inserted {
  int64_t seq = 0;
  bool claimed = false;  // inserted in_flight under the lease, its first attempt counted
};

// Inserts a message at the end of its key (folding earlier unsent ones when it coalesces),
// resolving Dependency::created_object to the latest create's id: pending, or in flight when
// it may be claimed at once (see NewMessage::claim_owner).
Result<Inserted> Insert(store::Tx& tx, const NewMessage& message);

// A message this node holds a lease on, with what building its request needs.
struct ClaimedMessage {
  MessageId id = 0;
  std::string destination, kind, ordering_key, object_key, payload, idempotency_key;
  int64_t seq = 0;
  bool creates = false;
  int attempts = 0;  // attempts started, this one included
  int budget_base = 0;
  int64_t first_attempt_ms = 0;
  int64_t last_delay_ms = 0;
  bool maybe_received = false;
  std::optional<DependencyResult> dependency;
};

struct ClaimRequest {
  std::string destination;
  std::string owner;          // lease owner (the node)
  int64_t now_ms = 0;
  int64_t lease_expires_ms = 0;
  int limit = 1;              // most messages claimed
  // Not 0: the key's next message after its head was delivered (Record's advance). It becomes
  // the head and is claimed if it is ready; the caller makes it head otherwise.
  MessageId next_of_key = 0;
};

// THE claim: marks up to `limit` ready heads of `destination` in_flight under a lease (owner,
// expiry), counts the attempt and returns them with their dependency results. Ready: head,
// pending, not_before reached, and its dependency (if any) delivered, skipped or gone. Oldest
// due first. Candidates are selected, then each is updated by id with the conditions checked
// again (SQLite: one writer, so nothing can come between). For PostgreSQL with several nodes
// the candidate SELECT takes FOR UPDATE SKIP LOCKED; this is the only function to change.
// (UPDATE … WHERE id IN (SELECT …) RETURNING says the same in one statement, but SQLite builds
// two ephemeral tables for it on every execution: a third of the delivery's CPU time.)
Result<std::vector<ClaimedMessage>> Claim(store::Tx& tx, const ClaimRequest& request);

struct ReadyProbe {
  bool ready = false;                  // Claim() would find something now
  std::optional<int64_t> next_due_ms;  // the earliest not_before of a head after now
};
// Read-only: whether a claim is worth a write, and when to look again.
Result<ReadyProbe> ProbeReady(store::Tx& tx, std::string_view destination, int64_t now_ms);

struct AttemptRow {
  int attempt = 0;
  int64_t started_ms = 0;
  int64_t latency_us = 0;
  int status = 0;
  std::string outcome;  // success, retryable, permanent, not_sent
  std::string error;
  std::string answer_head;
};

// The end of one attempt, written in one transaction.
struct RecordRequest {
  MessageId id = 0;
  std::string owner;          // the lease must still be this node's
  MessageState state = MessageState::kDelivered;  // kDelivered, kPending (retry) or kFailed
  int64_t now_ms = 0;
  int64_t not_before_ms = 0;  // kPending: the next attempt's time
  int64_t last_delay_ms = 0;
  bool maybe_received = false;
  std::string last_error;
  std::optional<std::string> result;  // kDelivered
  AttemptRow attempt;
  // Of the message, for its object's result and its key's next message.
  std::string destination, ordering_key, object_key;
  int64_t seq = 0;
  bool creates = false;
  // kDelivered: claim the key's next message in the same transaction if it is ready (its slot
  // passes on), under this lease.
  bool may_advance = false;
  int64_t lease_expires_ms = 0;
};

struct RecordOutcome {
  bool recorded = false;  // false: the lease was no longer this node's; nothing was written
  bool key_moved = false;  // the key's head moved on (dependents elsewhere may be ready)
  std::optional<ClaimedMessage> next;  // claimed by the advance
};
Result<RecordOutcome> Record(store::Tx& tx, const RecordRequest& request);

// Messages in flight whose lease is `own_owner`'s (a node restarting: its earlier self is dead)
// or expired (another node died) go back to pending, due now, with an "interrupted" attempt
// row. Pass own_owner empty to reclaim only expired leases of other owners than `self`.
Result<int> Reclaim(store::Tx& tx, std::string_view own_owner, std::string_view self, int64_t now_ms);

// Read-only: whether Reclaim(tx, "", self, now_ms) would find anything (a scan: no index
// serves it, so that claims and records do not pay for one).
Result<bool> HasExpiredLeases(store::Tx& tx, std::string_view self, int64_t now_ms);

// Deletes up to `limit` delivered or skipped messages finished before `cutoff_ms` (with their
// attempts), except those an unfinished message still depends on. Returns how many.
Result<int> Prune(store::Tx& tx, int64_t cutoff_ms, int limit);

// failed → pending, due now, with a fresh retry budget. kNotFound (020) / kConflict (021).
Status Retry(store::Tx& tx, MessageId id, int64_t now_ms);
// failed → skipped; the key's next message becomes its head. kNotFound (020) / kConflict (021).
Status Skip(store::Tx& tx, MessageId id, int64_t now_ms);

Status SetPaused(store::Tx& tx, std::string_view destination, bool paused, int64_t now_ms);
Result<std::set<std::string>> LoadPaused(store::Tx& tx);

// Takes `count` ids no node has taken (0202_outbox_id_blocks.sql) and returns the first; the
// block is [first, first + count). Ids are unique across nodes, never reused after pruning, and
// ascend within a node's block (not across nodes).
Result<MessageId> ReserveIds(store::Tx& tx, int64_t count);

Result<MessagePage> List(store::Tx& tx, const MessageFilter& filter);
Result<MessageDetail> Get(store::Tx& tx, MessageId id);  // kNotFound (020)

// Unfinished messages per destination and state, with the oldest one's creation time. A scan
// (about 10 ms per 100,000 messages): for metrics scrapes and operators, on a read snapshot.
struct DepthRow {
  std::string destination;
  MessageState state = MessageState::kPending;
  int64_t count = 0;
  int64_t oldest_created_ms = 0;
};
Result<std::vector<DepthRow>> Depths(store::Tx& tx);

// Forgets an object's stored create result (the consumer deleted the object).
Status ForgetObject(store::Tx& tx, std::string_view destination, std::string_view object_key);
// The stored result of the object's latest delivered create; nullopt if there is none.
Result<std::optional<std::string>> ObjectResult(store::Tx& tx, std::string_view destination,
                                                std::string_view object_key);

core::Error NotFound(MessageId id);

}  // namespace causeway::exchange::outbox_store
