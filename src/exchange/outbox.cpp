#include "exchange/outbox.h"

#include <spdlog/spdlog.h>

#include <set>

#include "core/blocking.h"
#include "exchange/delivery_loop.h"
#include "exchange/outbox_store.h"
#include "store/migration.h"

namespace causeway::exchange {

// Generated from migrations/*.sql by causeway_embed_migrations.

namespace {

constexpr size_t kMaxKeyBytes = 200;
constexpr size_t kMaxPayloadBytes = 16u << 20;

core::Error FieldError(std::string number, std::string field, std::string text) {
  core::Error e = core::MakeError(core::Code::kBadRequest, "CAUSEWAY/EXCHANGE", std::move(number), std::move(text));
  e.target = std::move(field);
  return e;
}

bool HasLineBreakOrNul(std::string_view s) { return s.find_first_of(std::string_view("\r\n\0", 3)) != s.npos; }

bool IsKindName(std::string_view name) {
  if (name.empty() || name.size() > 64) return false;
  for (char c : name) {
    bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '.' ||
              c == '-' || c == ':';
    if (!ok) return false;
  }
  return true;
}

core::Error Stopped() {
  return core::MakeError(core::Code::kUnavailable, "CAUSEWAY/EXCHANGE", "030", "The outbox is stopped");
}

}  // namespace

Outbox::Outbox(store::Database& db, const core::Clock& clock, HttpClient& http, OutboxOptions options)
    : db_(db), clock_(clock), http_(http), options_(std::move(options)), metrics_(std::make_shared<OutboxMetrics>()) {}

Outbox::~Outbox() { Stop(); }

core::Result<std::unique_ptr<Outbox>> Outbox::Open(store::Database& db, const core::Clock& clock, HttpClient& http,
                                                   OutboxOptions options) {
  std::set<std::string> names;
  for (const Destination& d : options.destinations) {
    CW_RETURN_IF_ERROR(ValidateDestination(d));
    if (!names.insert(d.name).second) {
      return FieldError("001", "name", "Destination " + d.name + " is defined twice");
    }
  }
  for (const auto& [name, kind] : options.kinds) {
    if (!IsKindName(name) || !kind) {
      return FieldError("013", "kinds", "Message kind '" + name +
                                            "' needs a name of 1-64 characters A-Z a-z 0-9 _ . - : and a handler");
    }
  }
  if (options.prune_batch < 1 || options.claim_batch < 1 || options.id_block < 1) {
    return FieldError("012", "batch", "The outbox prune_batch, claim_batch and id_block must be at least 1");
  }
  if (options.node_id.empty() || HasLineBreakOrNul(options.node_id)) {
    return FieldError("012", "node_id", "The outbox node_id must be a non-empty line");
  }
  CW_RETURN_IF_ERROR(store::Migrate(db, OutboxMigrations()));
  auto outbox = std::unique_ptr<Outbox>(new Outbox(db, clock, http, std::move(options)));
  CW_RETURN_IF_ERROR(outbox->Start());
  return outbox;
}

core::Status Outbox::Start() {
  std::set<std::string> paused;
  CW_RETURN_IF_ERROR(db_.Read([&](store::Tx& tx) -> core::Status {
    CW_ASSIGN_OR_RETURN(paused, outbox_store::LoadPaused(tx));
    return core::Status::Ok();
  }));
  {
    CW_ASSIGN_OR_RETURN(MessageId first, ReserveIdBlock());
    std::lock_guard lock(ids_->mu);
    ids_->next = first;
    ids_->end = first + options_.id_block;
  }
  int reclaimed = 0;
  const int64_t now_ms = core::ToUnixMillis(clock_.Now());
  CW_RETURN_IF_ERROR(db_.Write([&](store::Tx& tx) -> core::Status {
    CW_ASSIGN_OR_RETURN(reclaimed, outbox_store::Reclaim(tx, options_.node_id, options_.node_id, now_ms));
    return core::Status::Ok();
  }));
  if (reclaimed > 0) {
    spdlog::warn("outbox: {} messages were in flight when the process ended; they are sent again", reclaimed);
    metrics_->CountInterrupted(static_cast<uint64_t>(reclaimed));
  }
  std::vector<internal::DeliveryLoop::DestinationSetup> setups;
  for (const Destination& d : options_.destinations) {
    setups.push_back({std::make_shared<const Destination>(d), paused.count(d.name) > 0});
  }
  loop_ = std::make_unique<internal::DeliveryLoop>(db_, clock_, http_, options_, metrics_, std::move(setups));
  if (options_.deliver_at_open) StartDelivery();
  return core::Status::Ok();
}

void Outbox::StartDelivery() {
  if (stopped_ || delivering_.exchange(true)) return;
  loop_->Start();
}

void Outbox::Stop() {
  if (stopped_.exchange(true)) return;
  if (loop_) loop_->Stop(options_.stop_timeout);
}

core::Result<MessageId> Outbox::Enqueue(store::UnitOfWork& unit, Message m) {
  if (stopped_ || loop_->stopping()) return Stopped();
  if (&unit.database() != &db_) {
    return core::MakeError(core::Code::kInternal, "CAUSEWAY/EXCHANGE", "014",
                           "The unit of work belongs to another database than the outbox");
  }
  if (!loop_->HasDestination(m.destination)) {
    return FieldError("010", "destination", "Unknown outbox destination '" + m.destination + "'");
  }
  auto kind = options_.kinds.find(m.kind);
  if (kind == options_.kinds.end()) return FieldError("011", "kind", "Unknown message kind '" + m.kind + "'");
  if (m.ordering_key.empty() || m.ordering_key.size() > kMaxKeyBytes) {
    return FieldError("012", "ordering_key", "The ordering key must have 1-200 bytes");
  }
  if (m.object_key.size() > kMaxKeyBytes) return FieldError("012", "object_key", "The object key must have at most 200 bytes");
  if (m.payload.size() > kMaxPayloadBytes) return FieldError("012", "payload", "The payload must have at most 16 MiB");
  if (m.idempotency_key.size() > kMaxKeyBytes || HasLineBreakOrNul(m.idempotency_key)) {
    return FieldError("012", "idempotency_key", "The idempotency key must be one line of at most 200 bytes");
  }
  if (m.depends_on.message < 0 || m.depends_on.created_object.size() > kMaxKeyBytes) {
    return FieldError("012", "depends_on", "The dependency must name a message id or an object key of at most 200 bytes");
  }
  CW_ASSIGN_OR_RETURN(const MessageId id, NextId());
  const bool creates = kind->second->creates();
  const core::SystemTime now = clock_.Now();
  const int64_t now_ms = core::ToUnixMillis(now);
  const std::string destination = m.destination;
  if (m.idempotency_key.empty()) m.idempotency_key = "causeway-outbox-" + std::to_string(id);
  // A message without a dependency may be claimed by its own insert when its key is idle: it
  // goes out as soon as the unit is durable, without a claim write of its own.
  std::optional<int64_t> lease;
  if (m.depends_on.empty()) lease = loop_->TryReserve(destination, now);
  auto message = std::make_shared<const Message>(std::move(m));
  auto inserted = std::make_shared<outbox_store::Inserted>();
  unit.Add([message, id, creates, now_ms, inserted, owner = lease ? options_.node_id : std::string(),
            lease_expires_ms = lease.value_or(0)](store::Tx& tx) -> core::Status {
    CW_ASSIGN_OR_RETURN(*inserted, outbox_store::Insert(tx, {.id = id,
                                                             .message = message.get(),
                                                             .creates = creates,
                                                             .now_ms = now_ms,
                                                             .claim_owner = owner,
                                                             .lease_expires_ms = lease_expires_ms}));
    return core::Status::Ok();
  });
  if (!lease) {
    unit.OnCommit(loop_->WakeLater(destination));
    return id;
  }
  auto done = loop_->ReservationDone(destination);
  unit.OnCommit([done, message, inserted, id, creates, now_ms] {
    if (!inserted->claimed) {
      done(std::nullopt);
      return;
    }
    outbox_store::ClaimedMessage c;
    c.id = id;
    c.destination = message->destination;
    c.kind = message->kind;
    c.ordering_key = message->ordering_key;
    c.object_key = message->object_key;
    c.payload = message->payload;
    c.idempotency_key = message->idempotency_key;
    c.seq = inserted->seq;
    c.creates = creates;
    c.attempts = 1;
    c.first_attempt_ms = now_ms;
    done(std::move(c));
  });
  unit.OnRollback([done] { done(std::nullopt); });
  return id;
}

core::Result<MessageId> Outbox::ReserveIdBlock() {
  MessageId first = 0;
  CW_RETURN_IF_ERROR(db_.Write([&](store::Tx& tx) -> core::Status {
    CW_ASSIGN_OR_RETURN(first, outbox_store::ReserveIds(tx, options_.id_block));
    return core::Status::Ok();
  }));
  return first;
}

core::Result<MessageId> Outbox::NextId() {
  // ids_->mu is never held while waiting for the store: the background reservation's callback
  // takes it on a store thread, which a waiting holder would keep from ever finishing.
  for (;;) {
    bool reserve_in_background = false;
    std::optional<MessageId> id;
    {
      std::lock_guard lock(ids_->mu);
      Ids& ids = *ids_;
      if (ids.next >= ids.end && ids.spare != 0) {
        ids.next = ids.spare;
        ids.end = ids.spare + options_.id_block;
        ids.spare = 0;
      }
      if (ids.next < ids.end) {
        id = ids.next++;
        if (!ids.reserving && ids.spare == 0 && ids.end - ids.next <= options_.id_block / 2) {
          ids.reserving = true;
          reserve_in_background = true;
        }
      }
    }
    if (reserve_in_background) {
      // A write of its own, committed whatever happens to the units the ids go into (unused ids
      // are gaps). The callback runs on a store thread and may outlive this outbox.
      auto first = std::make_shared<MessageId>(0);
      db_.WriteAsync(
          [first, count = options_.id_block](store::Tx& tx) -> core::Status {
            CW_ASSIGN_OR_RETURN(*first, outbox_store::ReserveIds(tx, count));
            return core::Status::Ok();
          },
          [state = ids_, first](core::Status st) {
            std::lock_guard done_lock(state->mu);
            state->reserving = false;
            if (st.ok()) state->spare = *first;
            else spdlog::warn("outbox: reserving message ids failed: {}", st.error().text);
          });
    }
    if (id) return *id;
    // Ids ran out before the background reserve came back: take a block now, unlocked (on a
    // worker: an I/O thread hands the request over instead of waiting, core/blocking.h).
    if (!core::MayBlock()) return core::WouldBlock();
    CW_ASSIGN_OR_RETURN(MessageId first, ReserveIdBlock());
    std::lock_guard lock(ids_->mu);
    Ids& ids = *ids_;
    if (ids.next >= ids.end) {
      ids.next = first;
      ids.end = first + options_.id_block;
    } else if (ids.spare == 0) {
      ids.spare = first;
    }  // else another thread refilled meanwhile: this block stays unused (a gap)
  }
}

core::Result<MessageId> Outbox::Enqueue(Message message) {
  MessageId id = 0;
  CW_RETURN_IF_ERROR(store::Transact(db_, [&](store::UnitOfWork& unit) -> core::Status {
    CW_ASSIGN_OR_RETURN(id, Enqueue(unit, std::move(message)));
    return core::Status::Ok();
  }));
  return id;
}

core::Result<MessagePage> Outbox::List(const MessageFilter& filter) const {
  MessagePage page;
  CW_RETURN_IF_ERROR(db_.Read([&](store::Tx& tx) -> core::Status {
    CW_ASSIGN_OR_RETURN(page, outbox_store::List(tx, filter));
    return core::Status::Ok();
  }));
  return page;
}

core::Result<MessageDetail> Outbox::Get(MessageId id) const {
  MessageDetail detail;
  CW_RETURN_IF_ERROR(db_.Read([&](store::Tx& tx) -> core::Status {
    CW_ASSIGN_OR_RETURN(detail, outbox_store::Get(tx, id));
    return core::Status::Ok();
  }));
  return detail;
}

core::Status Outbox::Retry(MessageId id) {
  const int64_t now_ms = core::ToUnixMillis(clock_.Now());
  CW_RETURN_IF_ERROR(db_.Write([&](store::Tx& tx) { return outbox_store::Retry(tx, id, now_ms); }));
  spdlog::info("outbox: message {} retried by an operator", id);
  loop_->Wake("");
  loop_->NotifyProgress();
  return core::Status::Ok();
}

core::Status Outbox::Skip(MessageId id) {
  const int64_t now_ms = core::ToUnixMillis(clock_.Now());
  CW_RETURN_IF_ERROR(db_.Write([&](store::Tx& tx) { return outbox_store::Skip(tx, id, now_ms); }));
  spdlog::info("outbox: message {} skipped by an operator", id);
  loop_->Wake("");
  loop_->NotifyProgress();
  return core::Status::Ok();
}

core::Error Outbox::DestinationNotFound(std::string_view name) const {
  core::Error e = core::MakeError(core::Code::kNotFound, "CAUSEWAY/EXCHANGE", "022", "No outbox destination '&1'",
                                  {std::string(name)});
  e.target = "destination";
  return e;
}

core::Status Outbox::Pause(std::string_view destination) {
  if (!loop_->HasDestination(destination)) return DestinationNotFound(destination);
  const int64_t now_ms = core::ToUnixMillis(clock_.Now());
  CW_RETURN_IF_ERROR(
      db_.Write([&](store::Tx& tx) { return outbox_store::SetPaused(tx, destination, true, now_ms); }));
  if (!loop_->SetPaused(destination, true)) return DestinationNotFound(destination);
  spdlog::info("outbox: destination {} paused", destination);
  loop_->NotifyProgress();
  return core::Status::Ok();
}

core::Status Outbox::Resume(std::string_view destination) {
  if (!loop_->HasDestination(destination)) return DestinationNotFound(destination);
  const int64_t now_ms = core::ToUnixMillis(clock_.Now());
  CW_RETURN_IF_ERROR(
      db_.Write([&](store::Tx& tx) { return outbox_store::SetPaused(tx, destination, false, now_ms); }));
  if (!loop_->SetPaused(destination, false)) return DestinationNotFound(destination);
  spdlog::info("outbox: destination {} resumed", destination);
  loop_->NotifyProgress();
  return core::Status::Ok();
}

core::Status Outbox::SetDestination(Destination destination) {
  CW_RETURN_IF_ERROR(ValidateDestination(destination));
  spdlog::info("outbox: destination {} set to {}", destination.name, destination.base_url);
  loop_->SetDestination(std::make_shared<const Destination>(std::move(destination)));
  return core::Status::Ok();
}

core::Status Outbox::RemoveDestination(std::string_view name) {
  if (!loop_->RemoveDestination(name)) return DestinationNotFound(name);
  spdlog::info("outbox: destination {} removed", name);
  return core::Status::Ok();
}

std::vector<DestinationInfo> Outbox::Destinations() const { return loop_->Destinations(); }

core::Status Outbox::ForgetObject(store::UnitOfWork& unit, std::string_view destination, std::string_view object_key) {
  if (&unit.database() != &db_) {
    return core::MakeError(core::Code::kInternal, "CAUSEWAY/EXCHANGE", "014",
                           "The unit of work belongs to another database than the outbox");
  }
  unit.Add([destination = std::string(destination), object_key = std::string(object_key)](store::Tx& tx) {
    return outbox_store::ForgetObject(tx, destination, object_key);
  });
  return core::Status::Ok();
}

core::Result<std::optional<std::string>> Outbox::ObjectResult(std::string_view destination,
                                                              std::string_view object_key) const {
  std::optional<std::string> out;
  CW_RETURN_IF_ERROR(db_.Read([&](store::Tx& tx) -> core::Status {
    CW_ASSIGN_OR_RETURN(out, outbox_store::ObjectResult(tx, destination, object_key));
    return core::Status::Ok();
  }));
  return out;
}

core::Result<std::vector<QueueDepth>> Outbox::Depths() const {
  std::vector<outbox_store::DepthRow> rows;
  CW_RETURN_IF_ERROR(db_.Read([&](store::Tx& tx) -> core::Status {
    CW_ASSIGN_OR_RETURN(rows, outbox_store::Depths(tx));
    return core::Status::Ok();
  }));
  std::map<std::string, QueueDepth> by_name;
  for (const std::string& name : loop_->DestinationNames()) by_name[name].destination = name;
  for (const auto& r : rows) {
    QueueDepth& q = by_name[r.destination];
    q.destination = r.destination;
    switch (r.state) {
      case MessageState::kPending: q.pending = r.count; break;
      case MessageState::kInFlight: q.in_flight = r.count; break;
      case MessageState::kFailed: q.failed = r.count; break;
      default: break;
    }
    core::SystemTime created = core::FromUnixMillis(r.oldest_created_ms);
    if (!q.oldest_created || created < *q.oldest_created) q.oldest_created = created;
  }
  std::vector<QueueDepth> out;
  for (auto& [name, q] : by_name) out.push_back(std::move(q));
  return out;
}

core::Result<int> Outbox::PruneNow() {
  const int64_t cutoff = core::ToUnixMillis(clock_.Now() - options_.retention);
  int total = 0;
  for (;;) {
    int pruned = 0;
    CW_RETURN_IF_ERROR(db_.Write([&](store::Tx& tx) -> core::Status {
      CW_ASSIGN_OR_RETURN(pruned, outbox_store::Prune(tx, cutoff, options_.prune_batch));
      return core::Status::Ok();
    }));
    total += pruned;
    if (pruned < options_.prune_batch) break;
  }
  loop_->NotifyProgress();
  return total;
}

bool Outbox::WaitUntil(const std::function<bool()>& condition, std::chrono::milliseconds timeout) const {
  return loop_->WaitUntil(condition, timeout);
}

}  // namespace causeway::exchange
