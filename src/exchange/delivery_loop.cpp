#include "exchange/delivery_loop.h"

#include <spdlog/spdlog.h>

#include <algorithm>

#include "core/random.h"
#include "exchange/attempt_decision.h"

namespace causeway::exchange::internal {

using outbox_store::ClaimedMessage;
using outbox_store::RecordRequest;

namespace {

int64_t Ms(core::SystemTime t) { return core::ToUnixMillis(t); }

}  // namespace

DeliveryLoop::DeliveryLoop(store::Database& db, const core::Clock& clock, HttpClient& http,
                           const OutboxOptions& options, std::shared_ptr<OutboxMetrics> metrics,
                           std::vector<DestinationSetup> destinations)
    : db_(db),
      clock_(clock),
      http_(http),
      options_(options),
      metrics_(std::move(metrics)),
      alarm_(clock),
      mailbox_(std::make_shared<Mailbox>(&alarm_)) {
  uint64_t seed = options.seed;
  if (seed == 0) core::RandomBytes(&seed, sizeof seed);
  rng_.seed(seed);
  for (DestinationSetup& d : destinations) {
    std::string name = d.destination->name;
    destinations_[name] = DestinationState{.destination = std::move(d.destination), .paused = d.paused};
  }
}

DeliveryLoop::~DeliveryLoop() { Stop(options_.stop_timeout); }

void DeliveryLoop::Start() {
  const core::SystemTime now = clock_.Now();
  next_sweep_ = now + options_.lease_sweep_interval;
  next_prune_ = now + options_.prune_interval;
  next_poll_ = now + options_.claim_poll_interval;
  thread_ = std::thread([this] { Run(); });
}

void DeliveryLoop::Stop(std::chrono::milliseconds timeout) {
  if (stopped_) return;
  stopped_ = true;
  stopping_ = true;
  alarm_.Notify();
  if (thread_.joinable()) {
    std::unique_lock lock(drain_mu_);
    if (!drain_cv_.wait_for(lock, timeout, [&] { return drained_; })) {
      spdlog::warn("outbox: stopping with messages still in flight; they are sent again after the next start");
    }
  }
  alarm_.Stop();
  if (thread_.joinable()) thread_.join();
  mailbox_->Close();
  NotifyProgress();
}

void DeliveryLoop::Wake(const std::string& destination) { mailbox_->Wake(destination); }

std::function<void()> DeliveryLoop::WakeLater(std::string destination) const {
  return [mailbox = mailbox_, destination = std::move(destination)] { mailbox->Wake(destination); };
}

bool DeliveryLoop::WaitUntil(const std::function<bool()>& condition, std::chrono::milliseconds timeout) const {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  for (;;) {
    uint64_t seen;
    {
      std::lock_guard lock(progress_mu_);
      seen = progress_;
    }
    if (condition()) return true;
    std::unique_lock lock(progress_mu_);
    if (!progress_cv_.wait_until(lock, deadline, [&] { return progress_ != seen; })) {
      lock.unlock();
      return condition();
    }
  }
}

void DeliveryLoop::NotifyProgress() const {
  {
    std::lock_guard lock(progress_mu_);
    ++progress_;
  }
  progress_cv_.notify_all();
}

void DeliveryLoop::Run() {
  std::vector<Event> events;
  std::set<std::string> wakes;
  bool wake_all = false;
  for (;;) {
    const uint64_t armed = alarm_.Arm();
    mailbox_->Take(events, wakes, wake_all);
    if (wake_all) WantClaimEverywhere();
    if (!wakes.empty()) {
      std::lock_guard lock(config_mu_);
      for (const std::string& d : wakes) {
        auto it = destinations_.find(d);
        if (it != destinations_.end()) it->second.want_claim = true;
      }
    }
    for (Event& e : events) Handle(e);
    events.clear();
    FlushRecords();
    wakes.clear();

    const core::SystemTime now = clock_.Now();
    if (next_due_ && now >= *next_due_) {
      next_due_.reset();
      WantClaimEverywhere();
    }
    Chores(now);
    if (!stopping_) ClaimPass(now);
    NotifyProgress();
    if (stopping_ && Drained()) {
      {
        std::lock_guard lock(drain_mu_);
        drained_ = true;
      }
      drain_cv_.notify_all();
    }
    core::SystemTime deadline = std::min({next_sweep_, next_prune_, next_poll_});
    if (next_due_) deadline = std::min(deadline, *next_due_);
    if (!alarm_.WaitUntil(deadline, armed)) return;
  }
}

bool DeliveryLoop::Drained() const {
  if (!flights_.empty()) return false;
  std::lock_guard lock(config_mu_);
  for (const auto& [name, s] : destinations_)
    if (s.claim_outstanding) return false;
  return true;
}

void DeliveryLoop::Handle(Event& event) {
  std::visit(
      [this](auto& e) {
        using T = std::decay_t<decltype(e)>;
        if constexpr (std::is_same_v<T, ClaimDone>) OnClaimed(e);
        else if constexpr (std::is_same_v<T, AnswerDone>) OnAnswer(e);
        else if constexpr (std::is_same_v<T, RecordsDone>) OnRecorded(e);
        else if constexpr (std::is_same_v<T, ReservationEnded>) OnReservationEnded(e);
        else OnChore(e);
      },
      event);
}

void DeliveryLoop::WantClaimEverywhere() {
  std::lock_guard lock(config_mu_);
  for (auto& [name, s] : destinations_) s.want_claim = true;
}

void DeliveryLoop::DueAt(core::SystemTime t) {
  if (!next_due_ || t < *next_due_) next_due_ = t;
}

int64_t DeliveryLoop::LeaseExpiry(const Destination& destination, core::SystemTime now) const {
  auto lease = std::max<std::chrono::milliseconds>(options_.lease,
                                                   2 * destination.total_timeout + std::chrono::minutes(1));
  return Ms(now + lease);
}

void DeliveryLoop::ClaimPass(core::SystemTime now) {
  struct Candidate {
    std::string name;
    std::shared_ptr<const Destination> destination;
  };
  std::vector<Candidate> candidates;
  std::optional<core::SystemTime> held_until;
  {
    std::lock_guard lock(config_mu_);
    for (auto& [name, s] : destinations_) {
      if (!s.want_claim || s.claim_outstanding || s.paused || !s.destination) continue;
      if (s.HeldAt(now)) {  // asked to wait: want_claim stays for then
        if (!held_until || *s.hold_until < *held_until) held_until = s.hold_until;
        continue;
      }
      if (s.destination->max_concurrent - s.busy <= 0) continue;  // a freed slot asks again
      s.want_claim = false;
      candidates.push_back({name, s.destination});
    }
  }
  if (held_until) DueAt(*held_until);
  const int64_t now_ms = Ms(now);
  for (Candidate& c : candidates) {
    outbox_store::ReadyProbe probe;
    core::Status read = db_.Read([&](store::Tx& tx) -> core::Status {
      CW_ASSIGN_OR_RETURN(probe, outbox_store::ProbeReady(tx, c.name, now_ms));
      return core::Status::Ok();
    });
    if (!read.ok()) {
      spdlog::error("outbox: looking for work of {} failed: {}", c.name, read.error().text);
      DueAt(now + std::chrono::seconds(1));
      continue;
    }
    if (probe.next_due_ms) DueAt(core::FromUnixMillis(*probe.next_due_ms));
    if (!probe.ready) continue;
    int n = 0;
    {
      // Counted again: an enqueue's claim by insert (TryReserve) may have taken slots while the
      // probe read the store; the first count alone let a third request out with max_concurrent 2.
      std::lock_guard lock(config_mu_);
      DestinationState& s = destinations_[c.name];
      if (!s.destination || s.paused) continue;
      n = std::min(s.destination->max_concurrent - s.busy, std::max(1, options_.claim_batch));
      if (n <= 0) continue;  // the slots' release asks again
      s.busy += n;
      s.claim_outstanding = true;
    }
    outbox_store::ClaimRequest request{.destination = c.name,
                                       .owner = options_.node_id,
                                       .now_ms = now_ms,
                                       .lease_expires_ms = LeaseExpiry(*c.destination, now),
                                       .limit = n};
    auto claimed = std::make_shared<std::vector<ClaimedMessage>>();
    db_.WriteAsync(
        [request, claimed](store::Tx& tx) -> core::Status {
          CW_ASSIGN_OR_RETURN(*claimed, outbox_store::Claim(tx, request));
          return core::Status::Ok();
        },
        [mailbox = mailbox_, name = c.name, n, claimed](core::Status status) {
          ClaimDone done{.destination = name, .reserved = n, .status = std::move(status), .claimed = {}};
          if (done.status.ok()) done.claimed = std::move(*claimed);
          mailbox->Post(std::move(done));
        });
  }
}

void DeliveryLoop::OnClaimed(ClaimDone& done) {
  const int got = static_cast<int>(done.claimed.size());
  {
    std::lock_guard lock(config_mu_);
    DestinationState& s = destinations_[done.destination];
    s.claim_outstanding = false;
    s.busy -= done.reserved - got;
    // A full batch: there may be more.
    if (got == done.reserved) s.want_claim = true;
  }
  if (!done.status.ok()) {
    spdlog::error("outbox: claiming messages of {} failed: {}", done.destination, done.status.error().text);
    DueAt(clock_.Now() + std::chrono::seconds(1));
    return;
  }
  for (ClaimedMessage& m : done.claimed) StartAttempt(std::move(m));
}

void DeliveryLoop::StartAttempt(ClaimedMessage message) {
  const MessageId id = message.id;
  Flight flight;
  flight.started = clock_.Now();
  {
    std::lock_guard lock(config_mu_);
    auto it = destinations_.find(message.destination);
    if (it != destinations_.end()) flight.destination = it->second.destination;
  }
  auto kind = options_.kinds.find(message.kind);
  if (kind != options_.kinds.end()) flight.kind = kind->second;
  flight.message = std::move(message);
  const core::SystemTime started = flight.started;
  if (!flight.destination) {
    // Removed while claimed: back to pending, to go out once it is configured again.
    FinishUnsent(std::move(flight), MessageState::kPending, "destination is not configured",
                 started + std::chrono::minutes(1));
    return;
  }
  if (!flight.kind) {
    std::string reason = "no handler for message kind " + flight.message.kind;
    FinishUnsent(std::move(flight), MessageState::kFailed, std::move(reason), started);
    return;
  }
  const OutgoingMessage out = ViewOf(flight.message);
  core::Result<OutboundRequest> built = flight.kind->BuildRequest(out);
  if (!built.ok()) {
    std::string reason = "request not built: " + built.error().text;
    FinishUnsent(std::move(flight), MessageState::kFailed, std::move(reason), started);
    return;
  }
  OutboundRequest request = std::move(built).value();
  request.destination = flight.destination;
  if (request.idempotency_key.empty()) request.idempotency_key = std::string(out.idempotency_key);
  flights_.emplace(id, std::move(flight));
  spdlog::debug("outbox: sending message {} ({}) to {}, attempt {}", id, request.method, request.destination->name,
                out.attempt);
  http_.Send(std::move(request), [mailbox = mailbox_, id](HttpOutcome outcome) {
    mailbox->Post(AnswerDone{.id = id, .outcome = std::move(outcome)});
  });
}

RecordRequest DeliveryLoop::BaseRecord(const Flight& f, core::SystemTime now) const {
  const ClaimedMessage& m = f.message;
  RecordRequest r;
  r.id = m.id;
  r.owner = options_.node_id;
  r.now_ms = Ms(now);
  r.not_before_ms = Ms(now);
  r.last_delay_ms = m.last_delay_ms;
  r.maybe_received = m.maybe_received;
  r.attempt.attempt = m.attempts;
  r.attempt.started_ms = Ms(f.started);
  r.destination = m.destination;
  r.ordering_key = m.ordering_key;
  r.object_key = m.object_key;
  r.seq = m.seq;
  r.creates = m.creates;
  return r;
}

void DeliveryLoop::FinishUnsent(Flight flight, MessageState state, std::string reason, core::SystemTime not_before) {
  const core::SystemTime now = clock_.Now();
  RecordRequest r = BaseRecord(flight, now);
  r.state = state;
  r.not_before_ms = Ms(not_before);
  r.last_error = reason;
  r.attempt.outcome = "not_sent";
  r.attempt.error = std::move(reason);
  spdlog::warn("outbox: message {} to {} not sent: {}", r.id, r.destination, r.attempt.error);
  const MessageId id = r.id;
  flight.record = std::move(r);
  flights_.insert_or_assign(id, std::move(flight));
  QueueRecord(id);
}

void DeliveryLoop::OnAnswer(AnswerDone& done) {
  auto it = flights_.find(done.id);
  if (it == flights_.end()) return;
  Flight& f = it->second;
  const ClaimedMessage& m = f.message;
  const HttpOutcome& o = done.outcome;
  const core::SystemTime now = clock_.Now();
  metrics_->ObserveAttempt(m.destination, o.latency);

  AttemptDecision d = DecideAfterAnswer(m, *f.kind, f.destination->retry, o, now, rng_);
  // A Retry-After speaks for the receiver, not for this one message: the destination's other
  // messages wait too, instead of each meeting the same 429 once.
  if (d.retry_after) {
    const core::SystemTime until = std::min(*d.retry_after, now + kMaxHold);
    std::lock_guard lock(config_mu_);
    DestinationState& s = destinations_[m.destination];
    if (!s.HeldAt(until)) s.hold_until = until;
  }
  RecordRequest r = BaseRecord(f, now);
  r.state = d.state;
  r.result = std::move(d.result);
  r.last_error = std::move(d.last_error);
  r.maybe_received = d.maybe_received;
  if (d.state == MessageState::kPending) {
    r.not_before_ms = Ms(d.not_before);
    r.last_delay_ms = d.delay.count();
  }
  r.attempt.latency_us = o.latency.count();
  r.attempt.status = o.status;
  r.attempt.outcome = std::move(d.outcome);
  r.attempt.error = std::move(d.error);
  r.attempt.answer_head = PrintableHead(o.body, options_.answer_head_bytes);
  if (r.state == MessageState::kFailed) {
    spdlog::warn("outbox: message {} ({}) to {} failed: {}", m.id, m.kind, m.destination, r.last_error);
  }
  if (r.state == MessageState::kDelivered && !stopping_) {
    std::lock_guard lock(config_mu_);
    auto dest = destinations_.find(m.destination);
    r.may_advance = dest != destinations_.end() && dest->second.destination && !dest->second.paused &&
                    dest->second.busy <= dest->second.destination->max_concurrent && !dest->second.HeldAt(now);
    if (r.may_advance) r.lease_expires_ms = LeaseExpiry(*dest->second.destination, now);
  }
  f.record = std::move(r);
  QueueRecord(done.id);
}

void DeliveryLoop::QueueRecord(MessageId id) {
  ++flights_.at(id).record_tries;
  unwritten_.push_back(id);
}

void DeliveryLoop::FlushRecords() {
  if (unwritten_.empty()) return;
  // Everything answered in one pass of the loop goes in one write: one savepoint and one
  // completion for the lot. Record() fails only when the store does; then each is retried alone.
  std::vector<MessageId> ids;
  ids.swap(unwritten_);
  WriteRecords(std::move(ids));
}

void DeliveryLoop::WriteRecords(std::vector<MessageId> ids) {
  std::vector<RecordRequest> requests;
  requests.reserve(ids.size());
  for (MessageId id : ids) requests.push_back(*flights_.at(id).record);
  auto outcomes = std::make_shared<std::vector<outbox_store::RecordOutcome>>();
  db_.WriteAsync(
      [requests = std::move(requests), outcomes](store::Tx& tx) -> core::Status {
        outcomes->clear();
        for (const RecordRequest& r : requests) {
          CW_ASSIGN_OR_RETURN(auto outcome, outbox_store::Record(tx, r));
          outcomes->push_back(std::move(outcome));
        }
        return core::Status::Ok();
      },
      [mailbox = mailbox_, ids = std::move(ids), outcomes](core::Status status) mutable {
        RecordsDone done{.ids = std::move(ids), .status = std::move(status), .outcomes = {}};
        if (done.status.ok()) done.outcomes = std::move(*outcomes);
        mailbox->Post(std::move(done));
      });
}

void DeliveryLoop::OnRecorded(RecordsDone& done) {
  if (!done.status.ok()) {
    const bool closing = done.status.error().code == core::Code::kUnavailable;
    spdlog::error("outbox: recording {} outcomes failed: {}", done.ids.size(), done.status.error().text);
    for (MessageId id : done.ids) {
      auto it = flights_.find(id);
      if (it == flights_.end()) continue;
      if (!closing && it->second.record_tries < 3) {
        ++it->second.record_tries;
        WriteRecords({id});
        continue;
      }
      // It stays in flight in the store; the next start sends it again.
      std::string destination = it->second.record->destination;
      flights_.erase(it);
      ReleaseSlot(destination);
    }
    return;
  }
  for (size_t i = 0; i < done.ids.size(); ++i) Recorded(done.ids[i], done.outcomes[i]);
}

void DeliveryLoop::Recorded(MessageId id, outbox_store::RecordOutcome& outcome) {
  auto it = flights_.find(id);
  if (it == flights_.end()) return;
  const RecordRequest& r = *it->second.record;
  const std::string destination = r.destination;
  if (outcome.recorded) {
    switch (r.state) {
      case MessageState::kDelivered: metrics_->CountDelivered(destination); break;
      case MessageState::kFailed: metrics_->CountFailed(destination); break;
      default:
        metrics_->CountRetried(destination);
        DueAt(core::FromUnixMillis(r.not_before_ms));
        break;
    }
    if (r.state != MessageState::kPending && options_.on_finished) options_.on_finished(r.id, r.state);
  } else {
    spdlog::warn("outbox: message {} was reclaimed by another node before its outcome was recorded", id);
  }
  flights_.erase(it);
  if (outcome.key_moved) WantClaimEverywhere();
  if (outcome.next) {
    StartAttempt(std::move(*outcome.next));  // the slot passes on
  } else {
    ReleaseSlot(destination);
  }
}

void DeliveryLoop::ReleaseSlot(const std::string& destination) {
  std::lock_guard lock(config_mu_);
  auto it = destinations_.find(destination);
  if (it == destinations_.end()) return;
  --it->second.busy;
  it->second.want_claim = true;
  if (!it->second.destination && it->second.busy == 0 && !it->second.claim_outstanding) destinations_.erase(it);
}

}  // namespace causeway::exchange::internal
