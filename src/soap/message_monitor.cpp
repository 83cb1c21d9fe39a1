#include "soap/message_monitor.h"

#include <algorithm>
#include <charconv>

#include "core/ascii.h"
#include "soap/message_rows.h"

namespace causeway::soap {
namespace {

using internal::kMessageColumns;
using internal::MessageError;
using internal::MessageFromRow;

constexpr char kErrorColumns[] =
    "transaction_id, logged_at, service, operation, user_name, soap_version, category, error_code, detail";

core::Error BadFilter(std::string text) { return MessageError(core::Code::kBadRequest, "048", std::move(text)); }

struct Cursor {
  int64_t ms = 0;
  bool synchronous = false;
  int64_t async_id = 0;
  std::string txid;
};

bool AllDigits(std::string_view s) {
  return !s.empty() && s.size() <= 18 && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

bool IsTransactionId(std::string_view s) {
  return s.size() == 32 && std::all_of(s.begin(), s.end(), [](char c) {
           return (c >= '0' && c <= '9') || (c >= 'A' && c <= 'F');
         });
}

// "<ms>:a:<id>" or "<ms>:s:<transaction id>".
std::optional<Cursor> ParseCursor(std::string_view s) {
  size_t a = s.find(':');
  if (a == std::string_view::npos || a + 3 > s.size() || s[a + 2] != ':') return std::nullopt;
  Cursor c;
  std::string_view ms = s.substr(0, a);
  if (!AllDigits(ms)) return std::nullopt;
  std::from_chars(ms.data(), ms.data() + ms.size(), c.ms);
  std::string_view id = s.substr(a + 3);
  if (s[a + 1] == 'a' && AllDigits(id)) {
    std::from_chars(id.data(), id.data() + id.size(), c.async_id);
    return c;
  }
  if (s[a + 1] == 's' && IsTransactionId(id)) {
    c.synchronous = true;
    c.txid = std::string(id);
    return c;
  }
  return std::nullopt;
}

std::string CursorOf(const MonitorEntry& e) {
  return std::to_string(core::ToUnixMillis(e.time)) + (e.synchronous ? ":s:" : ":a:") + e.id;
}

MonitorEntry FromMessage(const StoredMessage& m, core::SystemTime now) {
  MonitorEntry e;
  e.id = std::to_string(m.id);
  e.time = m.received_at;
  e.service = m.service;
  e.operation = m.operation;
  e.user = m.user;
  e.soap_version = m.soap_version;
  e.status = MessageStatusName(m.status);
  e.message_id = m.message_id;
  e.message_uuid = m.message_uuid;
  e.object_key = m.queue_key;
  e.seq = m.seq;
  e.attempts = m.attempts;
  e.in_process = m.InProcess(now);
  e.finished_at = m.finished_at;
  return e;
}

MonitorEntry FromErrorRow(const store::Row& r) {
  MonitorEntry e;
  e.synchronous = true;
  e.id = r.String(0);
  e.time = core::FromUnixMillis(r.Int(1));
  e.service = r.String(2);
  e.operation = r.String(3);
  e.user = r.String(4);
  e.soap_version = r.String(5);
  e.status = "error";
  e.category = r.String(6);
  e.error_code = r.String(7);
  e.detail = r.String(8);
  return e;
}

// Appends "AND <column> = ?" when `value` is set.
void Where(std::string& sql, std::vector<store::Value>& params, const char* column, const std::string& value) {
  if (value.empty()) return;
  sql += std::string(" AND ") + column + " = ?";
  params.emplace_back(value);
}

void TimeRange(std::string& sql, std::vector<store::Value>& params, const char* column, const MonitorFilter& f) {
  if (f.from) {
    sql += std::string(" AND ") + column + " >= ?";
    params.emplace_back(core::ToUnixMillis(*f.from));
  }
  if (f.to) {
    sql += std::string(" AND ") + column + " < ?";
    params.emplace_back(core::ToUnixMillis(*f.to));
  }
}

}  // namespace

core::Result<MonitorPage> MessageMonitor::List(const MonitorFilter& f) const {
  if (!f.kind.empty() && f.kind != "async" && f.kind != "sync")
    return BadFilter("kind must be async or sync, not '" + f.kind + "'");
  if (!f.status.empty() && !MessageStatusFromName(f.status))
    return BadFilter("status must be received, processed, error, waiting or cancelled, not '" + f.status + "'");
  if (f.limit < 1 || f.limit > 1000) return BadFilter("limit must be 1-1000");
  std::optional<Cursor> cursor;
  if (!f.cursor.empty()) {
    cursor = ParseCursor(f.cursor);
    if (!cursor) return BadFilter("cursor '" + f.cursor + "' was not written by this monitor");
  }
  const bool want_async = f.kind != "sync";
  // Faults have no message ID or business object, and their only status is error.
  const bool want_sync = f.kind != "async" && f.object_key.empty() && f.message_id.empty() &&
                         (f.status.empty() || f.status == "error");
  const int64_t fetch = f.limit + 1;
  const core::SystemTime now = clock_.Now();
  std::vector<MonitorEntry> async, sync;
  CW_RETURN_IF_ERROR(messages_.database().Read([&](store::Tx& tx) -> core::Status {
    async.clear();
    sync.clear();
    if (want_async) {
      std::string sql = std::string("SELECT ") + kMessageColumns + " FROM soap_messages WHERE 1 = 1";
      std::vector<store::Value> params;
      Where(sql, params, "service", f.service);
      Where(sql, params, "operation", f.operation);
      Where(sql, params, "status", f.status);
      Where(sql, params, "user_name", f.user);
      Where(sql, params, "queue_key", f.object_key);
      if (!f.message_id.empty()) {
        sql += " AND (message_id = ? OR LOWER(message_uuid) = ?)";
        params.emplace_back(f.message_id);
        params.emplace_back(core::ToLower(f.message_id));
      }
      TimeRange(sql, params, "received_ms", f);
      if (cursor && cursor->synchronous) {
        // Asynchronous entries of the cursor's millisecond came before it.
        sql += " AND received_ms < ?";
        params.emplace_back(cursor->ms);
      } else if (cursor) {
        sql += " AND (received_ms < ? OR (received_ms = ? AND id < ?))";
        params.insert(params.end(), {cursor->ms, cursor->ms, cursor->async_id});
      }
      sql += " ORDER BY received_ms DESC, id DESC LIMIT ?";
      params.emplace_back(fetch);
      CW_RETURN_IF_ERROR(tx.Query(sql, params, [&](const store::Row& r) {
        async.push_back(FromMessage(MessageFromRow(r), now));
      }));
    }
    if (want_sync) {
      std::string sql = std::string("SELECT ") + kErrorColumns + " FROM soap_error_log WHERE 1 = 1";
      std::vector<store::Value> params;
      Where(sql, params, "service", f.service);
      Where(sql, params, "operation", f.operation);
      Where(sql, params, "user_name", f.user);
      TimeRange(sql, params, "logged_at", f);
      if (cursor && !cursor->synchronous) {
        // Faults of the cursor's millisecond come after its asynchronous entries.
        sql += " AND logged_at <= ?";
        params.emplace_back(cursor->ms);
      } else if (cursor) {
        sql += " AND (logged_at < ? OR (logged_at = ? AND transaction_id < ?))";
        params.insert(params.end(), {cursor->ms, cursor->ms, cursor->txid});
      }
      sql += " ORDER BY logged_at DESC, transaction_id DESC LIMIT ?";
      params.emplace_back(fetch);
      CW_RETURN_IF_ERROR(tx.Query(sql, params, [&](const store::Row& r) { sync.push_back(FromErrorRow(r)); }));
    }
    return core::Status::Ok();
  }));
  MonitorPage page;
  size_t ai = 0, si = 0;
  while (page.entries.size() < static_cast<size_t>(f.limit) && (ai < async.size() || si < sync.size())) {
    bool take_async = si >= sync.size() ||
                      (ai < async.size() && core::ToUnixMillis(async[ai].time) >= core::ToUnixMillis(sync[si].time));
    page.entries.push_back(take_async ? std::move(async[ai++]) : std::move(sync[si++]));
  }
  if (ai < async.size() || si < sync.size()) page.next_cursor = CursorOf(page.entries.back());
  return page;
}

core::Result<std::optional<MonitorEntry>> MessageMonitor::Find(std::string_view id) const {
  if (IsTransactionId(id)) {
    std::optional<MonitorEntry> out;
    CW_RETURN_IF_ERROR(messages_.database().Read([&](store::Tx& tx) {
      out.reset();
      return tx.Query(std::string("SELECT ") + kErrorColumns + " FROM soap_error_log WHERE transaction_id = ?",
                      {std::string(id)}, [&](const store::Row& r) { out = FromErrorRow(r); });
    }));
    return out;
  }
  if (!AllDigits(id)) return std::optional<MonitorEntry>();
  int64_t number = 0;
  std::from_chars(id.data(), id.data() + id.size(), number);
  std::optional<MonitorEntry> out;
  CW_RETURN_IF_ERROR(messages_.database().Read([&](store::Tx& tx) -> core::Status {
    out.reset();
    std::optional<StoredMessage> m;
    CW_RETURN_IF_ERROR(tx.Query(std::string("SELECT ") + kMessageColumns + " FROM soap_messages WHERE id = ?", {number},
                                [&](const store::Row& r) { m = MessageFromRow(r); }));
    if (!m) return core::Status::Ok();
    out = FromMessage(*m, clock_.Now());
    if (m->status == MessageStatus::kWaiting) {
      return tx.Query("SELECT id FROM soap_messages WHERE service = ? AND queue_key = ? AND head = 1",
                      {m->service, m->queue_key}, [&](const store::Row& r) { out->waiting_for = std::to_string(r.Int(0)); });
    }
    return core::Status::Ok();
  }));
  return out;
}

core::Result<std::vector<StatusCount>> MessageMonitor::Counts() const {
  std::vector<StatusCount> out;
  CW_RETURN_IF_ERROR(messages_.database().Read([&](store::Tx& tx) -> core::Status {
    out.clear();
    CW_RETURN_IF_ERROR(tx.Query("SELECT service, status, COUNT(*) FROM soap_messages GROUP BY service, status "
                                "ORDER BY service, status",
                                {}, [&](const store::Row& r) {
                                  out.push_back(StatusCount{r.String(0), false, r.String(1), r.Int(2)});
                                }));
    return tx.Query("SELECT service, COUNT(*) FROM soap_error_log GROUP BY service ORDER BY service", {},
                    [&](const store::Row& r) { out.push_back(StatusCount{r.String(0), true, "error", r.Int(1)}); });
  }));
  return out;
}

std::string MessageMonitor::MetricsText() const {
  std::string out;
  out += "# HELP causeway_soap_messages SOAP messages in the store by service, kind and status (kind sync: "
         "synchronous calls that ended in a fault).\n# TYPE causeway_soap_messages gauge\n";
  if (auto counts = Counts(); counts.ok()) {
    for (const StatusCount& c : *counts)
      out += "causeway_soap_messages{service=\"" + c.service + "\",kind=\"" + (c.synchronous ? "sync" : "async") +
             "\",status=\"" + c.status + "\"} " + std::to_string(c.count) + "\n";
  }
  out += "# HELP causeway_soap_messages_total Asynchronous SOAP messages this process received (duplicate: a "
         "resend stored nothing), processed, ended in error, restarted, cancelled or released.\n"
         "# TYPE causeway_soap_messages_total counter\n";
  for (const auto& [key, n] : messages_.Counters())
    out += "causeway_soap_messages_total{service=\"" + key.first + "\",status=\"" + key.second + "\"} " +
           std::to_string(n) + "\n";
  return out;
}

}  // namespace causeway::soap
