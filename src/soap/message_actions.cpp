// The operator's actions on stored messages (MessageStore::Restart, Cancel, Release); the rules
// are in message_store.h.
#include "soap/message_rows.h"
#include "soap/message_store.h"

namespace causeway::soap {
namespace {

using internal::kMessageColumns;
using internal::MessageError;
using internal::MessageFromRow;

core::Result<std::optional<StoredMessage>> Load(store::Tx& tx, int64_t id) {
  std::optional<StoredMessage> out;
  CW_RETURN_IF_ERROR(tx.Query(std::string("SELECT ") + kMessageColumns + " FROM soap_messages WHERE id = ?", {id},
                              [&](const store::Row& r) { out = MessageFromRow(r); }));
  return out;
}

// Loads the message and takes its queue's lock, then loads it again: what it is now, with
// nothing else able to change its queue until the transaction ends.
core::Result<StoredMessage> LoadLocked(store::Tx& tx, int64_t id) {
  CW_ASSIGN_OR_RETURN(auto first, Load(tx, id));
  if (!first) return MessageError(core::Code::kNotFound, "040", "Message &1 does not exist", {std::to_string(id)});
  if (first->queue_key.empty()) return *first;
  CW_RETURN_IF_ERROR(tx.Exec("UPDATE soap_message_queues SET last_seq = last_seq WHERE service = ? AND queue_key = ?",
                             {first->service, first->queue_key}));
  CW_ASSIGN_OR_RETURN(auto again, Load(tx, id));
  if (!again) return MessageError(core::Code::kNotFound, "040", "Message &1 does not exist", {std::to_string(id)});
  return *again;
}

core::Error WrongStatus(const StoredMessage& m, const char* action, const char* needs) {
  return MessageError(core::Code::kConflict, "041", "Message &1 is &2; &3 needs &4",
                      {std::to_string(m.id), MessageStatusName(m.status), action, needs});
}

core::Status LogAction(store::Tx& tx, const StoredMessage& m, int64_t now_ms, const char* number, const char* text,
                       std::string_view user) {
  int64_t position = 0;
  CW_RETURN_IF_ERROR(tx.Query("SELECT COALESCE(MAX(position), -1) + 1 FROM soap_message_log WHERE message_id = ? AND "
                              "attempt = ?",
                              {m.id, static_cast<int64_t>(m.attempts)}, [&](const store::Row& r) { position = r.Int(0); }));
  a2x::LogItem item = a2x::MakeLogItem(a2x::Severity::kInfo, "CAUSEWAY/SOAP", number, text, "", {std::string(user)});
  return tx.Exec(
      "INSERT INTO soap_message_log (message_id, attempt, position, logged_ms, type_id, severity, sender_id, note) "
      "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
      {m.id, static_cast<int64_t>(m.attempts), position, now_ms, item.type_id, static_cast<int64_t>(item.severity),
       item.sender_id, item.note});
}

core::Status UnblockWaiting(store::Tx& tx, const StoredMessage& m) {
  return tx.Exec("UPDATE soap_messages SET status = 'received' WHERE service = ? AND queue_key = ? AND status = 'waiting'",
                 {m.service, m.queue_key});
}

core::Status PassHead(store::Tx& tx, const StoredMessage& m) {
  return tx.Exec("UPDATE soap_messages SET head = 1 WHERE id = (SELECT id FROM soap_messages WHERE service = ? AND "
                 "queue_key = ? AND seq > ? AND status IN ('received', 'waiting') ORDER BY seq LIMIT 1)",
                 {m.service, m.queue_key, m.seq});
}

// Runs `action` on the locked message and returns the message as it is afterwards.
core::Result<StoredMessage> RunAction(store::Database& db, int64_t id,
                                      const std::function<core::Status(store::Tx&, const StoredMessage&)>& action) {
  StoredMessage after;
  CW_RETURN_IF_ERROR(db.Write([&](store::Tx& tx) -> core::Status {
    CW_ASSIGN_OR_RETURN(StoredMessage m, LoadLocked(tx, id));
    CW_RETURN_IF_ERROR(action(tx, m));
    CW_ASSIGN_OR_RETURN(auto reloaded, Load(tx, id));
    after = reloaded.value_or(m);
    return core::Status::Ok();
  }));
  return after;
}

}  // namespace

core::Result<StoredMessage> MessageStore::Restart(int64_t id, std::string_view user) {
  const int64_t now_ms = core::ToUnixMillis(clock_.Now());
  auto r = RunAction(db_, id, [&](store::Tx& tx, const StoredMessage& m) -> core::Status {
    if (m.status != MessageStatus::kError) return WrongStatus(m, "a restart", "status error");
    if (m.queue_key.empty() || m.head) {
      // In line (or a queue of its own): it stays head; what waited behind it is back in line.
      CW_RETURN_IF_ERROR(tx.Exec("UPDATE soap_messages SET status = 'received', head = 1 WHERE id = ?", {m.id}));
      if (!m.queue_key.empty()) {
        CW_RETURN_IF_ERROR(tx.Exec("UPDATE soap_message_queues SET blocked = 0 WHERE service = ? AND queue_key = ?",
                                   {m.service, m.queue_key}));
        CW_RETURN_IF_ERROR(UnblockWaiting(tx, m));
      }
    } else {
      // Released earlier: it joins the end of its queue.
      int64_t seq = 0, open = 0;
      bool blocked = false;
      CW_RETURN_IF_ERROR(tx.Query("UPDATE soap_message_queues SET last_seq = last_seq + 1, open_count = open_count + 1 "
                                  "WHERE service = ? AND queue_key = ? RETURNING last_seq, open_count, blocked",
                                  {m.service, m.queue_key}, [&](const store::Row& row) {
                                    seq = row.Int(0);
                                    open = row.Int(1);
                                    blocked = row.Int(2) != 0;
                                  }));
      CW_RETURN_IF_ERROR(tx.Exec("UPDATE soap_messages SET seq = ?, head = ?, status = ? WHERE id = ?",
                                 {seq, static_cast<int64_t>(open == 1 ? 1 : 0),
                                  std::string(blocked ? "waiting" : "received"), m.id}));
    }
    return LogAction(tx, m, now_ms, "043", "Restarted by &1", user);
  });
  if (r.ok()) Count(r->service, "restarted");
  return r;
}

core::Result<StoredMessage> MessageStore::Cancel(int64_t id, std::string_view user) {
  const core::SystemTime now = clock_.Now();
  const int64_t now_ms = core::ToUnixMillis(now);
  auto r = RunAction(db_, id, [&](store::Tx& tx, const StoredMessage& m) -> core::Status {
    const bool allowed = m.status == MessageStatus::kError || m.status == MessageStatus::kWaiting ||
                         (m.status == MessageStatus::kReceived && !m.InProcess(now));
    if (!allowed) {
      return m.InProcess(now) ? MessageError(core::Code::kConflict, "041", "Message &1 is being processed; it cannot be "
                                                                           "cancelled now", {std::to_string(m.id)})
                              : WrongStatus(m, "cancelling", "status error, waiting or received");
    }
    const bool in_line = m.head || m.status == MessageStatus::kReceived || m.status == MessageStatus::kWaiting;
    CW_RETURN_IF_ERROR(tx.Exec("UPDATE soap_messages SET status = 'cancelled', head = 0, finished_ms = ?, "
                               "lease_owner = NULL, lease_expires = NULL WHERE id = ?",
                               {now_ms, m.id}));
    if (!m.queue_key.empty() && in_line) {
      int64_t open = 0;
      CW_RETURN_IF_ERROR(tx.Query(m.head ? "UPDATE soap_message_queues SET open_count = open_count - 1, blocked = 0 "
                                           "WHERE service = ? AND queue_key = ? RETURNING open_count"
                                         : "UPDATE soap_message_queues SET open_count = open_count - 1 WHERE "
                                           "service = ? AND queue_key = ? RETURNING open_count",
                                  {m.service, m.queue_key}, [&](const store::Row& row) { open = row.Int(0); }));
      if (m.head) {
        CW_RETURN_IF_ERROR(UnblockWaiting(tx, m));
        if (open > 0) CW_RETURN_IF_ERROR(PassHead(tx, m));
      }
    }
    return LogAction(tx, m, now_ms, "044", "Cancelled by &1", user);
  });
  if (r.ok()) Count(r->service, "cancelled");
  return r;
}

core::Result<StoredMessage> MessageStore::Release(int64_t id, std::string_view user) {
  const int64_t now_ms = core::ToUnixMillis(clock_.Now());
  int64_t released_id = id;
  auto r = RunAction(db_, id, [&](store::Tx& tx, const StoredMessage& asked) -> core::Status {
    StoredMessage m = asked;
    if (m.status == MessageStatus::kWaiting) {
      // A waiting message names its queue: release that queue's head.
      std::optional<StoredMessage> head;
      CW_RETURN_IF_ERROR(tx.Query(std::string("SELECT ") + kMessageColumns +
                                      " FROM soap_messages WHERE service = ? AND queue_key = ? AND head = 1",
                                  {m.service, m.queue_key}, [&](const store::Row& row) { head = MessageFromRow(row); }));
      if (!head) return WrongStatus(m, "a release", "an error message at the head of its queue");
      m = *head;
    }
    if (m.status != MessageStatus::kError || !m.head || m.queue_key.empty())
      return WrongStatus(m, "a release", "an error message at the head of its queue (or a message waiting behind one)");
    released_id = m.id;
    CW_RETURN_IF_ERROR(tx.Exec("UPDATE soap_messages SET head = 0 WHERE id = ?", {m.id}));
    int64_t open = 0;
    CW_RETURN_IF_ERROR(tx.Query("UPDATE soap_message_queues SET open_count = open_count - 1, blocked = 0 WHERE "
                                "service = ? AND queue_key = ? RETURNING open_count",
                                {m.service, m.queue_key}, [&](const store::Row& row) { open = row.Int(0); }));
    CW_RETURN_IF_ERROR(UnblockWaiting(tx, m));
    if (open > 0) CW_RETURN_IF_ERROR(PassHead(tx, m));
    return LogAction(tx, m, now_ms, "045", "Released by &1: the messages behind it are processed without it", user);
  });
  if (!r.ok()) return r;
  Count(r->service, "released");
  if (released_id == id) return r;
  CW_ASSIGN_OR_RETURN(auto released, Find(released_id, false));
  if (!released) return r;
  return *released;
}

}  // namespace causeway::soap
