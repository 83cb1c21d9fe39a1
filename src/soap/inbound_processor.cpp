#include "soap/inbound_processor.h"

#include <spdlog/spdlog.h>

#include "store/unit_of_work.h"

namespace causeway::soap {

// One message between its claim and the end of its unit.
struct InboundProcessor::Flight {
  StoredMessage message;
  ProcessingOutcome outcome;
  core::Error error;  // why the commit failed
};

core::Result<std::unique_ptr<InboundProcessor>> InboundProcessor::Start(std::shared_ptr<const Service> service,
                                                                        MessageStore& messages,
                                                                        const core::Clock& clock,
                                                                        ProcessorOptions options) {
  options.claim_batch = std::max(1, options.claim_batch);
  options.max_in_flight = std::max(1, options.max_in_flight);
  CW_ASSIGN_OR_RETURN(int64_t released, messages.ReleaseLeases(options.node_id));
  if (released > 0)
    spdlog::info("soap: {} message(s) of {} claimed by this node ({}) before it stopped are claimable again",
                 released, service->Description().interface_name, options.node_id);
  std::unique_ptr<InboundProcessor> p(new InboundProcessor(std::move(service), messages, clock, std::move(options)));
  p->next_purge_ = clock.Now();
  if (p->options_.start_thread) p->thread_ = std::thread([raw = p.get()] { raw->Loop(); });
  return p;
}

InboundProcessor::InboundProcessor(std::shared_ptr<const Service> service, MessageStore& messages,
                                   const core::Clock& clock, ProcessorOptions options)
    : service_(std::move(service)), messages_(messages), clock_(clock), options_(std::move(options)), alarm_(clock) {}

InboundProcessor::~InboundProcessor() { Stop(); }

void InboundProcessor::Notify() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    ++signals_;
  }
  alarm_.Notify();
}

void InboundProcessor::Stop() {
  if (stopping_.exchange(true)) {
    if (thread_.joinable()) thread_.join();
    return;
  }
  alarm_.Stop();
  if (thread_.joinable()) thread_.join();
  // A claim and units still committing reference this object: wait for them (they end on
  // their own).
  std::unique_lock<std::mutex> lock(mu_);
  idle_.wait(lock, [&] { return in_flight_.load() == 0 && !claiming_; });
}

const Operation* InboundProcessor::FindOperation(const std::string& name) const {
  for (const Operation& op : service_->Description().operations)
    if (op.name == name) return &op;
  return nullptr;
}

void InboundProcessor::StartOne(StoredMessage message) {
  auto flight = std::make_shared<Flight>();
  flight->message = std::move(message);
  const StoredMessage& m = flight->message;
  store::UnitOfWork unit(messages_.database());
  core::Status st;
  {
    store::UnitOfWork::Scope scope(unit);
    const Operation* op = FindOperation(m.operation);
    auto doc = ParseXml(m.payload, options_.limits);
    if (!op) {
      st = core::MakeError(core::Code::kInternal, "CAUSEWAY/SOAP", "047", "Operation &1 cannot process stored messages",
                           {m.operation});
    } else if (!doc.ok()) {
      st = doc.error();
    } else {
      CallContext ctx{m.user, m.client, m.language, ""};
      st = service_->Process(*op, doc->Root(), ctx, &flight->outcome);
    }
  }
  if (!st.ok()) {
    unit.Rollback();
    if (core::Status rec = messages_.RecordFailure(m, options_.node_id, st.error()); !rec.ok())
      spdlog::error("soap: message {} failed ({}) and its failure was not recorded: {}", m.id, st.error().text,
                    rec.error().text);
    ++finished_;
    if (options_.on_finished) options_.on_finished(m, MessageStatus::kError);
    return;
  }
  messages_.StageFinish(unit, m, options_.node_id, &flight->outcome);
  ++in_flight_;
  unit.CommitAsync()->Then([this, flight](const core::Status& result) {
    if (result.ok()) {
      ++finished_;
      if (options_.on_finished)
        options_.on_finished(flight->message, flight->outcome.failed() ? MessageStatus::kError : MessageStatus::kProcessed);
    } else {
      flight->error = result.error();
      std::lock_guard<std::mutex> lock(mu_);
      failed_.push_back(flight);
    }
    // The queue's next message may be claimable now. Everything here happens under mu_, which
    // Stop() waits on, so `this` outlives it.
    std::lock_guard<std::mutex> lock(mu_);
    --in_flight_;
    ++signals_;
    alarm_.Notify();
    idle_.notify_all();
  });
}

