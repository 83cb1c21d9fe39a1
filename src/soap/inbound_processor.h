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
// Threading: one processing thread (unless started without: then Drain() does the work on the
// caller's thread). It sleeps on a core::Alarm on the injected clock, so a ManualClock drives
// lease expiry and polling in tests; Notify() (reception's commit hook) wakes it. Commit
// completions only post to it. Stop() (or the destructor) stops claiming, waits for units in
// flight to complete and ends the thread; the Service, MessageStore and Clock must outlive it.
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

  int64_t in_flight() const { return in_flight_.load(); }
  int64_t finished() const { return finished_.load(); }
  const ProcessorOptions& options() const { return options_; }

 private:
  struct Flight;
  InboundProcessor(std::shared_ptr<const Service> service, MessageStore& messages, const core::Clock& clock,
                   ProcessorOptions options);
  void Loop();
  // Claims what fits and starts each message's unit; returns how many were claimed.
  core::Result<int> ClaimAndStart();
  void StartOne(StoredMessage message);
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
  std::condition_variable idle_;                 // in_flight_ dropped (under mu_)
  std::vector<std::shared_ptr<Flight>> failed_;  // GUARDED_BY(mu_): commits that failed
  core::SystemTime next_purge_{};
  std::atomic<bool> stopping_{false};
  std::thread thread_;
};

}  // namespace causeway::soap
