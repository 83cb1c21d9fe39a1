// The durable outbox: messages to other systems are written in the same store transaction as
// the change that causes them, then delivered over HTTP at least once, in order per ordering
// key, concurrently across keys (up to each destination's max_concurrent), with retries,
// back-off, dependencies between messages and coalescing of unsent updates.
//
// Guarantees
//  - Enqueue stages an INSERT into the caller's unit of work: nothing is sent for a change
//    that does not commit; everything committed is sent, whatever happens to the process.
//  - One message per key is in flight at a time (the key's head); the next one goes out only
//    after the head was delivered (recorded durably first) or skipped by an operator. A failed
//    head blocks its key until an operator retries or skips it.
//  - A message whose answer was lost (timeout, reset, crash) is re-sent with the same
//    idempotency key; messages behind it wait. After kill -9, messages in flight are sent again
//    (their interrupted attempt counted); a message recorded as delivered never is.
//  - Claims are leases (owner = node_id, expiry): several nodes on one PostgreSQL database can
//    share the work (see outbox_store.h); on SQLite one node delivers.
//
// Threading: every public method is thread-safe. Enqueue only stages (no I/O; a short lock)
// and may run on any thread; the other calls that touch the store (List, Get, Retry, Skip, Pause, Resume,
// Depths) block on a read or a durable write: call them from a worker thread, not an I/O
// thread. Delivery runs on one scheduler thread of the outbox; requests go through the
// HttpClient, whose callbacks only post to that thread. Time (back-off, leases, retention)
// comes from the Clock: a ManualClock drives retries in tests.
//
// Lifetime: the Database, Clock and HttpClient passed to Open must outlive the Outbox. Stop()
// (or the destructor) stops claiming, waits up to stop_timeout for requests in flight to be
// answered and recorded, then ends the scheduler; callbacks arriving later are ignored, and
// messages still in flight are sent again after the next Open.
#pragma once

#include "store/migration.h"

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "core/clock.h"
#include "core/result.h"
#include "exchange/destination.h"
#include "exchange/http_client.h"
#include "exchange/message_kind.h"
#include "exchange/outbox_message.h"
#include "exchange/outbox_metrics.h"
#include "store/database.h"
#include "store/unit_of_work.h"

namespace causeway::exchange {

namespace internal {
class DeliveryLoop;
}

// The outbox's embedded migrations (200–299); Open applies them, `causeway store migrate` too.
const std::vector<store::Migration>& OutboxMigrations();

struct OutboxOptions {
  std::vector<Destination> destinations;  // each validated at Open
  KindRegistry kinds;                     // every kind messages may name
  // This node's lease owner name. A node's own leases are reclaimed at Open (its earlier self
  // died); other owners' only once expired. One name per node sharing a database.
  std::string node_id = "local";
  // How long a claim is held: the larger of this and 2 × the destination's total_timeout + 1 min.
  std::chrono::milliseconds lease{std::chrono::minutes(5)};
  std::chrono::milliseconds lease_sweep_interval{std::chrono::seconds(30)};  // other nodes' leases
  // How often the node looks for ready messages it did not enqueue itself (other nodes', or
  // accepted before a restart): each destination is probed once per interval.
  std::chrono::milliseconds claim_poll_interval{std::chrono::seconds(1)};
  // false: Open prepares everything but sends nothing until StartDelivery (the house starts
  // delivery once every module has set its destinations).
  bool deliver_at_open = true;
  int64_t id_block = 512;  // message ids taken from the store at a time (>= 1)
  std::chrono::milliseconds retention{std::chrono::hours(24 * 7)};  // delivered and skipped ones
  std::chrono::milliseconds prune_interval{std::chrono::minutes(10)};
  int prune_batch = 1000;  // messages deleted per write (>= 1)
  int claim_batch = 256;   // most messages claimed per write (>= 1)
  size_t answer_head_bytes = 512;  // of each answer kept with the attempt
  std::chrono::milliseconds stop_timeout{std::chrono::seconds(10)};  // real time
  uint64_t seed = 0;  // back-off jitter; 0: random
  // Called once a message's final state (kDelivered or kFailed) is durable, on the scheduler
  // thread: must be quick and must not call back into the outbox. For metrics, benchmarks and
  // tests; consumers read results from the store (Get, Dependency) instead.
  std::function<void(MessageId, MessageState)> on_finished;
};

// A destination as the control plane shows it: no password, only whether one is set.
struct DestinationInfo {
  std::string name, base_url, user;
  bool has_password = false;
  bool paused = false;
  int max_concurrent = 0;
  int busy = 0;  // messages this node holds (claimed, in flight, being recorded)
  std::string ca_file;
  bool insecure = false;
  std::chrono::milliseconds connect_timeout{0}, total_timeout{0};
  BackoffPolicy retry;
  std::vector<std::string> header_names;  // values are not shown (they may hold API keys)
};

// Unfinished messages of one destination.
struct QueueDepth {
  std::string destination;
  int64_t pending = 0, in_flight = 0, failed = 0;
  std::optional<core::SystemTime> oldest_created;  // of the oldest unfinished message
};

class Outbox {
 public:
  // Applies the outbox migrations (200-299), validates destinations and kinds, reclaims what
  // this node had in flight when it died (back to pending, attempt counted) and starts the
  // scheduler. Errors: a destination's (CAUSEWAY/EXCHANGE/001, 003), 013 (bad kind name or
  // null kind), or the store's.
  static core::Result<std::unique_ptr<Outbox>> Open(store::Database& db, const core::Clock& clock,
                                                   HttpClient& http, OutboxOptions options);
  ~Outbox();
  Outbox(const Outbox&) = delete;
  Outbox& operator=(const Outbox&) = delete;

