// The outbox's scheduler (internal to outbox.cpp): one thread that claims ready messages,
// builds their requests, sends them through the HttpClient and records each outcome.
//
// Everything that changes delivery state happens on the loop thread; other threads (HTTP
// client callbacks, store completions, Enqueue's OnCommit, operations) only post to its
// mailbox and wake it. The mailbox is shared with those callbacks, so one that arrives after
// the loop ended is dropped instead of touching freed memory.
//
// Per destination the loop keeps a count of the messages it holds (claimed, in flight, being
// recorded) and never holds more than max_concurrent. A key's slot passes from a delivered
// message to the key's next one inside the same write (outbox_store::Record), so a busy key
// costs one write per message; other claims go through a read-only probe first, so looking for
// work that is not there costs no write.
//
// Memory: the messages in flight (at most the sum of max_concurrent) and a few words per
// destination; pending messages stay in the store.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <random>
#include <set>
#include <string>
#include <thread>
#include <unordered_map>
#include <variant>
#include <vector>

#include "core/clock.h"
#include "exchange/http_client.h"
#include "exchange/message_kind.h"
#include "exchange/outbox.h"
#include "exchange/outbox_metrics.h"
#include "exchange/outbox_store.h"
#include "store/database.h"

namespace causeway::exchange::internal {

class Mailbox;

class DeliveryLoop {
 public:
  struct DestinationSetup {
    std::shared_ptr<const Destination> destination;
    bool paused = false;
  };

  DeliveryLoop(store::Database& db, const core::Clock& clock, HttpClient& http, const OutboxOptions& options,
               std::shared_ptr<OutboxMetrics> metrics, std::vector<DestinationSetup> destinations);
  ~DeliveryLoop();  // Stop(options.stop_timeout)
  DeliveryLoop(const DeliveryLoop&) = delete;
  DeliveryLoop& operator=(const DeliveryLoop&) = delete;

  void Start();
  bool stopping() const { return stopping_; }
  // Graceful: no new claims; waits up to `timeout` (real time) for what is in flight to be
  // answered and recorded; then ends the thread. Idempotent.
  void Stop(std::chrono::milliseconds timeout);

  // Work may be ready at `destination` ("" = every destination). Any thread.
  void Wake(const std::string& destination);
  // A callable for OnCommit hooks that may outlive the loop.
  std::function<void()> WakeLater(std::string destination) const;

  // An eager claim (Outbox::Enqueue): reserves a slot of `destination` for a message whose
  // enqueue may claim it (not paused, not stopping, a slot free). Returns the lease expiry to
  // insert it with, or nullopt. Any thread.
  std::optional<int64_t> TryReserve(std::string_view destination, core::SystemTime now);
  // What the commit (or rollback) of a reserving enqueue says: the message it claimed, to be
  // sent at once, or nullopt (the slot is free again). Any thread; dropped once the loop ended.
  std::function<void(std::optional<outbox_store::ClaimedMessage>)> ReservationDone(std::string destination) const;

  bool HasDestination(std::string_view name) const;
  void SetDestination(std::shared_ptr<const Destination> destination);
  bool RemoveDestination(std::string_view name);
  bool SetPaused(std::string_view name, bool paused);  // false: unknown destination
  std::vector<DestinationInfo> Destinations() const;
  std::vector<std::string> DestinationNames() const;

  // Progress notifications for Outbox::WaitUntil.
  bool WaitUntil(const std::function<bool()>& condition, std::chrono::milliseconds timeout) const;
  void NotifyProgress() const;

 private:
  struct ClaimDone {
    std::string destination;
    int reserved = 0;
    core::Status status;
    std::vector<outbox_store::ClaimedMessage> claimed;
  };
  struct AnswerDone {
    MessageId id = 0;
    HttpOutcome outcome;
  };
  struct RecordsDone {
    std::vector<MessageId> ids;
    core::Status status;
    std::vector<outbox_store::RecordOutcome> outcomes;  // one per id when status is ok
  };
  struct ChoreDone {  // lease sweep or prune
    bool prune = false;
    core::Status status;
    int count = 0;
    std::set<std::string> paused;  // sweep: the stored pause flags
    uint64_t pause_version = 0;    // sweep: pause_version_ when it was read
  };
  struct ReservationEnded {
    std::string destination;
    std::optional<outbox_store::ClaimedMessage> claimed;
  };
  using Event = std::variant<ClaimDone, AnswerDone, RecordsDone, ChoreDone, ReservationEnded>;
  friend class Mailbox;

  // The longest a receiver's Retry-After holds its whole destination: a wrong header (a year
  // ahead) must not stop every message; the one message keeps its own not_before.
  static constexpr std::chrono::minutes kMaxHold{10};

