// Processes the stored asynchronous messages of one SOAP service (message_store.h): claims
// received queue heads under a lease, and for each one runs Service::Process inside a unit of
// work of its own that also records the message's status and log, so that the business change
// and "processed" commit together or not at all. Messages of different queues are processed in
// parallel (their units commit concurrently: the store's group commit shares the fsyncs); one
// queue's next message is claimable only once its head's unit committed.
//
// A unit that fails to commit (a technical error, or a lease another node took over) writes
// nothing; the message then ends in error with the error's text, in a write of its own, unless
// its lease is no longer this node's. After kill -9, this node's claims are dropped at the next
// Start (same node_id); other nodes take a dead node's claims once their leases expired.
//
// Claims are pipelined: the next claim is queued before the units of the batch the last one
// brought, so the store commits (and syncs) it while it works through them, and the single
// writer never waits for this thread between batches. One claim is outstanding at a time; after
// one that found nothing, the next waits for a reason (Notify, a unit that completed) or the
// poll interval.
//
// Threading: one processing thread (unless started without: then Drain() does the work on the
// caller's thread). It sleeps on a core::Alarm on the injected clock, so a ManualClock drives
// lease expiry and polling in tests; Notify() (reception's commit hook) wakes it. Claim and
// commit completions only post to it. Stop() (or the destructor) stops claiming, waits for the
// claim and the units in flight to complete and ends the thread (messages claimed but not
// started stay leased to this node until its next Start); the Service, MessageStore and Clock
// must outlive it.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

#include "core/clock.h"
#include "core/result.h"
#include "soap/envelope.h"
#include "soap/message_store.h"
#include "soap/service.h"

namespace causeway::soap {

struct ProcessorOptions {
  // This node's lease owner name; one per node sharing a database. Its own leases are dropped
  // at Start (its earlier self died).
  std::string node_id = "local";
  std::chrono::milliseconds lease{std::chrono::minutes(1)};
  // How often to look for work without being woken: other nodes' expired leases, heads another
  // node's commit made claimable.
  std::chrono::milliseconds poll{std::chrono::seconds(5)};
  int claim_batch = 64;     // messages claimed per write (>= 1)
  int max_in_flight = 512;  // units committing at once (>= 1)
  // Processed and cancelled messages are deleted this long after they finished (0: kept).
  std::chrono::milliseconds retention{std::chrono::hours(24 * 7)};
  std::chrono::milliseconds purge_interval{std::chrono::minutes(10)};
  ParseLimits limits;
  bool start_thread = true;  // false: nothing runs until Drain() is called
  // Called after a message's status is durable (processed or error), on the processing thread
  // or a store thread: must be quick. For metrics, benchmarks and tests.
  std::function<void(const StoredMessage&, MessageStatus)> on_finished;
};

class InboundProcessor {
 public:
  // Drops `options.node_id`'s leases and starts the processing thread. Errors: the store's.
  static core::Result<std::unique_ptr<InboundProcessor>> Start(std::shared_ptr<const Service> service,
                                                               MessageStore& messages, const core::Clock& clock,
                                                               ProcessorOptions options);
  ~InboundProcessor();
  InboundProcessor(const InboundProcessor&) = delete;
  InboundProcessor& operator=(const InboundProcessor&) = delete;

  // Work may be there (a message was stored, an operator restarted or released one).
  void Notify();
  void Stop();

  // Processes on the calling thread until nothing is claimable and no unit is in flight
  // (messages whose lease another owner holds are not waited for). Returns how many messages
  // ended (processed or error). Not while the processing thread runs.
  core::Result<int> Drain();

  // Units committing.
  int64_t in_flight() const { return in_flight_.load(); }
  int64_t finished() const { return finished_.load(); }
  const ProcessorOptions& options() const { return options_; }

 private:
  struct Flight;
  InboundProcessor(std::shared_ptr<const Service> service, MessageStore& messages, const core::Clock& clock,
                   ProcessorOptions options);
  void Loop();
  // One round: queues the next claim if one is due, then starts the units of the batches
  // claimed so far. Returns whether it started anything.
  bool Step();
  void MaybeClaim();
  void StartOne(StoredMessage message);
  // Nothing claimed and not started, no claim or unit in flight, no failure to record, and
  // nothing happened since the last claim found nothing. Under mu_.
  bool IdleLocked() const;
  // Records the failures commit completions posted.
  void RecordFailures();
  void MaybePurge();
  const Operation* FindOperation(const std::string& name) const;

  std::shared_ptr<const Service> service_;
  MessageStore& messages_;
  const core::Clock& clock_;
  ProcessorOptions options_;
  core::Alarm alarm_;
  std::atomic<int64_t> in_flight_{0};
  std::atomic<int64_t> finished_{0};
  std::mutex mu_;
  std::condition_variable idle_;                 // in_flight_ dropped or a claim completed (under mu_)
  std::vector<std::shared_ptr<Flight>> failed_;  // GUARDED_BY(mu_): commits that failed
  // Claims (all GUARDED_BY(mu_)).
  bool claiming_ = false;                             // a claim is outstanding
  std::vector<std::vector<StoredMessage>> claimed_;  // batches claimed, not started
  int64_t claimed_count_ = 0;                         // messages in claimed_
  // Work may have appeared (Notify, a unit completed): counted, so that a claim that found
  // nothing is repeated only if something happened since it started (or the poll is due).
  uint64_t signals_ = 0;
  uint64_t signals_at_claim_ = 0;  // signals_ when the last claim started
  bool last_claim_empty_ = false;  // it found nothing (or failed)
  core::Status claim_error_;       // its failure, for Drain()
  core::SystemTime next_poll_{};
  core::SystemTime next_purge_{};
  std::atomic<bool> stopping_{false};
  std::thread thread_;
};

}  // namespace causeway::soap