void InboundProcessor::RecordFailures() {
  std::vector<std::shared_ptr<Flight>> failed;
  {
    std::lock_guard<std::mutex> lock(mu_);
    failed.swap(failed_);
  }
  for (const auto& f : failed) {
    spdlog::warn("soap: message {} of {} was not processed: {}", f->message.id, f->message.service, f->error.text);
    if (core::Status st = messages_.RecordFailure(f->message, options_.node_id, f->error); !st.ok())
      spdlog::error("soap: the failure of message {} was not recorded: {}", f->message.id, st.error().text);
    ++finished_;
    if (options_.on_finished) options_.on_finished(f->message, MessageStatus::kError);
  }
}

void InboundProcessor::MaybeClaim() {
  if (stopping_.load()) return;
  const core::SystemTime now = clock_.Now();
  int limit = 0;
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (claiming_) return;
    const int64_t room = options_.max_in_flight - in_flight_.load() - claimed_count_;
    if (room <= 0) return;
    // After a claim that found nothing: again only if something happened since it started, or
    // to poll (other nodes' expired leases, heads their commits made claimable).
    if (last_claim_empty_ && signals_ == signals_at_claim_ && now < next_poll_) return;
    limit = static_cast<int>(std::min<int64_t>(room, options_.claim_batch));
    claiming_ = true;
    signals_at_claim_ = signals_;
    next_poll_ = now + options_.poll;
  }
  messages_.ClaimAsync(
      service_->Description().interface_name, options_.node_id, limit, now + options_.lease,
      [this](core::Result<std::vector<StoredMessage>> claimed) {
        // Under mu_, which Stop() waits on (claiming_), so `this` outlives it.
        std::lock_guard<std::mutex> lock(mu_);
        claiming_ = false;
        if (!claimed.ok()) {
          spdlog::warn("soap: claiming messages failed: {}", claimed.error().text);
          claim_error_ = claimed.error();
          last_claim_empty_ = true;  // tried again at the next signal or poll
        } else {
          last_claim_empty_ = claimed->empty();
          if (!claimed->empty()) {
            claimed_count_ += static_cast<int64_t>(claimed->size());
            claimed_.push_back(std::move(claimed).value());
          }
        }
        alarm_.Notify();
        idle_.notify_all();
      });
}

bool InboundProcessor::Step() {
  RecordFailures();
  // The next claim first: queued ahead of this batch's units, it is committed and synced while
  // the store works through them.
  MaybeClaim();
  std::vector<std::vector<StoredMessage>> batches;
  {
    std::lock_guard<std::mutex> lock(mu_);
    batches.swap(claimed_);
  }
  bool started = false;
  for (std::vector<StoredMessage>& batch : batches) {
    const auto n = static_cast<int64_t>(batch.size());
    if (core::Status st = messages_.ReadPayloads(batch); !st.ok()) {
      spdlog::warn("soap: the payloads of {} claimed message(s) were not read ({}); they are claimed again once "
                   "their lease ended",
                   n, st.error().text);
    } else {
      for (StoredMessage& m : batch) StartOne(std::move(m));
      started = true;
    }
    std::lock_guard<std::mutex> lock(mu_);
    claimed_count_ -= n;
  }
  return started;
}

bool InboundProcessor::IdleLocked() const {
  return !claiming_ && claimed_.empty() && in_flight_.load() == 0 && failed_.empty() && last_claim_empty_ &&
         signals_ == signals_at_claim_;
}

void InboundProcessor::MaybePurge() {
  if (options_.retention.count() <= 0) return;
  const core::SystemTime now = clock_.Now();
  if (now < next_purge_) return;
  next_purge_ = now + options_.purge_interval;
  auto purged = messages_.Purge(now - options_.retention, 1000);
  if (!purged.ok()) spdlog::warn("soap: purging finished messages failed: {}", purged.error().text);
}

void InboundProcessor::Loop() {
  while (!alarm_.stopped()) {
    const uint64_t armed = alarm_.Arm();
    MaybePurge();
    if (Step()) continue;
    // A claim or commit completing, a new message, or the poll wakes us.
    core::SystemTime wake = core::SystemTime::max();
    {
      std::lock_guard<std::mutex> lock(mu_);
      if (!claiming_ && next_poll_ > clock_.Now()) wake = next_poll_;
    }
    alarm_.WaitUntil(wake, armed);
  }
}

core::Result<int> InboundProcessor::Drain() {
  const int64_t before = finished_.load();
  {
    // The caller asks to look again, whatever the last claim found.
    std::lock_guard<std::mutex> lock(mu_);
    ++signals_;
  }
  for (;;) {
    const uint64_t armed = alarm_.Arm();
    if (Step()) continue;
    {
      std::lock_guard<std::mutex> lock(mu_);
      if (!claim_error_.ok()) {
        core::Status error = std::move(claim_error_);
        claim_error_ = core::Status::Ok();
        return error.error();
      }
      if (IdleLocked()) break;
    }
    alarm_.Wait(armed);
  }
  return static_cast<int>(finished_.load() - before);
}

}  // namespace causeway::soap
