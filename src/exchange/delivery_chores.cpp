// DeliveryLoop's periodic work on the clock: the sweep for other nodes' expired leases (which
// also refreshes the pause flags other nodes may have changed) and pruning.
#include "exchange/delivery_loop.h"

#include <spdlog/spdlog.h>

namespace causeway::exchange::internal {
namespace {

int64_t Ms(core::SystemTime t) { return core::ToUnixMillis(t); }

}  // namespace

void DeliveryLoop::Chores(core::SystemTime now) {
  if (stopping_) return;
  if (now >= next_poll_) {
    // Messages this node did not enqueue (another node's, or accepted before a restart) wake
    // nothing here: look for them once per interval.
    next_poll_ = now + options_.claim_poll_interval;
    WantClaimEverywhere();
  }
  if (!sweep_outstanding_ && now >= next_sweep_) {
    next_sweep_ = now + options_.lease_sweep_interval;
    auto result = std::make_shared<ChoreDone>();
    {
      std::lock_guard lock(config_mu_);
      result->pause_version = pause_version_;
    }
    // A read first: on one node there is never anything to reclaim, and a write would hold
    // the writer for a scan.
    bool expired = false;
    result->status = db_.Read([&](store::Tx& tx) -> core::Status {
      CW_ASSIGN_OR_RETURN(expired, outbox_store::HasExpiredLeases(tx, options_.node_id, Ms(now)));
      CW_ASSIGN_OR_RETURN(result->paused, outbox_store::LoadPaused(tx));
      return core::Status::Ok();
    });
    if (!result->status.ok() || !expired) {
      OnChore(*result);
    } else {
      sweep_outstanding_ = true;
      db_.WriteAsync(
          [owner = options_.node_id, now_ms = Ms(now), result](store::Tx& tx) -> core::Status {
            CW_ASSIGN_OR_RETURN(result->count, outbox_store::Reclaim(tx, "", owner, now_ms));
            return core::Status::Ok();
          },
          [mailbox = mailbox_, result](core::Status status) {
            result->status = std::move(status);
            mailbox->Post(std::move(*result));
          });
    }
  }
  if (!prune_outstanding_ && now >= next_prune_) {
    prune_outstanding_ = true;
    next_prune_ = now + options_.prune_interval;
    auto result = std::make_shared<ChoreDone>();
    result->prune = true;
    db_.WriteAsync(
        [cutoff = Ms(now - options_.retention), batch = options_.prune_batch, result](store::Tx& tx) -> core::Status {
          CW_ASSIGN_OR_RETURN(result->count, outbox_store::Prune(tx, cutoff, batch));
          return core::Status::Ok();
        },
        [mailbox = mailbox_, result](core::Status status) {
          result->status = std::move(status);
          mailbox->Post(std::move(*result));
        });
  }
}

void DeliveryLoop::OnChore(ChoreDone& done) {
  if (done.prune) {
    prune_outstanding_ = false;
    if (!done.status.ok()) {
      spdlog::error("outbox: pruning failed: {}", done.status.error().text);
    } else if (done.count > 0) {
      spdlog::debug("outbox: pruned {} delivered messages", done.count);
      if (done.count >= options_.prune_batch) next_prune_ = clock_.Now();  // more to do
    }
    return;
  }
  sweep_outstanding_ = false;
  if (!done.status.ok()) {
    spdlog::error("outbox: lease sweep failed: {}", done.status.error().text);
    return;
  }
  {
    // Another node may have paused or resumed a destination.
    std::lock_guard lock(config_mu_);
    for (auto& [name, s] : destinations_) {
      if (done.pause_version != pause_version_) break;
      bool paused = done.paused.count(name) > 0;
      if (paused != s.paused) {
        s.paused = paused;
        s.want_claim = true;
      }
    }
  }
  if (done.count > 0) {
    spdlog::warn("outbox: reclaimed {} messages whose lease expired", done.count);
    metrics_->CountInterrupted(static_cast<uint64_t>(done.count));
    WantClaimEverywhere();
  }
}

}  // namespace causeway::exchange::internal