  // What the loop holds of one destination. GUARDED_BY(config_mu_).
  struct DestinationState {
    std::shared_ptr<const Destination> destination;  // null once removed (kept while busy)
    bool paused = false;
    int busy = 0;                    // claimed + in flight + being recorded, by this node
    bool claim_outstanding = false;  // a claim write is on its way
    bool want_claim = true;          // something may be claimable
    // The receiver's Retry-After, for the whole destination: nothing new is sent before it
    // (this node's; at most kMaxHold ahead).
    std::optional<core::SystemTime> hold_until;
    bool HeldAt(core::SystemTime t) const { return hold_until && *hold_until > t; }
  };

  // A message this node sends (or is about to record). Loop thread only.
  struct Flight {
    outbox_store::ClaimedMessage message;
    std::shared_ptr<const Destination> destination;
    std::shared_ptr<const MessageKind> kind;
    core::SystemTime started;
    std::optional<outbox_store::RecordRequest> record;  // once the outcome is known
    int record_tries = 0;
  };

  void Run();
  void Handle(Event& event);
  void OnClaimed(ClaimDone& done);
  void OnAnswer(AnswerDone& done);
  void OnRecorded(RecordsDone& done);
  void Recorded(MessageId id, outbox_store::RecordOutcome& outcome);
  void OnChore(ChoreDone& done);
  void OnReservationEnded(ReservationEnded& ended);
  void ClaimPass(core::SystemTime now);
  void Chores(core::SystemTime now);
  void StartAttempt(outbox_store::ClaimedMessage message);
  // Ends an attempt that was never sent (no handler, no destination, build error).
  void FinishUnsent(Flight flight, MessageState state, std::string reason, core::SystemTime not_before);
  void QueueRecord(MessageId id);  // written by FlushRecords at the end of the loop's pass
  void FlushRecords();
  void WriteRecords(std::vector<MessageId> ids);
  void ReleaseSlot(const std::string& destination);
  void WantClaimEverywhere();
  void DueAt(core::SystemTime t);
  int64_t LeaseExpiry(const Destination& destination, core::SystemTime now) const;
  outbox_store::RecordRequest BaseRecord(const Flight& flight, core::SystemTime now) const;
  bool Drained() const;

  store::Database& db_;
  const core::Clock& clock_;
  HttpClient& http_;
  const OutboxOptions& options_;
  std::shared_ptr<OutboxMetrics> metrics_;
  core::Alarm alarm_;
  std::shared_ptr<Mailbox> mailbox_;

  mutable std::mutex config_mu_;
  std::map<std::string, DestinationState, std::less<>> destinations_;  // GUARDED_BY(config_mu_)
  // Counts local pause changes, so that a sweep that read the flags before one does not undo it.
  uint64_t pause_version_ = 0;  // GUARDED_BY(config_mu_)

  // Loop thread only.
  std::unordered_map<MessageId, Flight> flights_;
  std::vector<MessageId> unwritten_;  // outcomes known, write not issued yet
  std::optional<core::SystemTime> next_due_;  // the earliest known not_before after now
  core::SystemTime next_sweep_, next_prune_, next_poll_;
  bool sweep_outstanding_ = false, prune_outstanding_ = false;
  std::mt19937_64 rng_;

  std::atomic<bool> stopping_{false};
  std::mutex drain_mu_;
  std::condition_variable drain_cv_;
  bool drained_ = false;  // GUARDED_BY(drain_mu_)
  std::thread thread_;
  bool stopped_ = false;  // Stop() ran (owner's thread)

  mutable std::mutex progress_mu_;
  mutable std::condition_variable progress_cv_;
  mutable uint64_t progress_ = 0;  // GUARDED_BY(progress_mu_)
};

// Shared by the loop and every callback it hands out; outlives the loop when a callback comes
// late, and then drops what it is given.
class Mailbox {
 public:
  explicit Mailbox(core::Alarm* alarm) : alarm_(alarm) {}

  void Post(DeliveryLoop::Event event) {
    std::lock_guard lock(mu_);
    if (!alarm_) return;
    events_.push_back(std::move(event));
    alarm_->Notify();
  }
  void Wake(const std::string& destination) {
    std::lock_guard lock(mu_);
    if (!alarm_) return;
    if (destination.empty()) wake_all_ = true;
    else wakes_.insert(destination);
    alarm_->Notify();
  }
  // The loop's side: everything posted since the last call.
  void Take(std::vector<DeliveryLoop::Event>& events, std::set<std::string>& wakes, bool& wake_all) {
    std::lock_guard lock(mu_);
    events.swap(events_);
    wakes.swap(wakes_);
    wake_all = wake_all_;
    wake_all_ = false;
  }
  void Close() {
    std::lock_guard lock(mu_);
    alarm_ = nullptr;
    events_.clear();
  }

 private:
  std::mutex mu_;
  core::Alarm* alarm_;                       // GUARDED_BY(mu_); null once closed
  std::vector<DeliveryLoop::Event> events_;  // GUARDED_BY(mu_)
  std::set<std::string> wakes_;              // GUARDED_BY(mu_)
  bool wake_all_ = false;                    // GUARDED_BY(mu_)
};

}  // namespace causeway::exchange::internal
