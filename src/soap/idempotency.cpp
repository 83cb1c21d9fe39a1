#include "soap/idempotency.h"

#include <spdlog/spdlog.h>

#include "core/ascii.h"

namespace causeway::soap {
namespace {

constexpr int64_t kPurgeIntervalMs = 60'000;

core::Error IdpError(const char* number, std::string text) {
  return core::MakeError(core::Code::kConflict, "CAUSEWAY/SOAP", number, std::move(text));
}

}  // namespace

IdempotencyStore::IdempotencyStore(store::Database& db, const core::Clock& clock, IdempotencyOptions options)
    : db_(db), clock_(clock), options_(options) {}

core::Result<std::optional<IdempotencyStore::Stored>> IdempotencyStore::Load(const std::string& service,
                                                                             const std::string& uuid) const {
  std::optional<Stored> out;
  CW_RETURN_IF_ERROR(db_.Read([&](store::Tx& tx) {
    return tx.Query(
        "SELECT operation, request_hash, response, response_expires, id_expires FROM soap_idempotency "
        "WHERE service = ? AND message_uuid = ?",
        {service, uuid}, [&](const store::Row& r) {
          Stored s{r.String(0), r.String(1), std::nullopt, r.Int(3), r.Int(4)};
          if (!r.IsNull(2)) s.response = r.String(2);
          out = std::move(s);
        });
  }));
  return out;
}

bool IdempotencyStore::PurgeDue(int64_t now_ms) {
  int64_t due = next_purge_ms_.load(std::memory_order_relaxed);
  return now_ms >= due && next_purge_ms_.compare_exchange_strong(due, now_ms + kPurgeIntervalMs, std::memory_order_relaxed);
}

core::Status IdempotencyStore::MaybePurge(store::Tx& tx, int64_t now_ms, bool purge) {
  if (!purge) return core::Status::Ok();
  CW_RETURN_IF_ERROR(tx.Exec("DELETE FROM soap_idempotency WHERE id_expires < ?", {now_ms}));
  return tx.Exec("UPDATE soap_idempotency SET response = NULL WHERE response IS NOT NULL AND response_expires < ?",
                 {now_ms});
}

core::Status IdempotencyStore::Save(const std::string& service, const std::string& uuid, std::string_view operation,
                                    std::string_view digest, const std::string& response) {
  const int64_t now = core::ToUnixMillis(clock_.Now());
  const int64_t response_expires = now + options_.response_retention.count() * 1000;
  const int64_t id_expires = now + std::max(options_.id_retention, options_.response_retention).count() * 1000;
  const bool purge = PurgeDue(now);
  return db_.Write([&](store::Tx& tx) -> core::Status {
    CW_RETURN_IF_ERROR(MaybePurge(tx, now, purge));
    return tx.Exec(
        "INSERT INTO soap_idempotency (service, message_uuid, operation, request_hash, response, created_at, "
        "response_expires, id_expires) VALUES (?, ?, ?, ?, ?, ?, ?, ?) "
        "ON CONFLICT (service, message_uuid) DO UPDATE SET operation = excluded.operation, "
        "request_hash = excluded.request_hash, response = excluded.response, created_at = excluded.created_at, "
        "response_expires = excluded.response_expires, id_expires = excluded.id_expires",
        {service, uuid, std::string(operation), std::string(digest), response, now, response_expires, id_expires});
  });
}

IdempotencyStore::Claim IdempotencyStore::Repeat(const std::string& uuid, std::string_view operation,
                                                 std::string_view request_digest, Stored stored, int64_t now_ms) {
  Claim c;
  if (stored.operation != operation || stored.digest != request_digest)
    c.refusal =
        IdpError("030", "Message " + DescribeKey(uuid) + " was already used for a different request (operation " +
                            stored.operation + "); a repeated message must be identical");
  else if (!stored.response || stored.response_expires < now_ms)
    c.refusal =
        IdpError("031", "The response to message " + DescribeKey(uuid) +
                            " is no longer kept, but the message ID is still registered; send a new message UUID");
  else
    c.replay = std::move(*stored.response);
  return c;
}

core::Result<IdempotencyStore::Claim> IdempotencyStore::ClaimIn(store::Tx& tx, std::string_view service_name,
                                                                std::string_view uuid_text, std::string_view operation,
                                                                std::string_view request_digest) {
  const std::string service(service_name);
  const std::string uuid = core::ToLower(core::Trim(uuid_text));
  const int64_t now = core::ToUnixMillis(clock_.Now());
  const int64_t response_expires = now + options_.response_retention.count() * 1000;
  const int64_t id_expires = now + std::max(options_.id_retention, options_.response_retention).count() * 1000;
  CW_RETURN_IF_ERROR(MaybePurge(tx, now, PurgeDue(now)));
  // An entry whose ID window has passed is taken over like a new one.
  int64_t claimed = 0;
  CW_RETURN_IF_ERROR(tx.Exec(
      "INSERT INTO soap_idempotency (service, message_uuid, operation, request_hash, response, created_at, "
      "response_expires, id_expires) VALUES (?, ?, ?, ?, NULL, ?, ?, ?) "
      "ON CONFLICT (service, message_uuid) DO UPDATE SET operation = excluded.operation, "
      "request_hash = excluded.request_hash, response = NULL, created_at = excluded.created_at, "
      "response_expires = excluded.response_expires, id_expires = excluded.id_expires "
      "WHERE soap_idempotency.id_expires < excluded.created_at",
      {service, uuid, std::string(operation), std::string(request_digest), now, response_expires, id_expires},
      &claimed));
  if (claimed == 1) return Claim{};
  std::optional<Stored> stored;
  CW_RETURN_IF_ERROR(tx.Query(
      "SELECT operation, request_hash, response, response_expires, id_expires FROM soap_idempotency "
      "WHERE service = ? AND message_uuid = ?",
      {service, uuid}, [&](const store::Row& r) {
        Stored s{r.String(0), r.String(1), std::nullopt, r.Int(3), r.Int(4)};
        if (!r.IsNull(2)) s.response = r.String(2);
        stored = std::move(s);
      }));
  if (!stored)  // cannot happen: the INSERT found it
    return core::MakeError(core::Code::kInternal, "CAUSEWAY/SOAP", "032", "Message " + DescribeKey(uuid) + " vanished");
  return Repeat(uuid, operation, request_digest, std::move(*stored), now);
}

core::Status IdempotencyStore::StoreResponse(store::Tx& tx, std::string_view service, std::string_view uuid,
                                      const std::string& response) {
  return tx.Exec("UPDATE soap_idempotency SET response = ? WHERE service = ? AND message_uuid = ?",
                 {response, std::string(service), core::ToLower(core::Trim(uuid))});
}

core::Result<IdempotencyStore::Answer> IdempotencyStore::Run(
    std::string_view service_name, std::string_view uuid_text, std::string_view operation,
    std::string_view request_digest, const std::function<core::Result<std::string>()>& process) {
  const std::string service(service_name);
  const std::string uuid = core::ToLower(core::Trim(uuid_text));
  const std::string key = service + '\n' + uuid;

  // Become the one request that handles this key, or wait for the one that does.
  std::shared_ptr<Flight> flight;
  for (;;) {
    std::shared_ptr<Flight> running;
    {
      std::lock_guard lock(flights_mu_);
      auto& slot = flights_[key];
      if (!slot) {
        slot = std::make_shared<Flight>();
        flight = slot;
      } else {
        running = slot;
      }
    }
    if (flight) break;
    std::unique_lock lock(running->mu);
    running->cv.wait(lock, [&] { return running->done; });
  }
  struct Land {
    IdempotencyStore* self;
    const std::string& key;
    Flight& flight;
    ~Land() {
      {
        std::lock_guard lock(self->flights_mu_);
        self->flights_.erase(key);
      }
      {
        std::lock_guard lock(flight.mu);
        flight.done = true;
      }
      flight.cv.notify_all();
    }
  } land{this, key, *flight};

  CW_ASSIGN_OR_RETURN(std::optional<Stored> stored, Load(service, uuid));
  const int64_t now = core::ToUnixMillis(clock_.Now());
  if (stored && stored->id_expires >= now) {
    Claim repeat = Repeat(uuid, operation, request_digest, std::move(*stored), now);
    if (repeat.refusal) return std::move(*repeat.refusal);
    return Answer{std::move(*repeat.replay), true};
  }
  CW_ASSIGN_OR_RETURN(std::string payload, process());
  if (core::Status st = Save(service, uuid, operation, request_digest, payload); !st.ok()) {
    // The business changes are committed; a repeat will be processed again.
    spdlog::error("idempotency: response to {} {} not stored: {}", service, uuid, st.error().text);
  }
  return Answer{std::move(payload), false};
}

}  // namespace causeway::soap