  // Stages the message into `unit` (which must be on this outbox's database) and returns its
  // id; it is sent once the unit commits. Nothing is written if the unit rolls back. When the
  // message has no dependency and a slot of its destination is free, the slot is reserved
  // here and the insert claims the message if its key is idle (the commit hook then hands it to
  // the scheduler: no claim write of its own); the rollback hook frees the slot. 014 (kInternal)
  // for a unit of another database. Checks
  // (kBadRequest, target = the field): 010 unknown destination, 011 unknown kind, 012 a field
  // out of range (ordering_key 1-200 bytes, object_key ≤ 200, payload ≤ 16 MiB,
  // idempotency_key ≤ 200 without line breaks, a negative dependency id); 030 (kUnavailable)
  // once stopped. Waits for the store only when message ids ran out (Ids below); on an I/O
  // thread it answers core::WouldBlock() then (core/blocking.h).
  core::Result<MessageId> Enqueue(store::UnitOfWork& unit, Message message);
  // In the current unit of work if there is one on this database, else in a unit of its own,
  // committed (durably) before it returns.
  core::Result<MessageId> Enqueue(Message message);

  // --- operations (control plane) ---
  core::Result<MessagePage> List(const MessageFilter& filter) const;
  core::Result<MessageDetail> Get(MessageId id) const;  // 020 kNotFound
  // A failed message goes back to pending with a fresh retry budget; 020, 021 kConflict.
  core::Status Retry(MessageId id);
  // A failed message is given up; its key moves on; 020, 021.
  core::Status Skip(MessageId id);
  // Stops (or resumes) claiming new messages for a destination; those in flight finish.
  // Stored, so it holds across restarts. 022 kNotFound for an unknown destination.
  core::Status Pause(std::string_view destination);
  core::Status Resume(std::string_view destination);
  // Adds or replaces a destination (ValidateDestination first): requests built afterwards use
  // it; those in flight finish with the old one.
  core::Status SetDestination(Destination destination);
  // Removes it: its messages stay stored and wait until it is configured again. 022.
  core::Status RemoveDestination(std::string_view name);
  std::vector<DestinationInfo> Destinations() const;
  // Forgets the stored create result of an object (the consumer deleted the object).
  core::Status ForgetObject(store::UnitOfWork& unit, std::string_view destination, std::string_view object_key);
  // The result kept from the latest delivered create of `object_key` at `destination` (what
  // Dependency::OnCreateOf hands later messages, also after the create was pruned): e.g. the
  // consumer's EXTERNAL_ID, to show it. nullopt when no create was delivered (or it was
  // forgotten). Blocks on a read.
  core::Result<std::optional<std::string>> ObjectResult(std::string_view destination, std::string_view object_key) const;

  // Unfinished messages per configured destination (one read: counts by the state index).
  core::Result<std::vector<QueueDepth>> Depths() const;
  // Counters and the latency histogram of this process.
  const OutboxMetrics& metrics() const { return *metrics_; }
  const core::Clock& clock() const { return clock_; }

  // Deletes delivered and skipped messages older than the retention now (the scheduler also
  // does it every prune_interval). Returns how many.
  core::Result<int> PruneNow();

  // Blocks until `condition` holds (checked after each step of the scheduler and each
  // operation) or `timeout` (real time) passed; returns the last evaluation. For tests and the
  // sandbox.
  bool WaitUntil(const std::function<bool()>& condition, std::chrono::milliseconds timeout) const;

  // Starts delivering (with deliver_at_open = false; otherwise Open did). Messages enqueued
  // before wait for it. Idempotent.
  void StartDelivery();

  // Graceful stop (see the lifetime note above). Idempotent. Enqueue fails afterwards.
  void Stop();

 private:
  Outbox(store::Database& db, const core::Clock& clock, HttpClient& http, OutboxOptions options);
  core::Status Start();
  core::Error DestinationNotFound(std::string_view name) const;

  store::Database& db_;
  const core::Clock& clock_;
  HttpClient& http_;
  const OutboxOptions options_;
  std::shared_ptr<OutboxMetrics> metrics_;
  // The ids this node took from the store and has not used yet: the current block, and the next
  // one, reserved in the background once half of the current one is used (so Enqueue waits for
  // the store only if ids run out faster than one write). Shared with that write's callback.
  struct Ids {
    std::mutex mu;
    MessageId next = 0, end = 0;  // the current block [next, end)
    MessageId spare = 0;          // the first id of the reserved next block; 0: none
    bool reserving = false;
  };
  core::Result<MessageId> NextId();
  core::Result<MessageId> ReserveIdBlock();  // waits for the store; never with ids_->mu held
  std::shared_ptr<Ids> ids_ = std::make_shared<Ids>();
  std::atomic<bool> stopped_{false};
  std::atomic<bool> delivering_{false};
  std::unique_ptr<internal::DeliveryLoop> loop_;
};

}  // namespace causeway::exchange
