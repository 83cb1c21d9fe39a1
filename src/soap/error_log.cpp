#include "soap/error_log.h"

#include <spdlog/spdlog.h>

namespace causeway::soap {
namespace {

constexpr int64_t kErrorLogPurgeIntervalMs = 60'000;
constexpr char kColumns[] =
    "transaction_id, logged_at, service, operation, user_name, soap_version, category, error_code, detail";

ErrorLogEntry FromRow(const store::Row& r) {
  return ErrorLogEntry{r.String(0), core::FromUnixMillis(r.Int(1)), r.String(2), r.String(3), r.String(4),
                       r.String(5), r.String(6), r.String(7), r.String(8)};
}

}  // namespace

ErrorLog::ErrorLog(store::Database& db, ErrorLogOptions options, std::string service)
    : db_(db), purging_(std::make_shared<Purging>()) {
  purging_->options = options;
  purging_->service = std::move(service);
}

core::Status ErrorLog::Insert(store::Tx& tx, const ErrorLogEntry& e) { return InsertAndPurge(tx, e, *purging_); }

core::Status ErrorLog::InsertAndPurge(store::Tx& tx, const ErrorLogEntry& e, Purging& p) {
  static const std::string kInsert = std::string("INSERT INTO soap_error_log (") + kColumns + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)";
  CW_RETURN_IF_ERROR(tx.Exec(kInsert, {e.transaction_id, core::ToUnixMillis(e.logged_at), e.service, e.operation,
                                       e.user, e.soap_version, e.category, e.error_code, e.detail}));
  const int64_t now_ms = core::ToUnixMillis(e.logged_at);
  int64_t due = p.next_ms.load(std::memory_order_relaxed);
  if (now_ms < due ||
      !p.next_ms.compare_exchange_strong(due, now_ms + kErrorLogPurgeIntervalMs, std::memory_order_relaxed))
    return core::Status::Ok();
  // This service's entries older than the retention, then its oldest beyond max_entries (the
  // newest stay, and any logged at the same millisecond as the last of them).
  CW_RETURN_IF_ERROR(tx.Exec("DELETE FROM soap_error_log WHERE service = ? AND logged_at < ?",
                             {p.service, core::ToUnixMillis(e.logged_at - p.options.retention)}));
  return tx.Exec(
      "DELETE FROM soap_error_log WHERE service = ? AND logged_at < (SELECT logged_at FROM soap_error_log "
      "WHERE service = ? ORDER BY logged_at DESC LIMIT 1 OFFSET ?)",
      {p.service, p.service, p.options.max_entries - 1});
}

core::Status ErrorLog::Record(const ErrorLogEntry& e) {
  return db_.Write([&](store::Tx& tx) { return Insert(tx, e); });
}

std::shared_ptr<core::Completion> ErrorLog::RecordAsync(ErrorLogEntry e) {
  auto entry = std::make_shared<ErrorLogEntry>(std::move(e));
  auto written = std::make_shared<core::Completion>();
  db_.WriteAsync([purging = purging_, entry](store::Tx& tx) { return InsertAndPurge(tx, *entry, *purging); },
                 [entry, written](core::Status st) {
                   if (!st.ok())
                     spdlog::error("soap: error log entry {} not written: {}", entry->transaction_id, st.error().text);
                   written->Complete(std::move(st));
                 });
  return written;
}

core::Result<std::optional<ErrorLogEntry>> ErrorLog::Find(std::string_view transaction_id) const {
  std::optional<ErrorLogEntry> out;
  CW_RETURN_IF_ERROR(db_.Read([&](store::Tx& tx) {
    return tx.Query(std::string("SELECT ") + kColumns + " FROM soap_error_log WHERE transaction_id = ?",
                    {std::string(transaction_id)}, [&](const store::Row& r) { out = FromRow(r); });
  }));
  return out;
}

core::Result<std::vector<ErrorLogEntry>> ErrorLog::Recent(size_t limit) const {
  std::vector<ErrorLogEntry> out;
  CW_RETURN_IF_ERROR(db_.Read([&](store::Tx& tx) {
    return tx.Query(std::string("SELECT ") + kColumns + " FROM soap_error_log ORDER BY logged_at DESC, transaction_id LIMIT ?",
                    {static_cast<int64_t>(limit)}, [&](const store::Row& r) { out.push_back(FromRow(r)); });
  }));
  return out;
}

core::Result<int64_t> ErrorLog::Purge(core::SystemTime before) {
  int64_t changed = 0;
  CW_RETURN_IF_ERROR(db_.Write([&](store::Tx& tx) {
    return tx.Exec("DELETE FROM soap_error_log WHERE logged_at < ?", {core::ToUnixMillis(before)}, &changed);
  }));
  return changed;
}

}  // namespace causeway::soap
