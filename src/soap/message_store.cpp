#include "soap/message_store.h"

#include <algorithm>

#include "soap/message_rows.h"
#include "store/claim.h"

namespace causeway::soap {
namespace internal {

const char kMessageColumns[] =
    "id, service, operation, message_id, message_uuid, queue_key, seq, head, status, user_name, client, language, "
    "soap_version, received_ms, finished_ms, attempts, lease_owner, lease_expires";

StoredMessage MessageFromRow(const store::Row& r) {
  StoredMessage m;
  m.id = r.Int(0);
  m.service = r.String(1);
  m.operation = r.String(2);
  m.message_id = r.String(3);
  m.message_uuid = r.String(4);
  m.queue_key = r.String(5);
  m.seq = r.Int(6);
  m.head = r.Int(7) != 0;
  m.status = MessageStatusFromName(r.Text(8)).value_or(MessageStatus::kReceived);
  m.user = r.String(9);
  m.client = r.String(10);
  m.language = r.String(11);
  m.soap_version = r.String(12);
  m.received_at = core::FromUnixMillis(r.Int(13));
  if (!r.IsNull(14)) m.finished_at = core::FromUnixMillis(r.Int(14));
  m.attempts = static_cast<int>(r.Int(15));
  if (!r.IsNull(16)) m.lease_owner = r.String(16);
  if (!r.IsNull(17)) m.lease_expires = core::FromUnixMillis(r.Int(17));
  return m;
}

core::Error MessageError(core::Code code, const char* number, std::string text, std::initializer_list<std::string> vars) {
  return core::MakeError(code, "CAUSEWAY/SOAP", number, std::move(text), vars);
}

}  // namespace internal

namespace {

using internal::kMessageColumns;
using internal::MessageError;
using internal::MessageFromRow;

core::Status InsertLog(store::Tx& tx, int64_t id, int attempt, int position, int64_t now_ms, const a2x::LogItem& i) {
  return tx.Exec(
      "INSERT INTO soap_message_log (message_id, attempt, position, logged_ms, type_id, severity, sender_id, note) "
      "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
      {id, static_cast<int64_t>(attempt), static_cast<int64_t>(position), now_ms, i.type_id,
       static_cast<int64_t>(i.severity), i.sender_id, i.note});
}

// The messages in line behind `seq` wait for the head in error.
core::Status BlockQueue(store::Tx& tx, const std::string& service, const std::string& queue_key, int64_t seq) {
  CW_RETURN_IF_ERROR(tx.Exec("UPDATE soap_message_queues SET blocked = 1 WHERE service = ? AND queue_key = ?",
                             {service, queue_key}));
  return tx.Exec("UPDATE soap_messages SET status = 'waiting' WHERE service = ? AND queue_key = ? AND seq > ? AND "
                 "status = 'received'",
                 {service, queue_key, seq});
}

core::Status ReadPayload(store::Tx& tx, StoredMessage& m) {
  return tx.Query("SELECT payload FROM soap_message_payloads WHERE message_id = ?", {m.id},
                  [&](const store::Row& r) { m.payload = r.String(0); });
}

core::Error LeaseLost(int64_t id) {
  return MessageError(core::Code::kConflict, "042", "Message &1 is no longer claimed by this node; its processing "
                                                    "run was not saved", {std::to_string(id)});
}

}  // namespace

void MessageStore::Count(const std::string& service, const char* event, int64_t n) {
  std::lock_guard<std::mutex> lock(counters_mu_);
  counters_[{service, event}] += n;
}

std::map<std::pair<std::string, std::string>, int64_t> MessageStore::Counters() const {
  std::lock_guard<std::mutex> lock(counters_mu_);
  return counters_;
}

void MessageStore::StageReceive(store::UnitOfWork& unit, InboundMessage m, std::shared_ptr<ReceiveResult> result) {
  if (!result) result = std::make_shared<ReceiveResult>();
  const std::string service = m.service;
  unit.Add([m = std::move(m), result](store::Tx& tx) -> core::Status {
    *result = ReceiveResult{};
    int64_t seq = 0;
    bool head = true;
    bool blocked = false;
    if (!m.queue_key.empty()) {
      // Also the lock that serialises everything done to this queue.
      int64_t open = 0;
      CW_RETURN_IF_ERROR(tx.Query(
          "INSERT INTO soap_message_queues (service, queue_key, last_seq, open_count, blocked) VALUES (?, ?, 1, 1, 0) "
          "ON CONFLICT (service, queue_key) DO UPDATE SET last_seq = soap_message_queues.last_seq + 1, "
          "open_count = soap_message_queues.open_count + 1 RETURNING last_seq, open_count, blocked",
          {m.service, m.queue_key}, [&](const store::Row& r) {
            seq = r.Int(0);
            open = r.Int(1);
            blocked = r.Int(2) != 0;
          }));
      head = open == 1;
    }
    const MessageStatus status = blocked ? MessageStatus::kWaiting : MessageStatus::kReceived;
    int64_t id = 0;
    CW_RETURN_IF_ERROR(tx.Query(
        "INSERT INTO soap_messages (service, operation, message_key, message_id, message_uuid, queue_key, seq, head, "
        "status, user_name, client, language, soap_version, received_ms, attempts) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 0) ON CONFLICT DO NOTHING RETURNING id",
        {m.service, m.operation, MessageKey(m.message_id, m.message_uuid), m.message_id, m.message_uuid, m.queue_key,
         seq, static_cast<int64_t>(head ? 1 : 0), std::string(MessageStatusName(status)), m.user, m.client,
         m.language, m.soap_version, core::ToUnixMillis(m.received_at)},
        [&](const store::Row& r) { id = r.Int(0); }));
    if (id == 0) {
      // A resend: the seq drawn stays a gap, the message is not in line.
      result->duplicate = true;
      if (!m.queue_key.empty())
        CW_RETURN_IF_ERROR(tx.Exec("UPDATE soap_message_queues SET open_count = open_count - 1 WHERE service = ? AND "
                                   "queue_key = ?",
                                   {m.service, m.queue_key}));
      return core::Status::Ok();
    }
    CW_RETURN_IF_ERROR(
        tx.Exec("INSERT INTO soap_message_payloads (message_id, payload) VALUES (?, ?)", {id, m.payload}));
    result->id = id;
    result->status = status;
    return core::Status::Ok();
  });
  unit.OnCommit([this, service, result] { Count(service, result->duplicate ? "duplicate" : "received"); });
}

const store::ClaimSpec& MessageClaimSpec() {
  static const store::ClaimSpec kSpec = [] {
    store::ClaimSpec s;
    s.table = "soap_messages";
    s.key_columns = {"id"};
    s.ready = "service = ? AND head = 1 AND status = 'received'";
    s.order_by = "id + 0";  // the order of soap_messages_ready and of no other index (0312)
    s.returning = {"id",          "service",      "operation",   "message_id", "message_uuid", "queue_key",
                   "seq",         "head",         "status",      "user_name",  "client",       "language",
                   "soap_version", "received_ms", "finished_ms", "attempts",   "lease_owner",  "lease_expires"};
    s.owner_column = "lease_owner";
    s.expires_column = "lease_expires";
    return s;
  }();
  return kSpec;
}

namespace {

// RETURNING gives no order; processing order across queues is oldest first.
void SortById(std::vector<StoredMessage>& messages) {
  std::sort(messages.begin(), messages.end(), [](const StoredMessage& a, const StoredMessage& b) { return a.id < b.id; });
}

}  // namespace

store::ClaimRequest MessageStore::ClaimRequestFor(std::string_view service, std::string_view owner, int limit,
                                                  core::SystemTime lease_until) const {
  return store::ClaimRequest{.owner = std::string(owner),
                             .lease_until_ms = core::ToUnixMillis(lease_until),
                             .now_ms = core::ToUnixMillis(clock_.Now()),
                             .limit = limit,
                             .ready_params = {std::string(service)}};
}

core::Result<std::vector<StoredMessage>> MessageStore::Claim(std::string_view service, std::string_view owner,
                                                             int limit, core::SystemTime lease_until) {
  std::vector<StoredMessage> out;
  const store::ClaimRequest req = ClaimRequestFor(service, owner, limit, lease_until);
  CW_RETURN_IF_ERROR(db_.Write([&](store::Tx& tx) {
    out.clear();
    return store::Claim(tx, db_.dialect(), MessageClaimSpec(), req,
                        [&](const store::Row& r) { out.push_back(MessageFromRow(r)); });
  }));
  SortById(out);
  CW_RETURN_IF_ERROR(ReadPayloads(out));
  return out;
}

void MessageStore::ClaimAsync(std::string_view service, std::string_view owner, int limit,
                              core::SystemTime lease_until, ClaimDone done) {
  auto out = std::make_shared<std::vector<StoredMessage>>();
  db_.WriteAsync(
      [this, out, req = ClaimRequestFor(service, owner, limit, lease_until)](store::Tx& tx) {
        out->clear();
        return store::Claim(tx, db_.dialect(), MessageClaimSpec(), req,
                            [&](const store::Row& r) { out->push_back(MessageFromRow(r)); });
      },
      [out, done = std::move(done)](core::Status st) {
        if (!st.ok()) return done(st.error());
        SortById(*out);
        done(std::move(*out));
      });
}

core::Status MessageStore::ReadPayloads(std::vector<StoredMessage>& messages) const {
  // From a reader: a claimed message is never purged and its payload never changes, so the
  // single writer spends no time on them.
  if (messages.empty()) return core::Status::Ok();
  return db_.Read([&](store::Tx& tx) -> core::Status {
    for (StoredMessage& m : messages) CW_RETURN_IF_ERROR(ReadPayload(tx, m));
    return core::Status::Ok();
  });
}

core::Result<int64_t> MessageStore::ReleaseLeases(std::string_view owner) {
  int64_t changed = 0;
  CW_RETURN_IF_ERROR(db_.Write([&](store::Tx& tx) {
    return tx.Exec("UPDATE soap_messages SET lease_owner = NULL, lease_expires = NULL WHERE lease_owner = ?",
                   {std::string(owner)}, &changed);
  }));
  return changed;
}

void MessageStore::StageFinish(store::UnitOfWork& unit, const StoredMessage& message, std::string owner,
                               const ProcessingOutcome* outcome) {
  const int64_t now_ms = core::ToUnixMillis(clock_.Now());
  unit.Add([id = message.id, service = message.service, queue_key = message.queue_key, seq = message.seq,
            attempt = message.attempts + 1, owner = std::move(owner), outcome, now_ms](store::Tx& tx) -> core::Status {
    const bool failed = outcome->failed();
    int64_t open = 0;
    if (!queue_key.empty()) {
      // The queue's lock first (as reception and the operator take it).
      CW_RETURN_IF_ERROR(tx.Query(failed ? "UPDATE soap_message_queues SET blocked = 1 WHERE service = ? AND "
                                           "queue_key = ? RETURNING open_count"
                                         : "UPDATE soap_message_queues SET open_count = open_count - 1 WHERE "
                                           "service = ? AND queue_key = ? RETURNING open_count",
                                  {service, queue_key}, [&](const store::Row& r) { open = r.Int(0); }));
    }
    int64_t changed = 0;
    CW_RETURN_IF_ERROR(tx.Exec(
        "UPDATE soap_messages SET status = ?, head = ?, finished_ms = ?, attempts = attempts + 1, lease_owner = NULL, "
        "lease_expires = NULL WHERE id = ? AND lease_owner = ? AND status = 'received'",
        {std::string(failed ? "error" : "processed"), static_cast<int64_t>(failed ? 1 : 0), now_ms, id, owner},
        &changed));
    if (changed != 1) return LeaseLost(id);
    for (size_t i = 0; i < outcome->log.size(); ++i)
      CW_RETURN_IF_ERROR(InsertLog(tx, id, attempt, static_cast<int>(i), now_ms, outcome->log[i]));
    if (queue_key.empty()) return core::Status::Ok();
    if (failed) {
      return tx.Exec("UPDATE soap_messages SET status = 'waiting' WHERE service = ? AND queue_key = ? AND seq > ? AND "
                     "status = 'received'",
                     {service, queue_key, seq});
    }
    if (open == 0) return core::Status::Ok();
    return tx.Exec("UPDATE soap_messages SET head = 1 WHERE id = (SELECT id FROM soap_messages WHERE service = ? AND "
                   "queue_key = ? AND seq > ? AND status IN ('received', 'waiting') ORDER BY seq LIMIT 1)",
                   {service, queue_key, seq});
  });
  unit.OnCommit([this, service = message.service, outcome] { Count(service, outcome->failed() ? "error" : "processed"); });
}

core::Status MessageStore::RecordFailure(const StoredMessage& m, std::string_view owner, const core::Error& error) {
  const int64_t now_ms = core::ToUnixMillis(clock_.Now());
  const a2x::LogItem item = a2x::MakeLogItem(a2x::Severity::kError, "CAUSEWAY/SOAP", "046",
                                             "Technical error; nothing of this processing run was saved: &1", "",
                                             {error.GatewayCode() + " " + error.text});
  bool recorded = false;
  CW_RETURN_IF_ERROR(db_.Write([&](store::Tx& tx) -> core::Status {
    recorded = false;
    if (!m.queue_key.empty())
      CW_RETURN_IF_ERROR(tx.Exec("UPDATE soap_message_queues SET last_seq = last_seq WHERE service = ? AND queue_key = ?",
                                 {m.service, m.queue_key}));
    int64_t changed = 0;
    CW_RETURN_IF_ERROR(tx.Exec(
        "UPDATE soap_messages SET status = 'error', finished_ms = ?, attempts = attempts + 1, lease_owner = NULL, "
        "lease_expires = NULL WHERE id = ? AND lease_owner = ? AND status = 'received'",
        {now_ms, m.id, std::string(owner)}, &changed));
    if (changed != 1) return core::Status::Ok();
    CW_RETURN_IF_ERROR(InsertLog(tx, m.id, m.attempts + 1, 0, now_ms, item));
    if (!m.queue_key.empty()) CW_RETURN_IF_ERROR(BlockQueue(tx, m.service, m.queue_key, m.seq));
    recorded = true;
    return core::Status::Ok();
  }));
  if (recorded) Count(m.service, "error");
  return core::Status::Ok();
}

core::Result<int64_t> MessageStore::Purge(core::SystemTime before, int limit) {
  int64_t deleted = 0;
  CW_RETURN_IF_ERROR(db_.Write([&](store::Tx& tx) -> core::Status {
    deleted = 0;
    std::vector<int64_t> ids;
    CW_RETURN_IF_ERROR(tx.Query("SELECT id FROM soap_messages WHERE status IN ('processed', 'cancelled') AND "
                                "finished_ms < ? ORDER BY id LIMIT ?",
                                {core::ToUnixMillis(before), static_cast<int64_t>(limit)},
                                [&](const store::Row& r) { ids.push_back(r.Int(0)); }));
    for (int64_t id : ids) {
      CW_RETURN_IF_ERROR(tx.Exec("DELETE FROM soap_message_log WHERE message_id = ?", {id}));
      CW_RETURN_IF_ERROR(tx.Exec("DELETE FROM soap_message_payloads WHERE message_id = ?", {id}));
      CW_RETURN_IF_ERROR(tx.Exec("DELETE FROM soap_messages WHERE id = ?", {id}));
    }
    deleted = static_cast<int64_t>(ids.size());
    return core::Status::Ok();
  }));
  return deleted;
}

core::Result<std::optional<StoredMessage>> MessageStore::Find(int64_t id, bool with_payload) const {
  std::optional<StoredMessage> out;
  CW_RETURN_IF_ERROR(db_.Read([&](store::Tx& tx) -> core::Status {
    out.reset();
    CW_RETURN_IF_ERROR(tx.Query(std::string("SELECT ") + kMessageColumns + " FROM soap_messages WHERE id = ?", {id},
                                [&](const store::Row& r) { out = MessageFromRow(r); }));
    if (out && with_payload) return ReadPayload(tx, *out);
    return core::Status::Ok();
  }));
  return out;
}

core::Result<std::vector<StoredLogItem>> MessageStore::Log(int64_t id) const {
  std::vector<StoredLogItem> out;
  CW_RETURN_IF_ERROR(db_.Read([&](store::Tx& tx) {
    out.clear();
    return tx.Query("SELECT attempt, position, logged_ms, type_id, severity, sender_id, note FROM soap_message_log "
                    "WHERE message_id = ? ORDER BY attempt, position",
                    {id}, [&](const store::Row& r) {
                      StoredLogItem s;
                      s.attempt = static_cast<int>(r.Int(0));
                      s.position = static_cast<int>(r.Int(1));
                      s.logged_at = core::FromUnixMillis(r.Int(2));
                      s.item = a2x::LogItem{r.String(3), static_cast<a2x::Severity>(r.Int(4)), r.String(5), r.String(6)};
                      out.push_back(std::move(s));
                    });
  }));
  return out;
}

}  // namespace causeway::soap
