// The storage seam the domain uses. Only store/sqlite (and store/postgres) know the engine;
// SQL text uses '?' placeholders and the portable subset shared by SQLite and PostgreSQL (each
// back end rewrites placeholders as it needs).
//
// Durability contract: a write's completion (WriteAsync's `done`, Write's return) reports
// success only once its transaction is durable: on disk (SQLite: fdatasync of the WAL) or
// committed by PostgreSQL with synchronous_commit on. Concurrent writes stay isolated from each
// other: SQLite batches them into one commit (group commit) with each callback inside its own
// savepoint; PostgreSQL gives each its own transaction on a pooled connection. Either way a
// callback that fails rolls back only its own changes. Other readers may see a committed write
// a moment before it is durable; a process crash (kill -9) loses nothing that was committed, only
// a power loss in that moment could, and then no client was told it succeeded.
//
// Callbacks must be re-runnable: a back end may run a write callback more than once (PostgreSQL
// re-runs it after a serialization failure, a deadlock, or a connection lost before COMMIT was
// sent; the earlier run's changes were rolled back). So a callback starts from scratch on each
// run (clear what it collects, recompute what it writes) and has no effects outside the Tx.
// Read() callbacks are never re-run once started.
//
// A failed statement ends the transaction on PostgreSQL (every later statement fails until
// rollback): a callback returns a statement's error, it does not carry on after it. A back end
// may also report a statement's failure later than the Exec that ran it (PostgreSQL sends an
// Exec without `changed` without waiting for its answer): then a later Exec/Query of the
// callback, or the write itself, returns that error. Ask for `changed`, or Query, where the
// callback must know at once.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <initializer_list>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "core/completion.h"
#include "core/result.h"

namespace causeway::store {

using core::Result;
using core::Status;

// An error of a store back end: message class CAUSEWAY/STORE (docs/errors.md).
core::Error StoreError(core::Code code, const char* number, std::string text);

// A bound parameter or column value.
using Value = std::variant<std::monostate, int64_t, double, std::string>;

class Row {
 public:
  virtual ~Row() = default;
  virtual int ColumnCount() const = 0;
  virtual bool IsNull(int col) const = 0;
  virtual int64_t Int(int col) const = 0;
  virtual double Real(int col) const = 0;
  virtual std::string_view Text(int col) const = 0;  // valid until the next row
  std::string String(int col) const { return std::string(Text(col)); }
  std::optional<int64_t> OptInt(int col) const { return IsNull(col) ? std::nullopt : std::optional(Int(col)); }
};

// A transaction handle; valid only inside the callback that received it. Statements are
// prepared once per connection and cached by their SQL text.
class Tx {
 public:
  virtual ~Tx() = default;
  // Runs a statement that returns no rows. `changed`, if given, receives the affected row count.
  virtual Status Exec(std::string_view sql, std::span<const Value> params = {}, int64_t* changed = nullptr) = 0;
  // Runs a query, calling `on_row` for each row.
  virtual Status Query(std::string_view sql, std::span<const Value> params,
                       const std::function<void(const Row&)>& on_row) = 0;
  // Queues a notice for the other processes' change feeds (see ChangeFeed), sent only if this
  // write commits: after its COMMIT and before the write reports success, so a change answered
  // to a client has always reached every feed. A repeated (channel, payload) is sent once. A
  // no-op where no other process listens (SQLite) and in Read().
  virtual void Notify(std::string_view channel, std::string_view payload) {
    (void)channel;
    (void)payload;
  }

  Status Exec(std::string_view sql, std::initializer_list<Value> params, int64_t* changed = nullptr) {
    return Exec(sql, std::span<const Value>(params.begin(), params.size()), changed);
  }
  Status Query(std::string_view sql, std::initializer_list<Value> params,
               const std::function<void(const Row&)>& on_row) {
    return Query(sql, std::span<const Value>(params.begin(), params.size()), on_row);
  }
};

using TxFn = std::function<Status(Tx&)>;
using WriteDone = std::function<void(Status)>;

// The SQL dialect of a back end, for the few statements (and migration sections) that differ.
enum class Dialect { kSqlite, kPostgres };

// Notices between the processes that share a store (several nodes on PostgreSQL), so that a
// node may keep a read cache of rows that other nodes write. A write queues notices with
// Tx::Notify; the store sends them once the write committed (PostgreSQL: NOTIFY in a short
// transaction of its own right after COMMIT — a NOTIFY inside the writing transaction would
// serialize every commit of the cluster behind one lock); each feed hands them to its listener.
// A process that dies between a COMMIT and its notices leaves other nodes' caches stale for
// those rows until they are evicted or the feeds reconnect.
struct Notice {
  std::string_view channel;
  std::string_view payload;
};

class ChangeFeed {
 public:
  // Called on the feed's own thread with each notice of a committed transaction (this
  // process's own included), in commit order; or with null: notices may have been missed (the
  // feed's connection dropped or was just re-established), so forget everything cached. Must
  // not block.
  using OnNotice = std::function<void(const Notice*)>;
  virtual ~ChangeFeed() = default;
  // Returns true once every notice of every transaction that committed before this call has
  // been handed to OnNotice: a read served from a cache after it sees every write that was
  // answered before the read began. Returns false if the feed cannot say within `wait` (its
  // connection is down): read the store then. Blocks (never call it on an I/O thread); calls
  // that overlap share one round trip.
  virtual bool Sync(std::chrono::milliseconds wait) = 0;
  // The same barrier without waiting: the completion ends Ok when Sync would have returned
  // true, with an error where it would have returned false (at the latest after `wait`). It
  // ends on the feed's thread, or at once; the call never blocks (an I/O thread may make it)
  // and shares its round trip with overlapping Sync and SyncAsync calls.
  virtual std::shared_ptr<core::Completion> SyncAsync(std::chrono::milliseconds wait) = 0;
};

class Database {
 public:
  virtual ~Database() = default;
  // Listens to `channels` (lower-case letters and '_'), or null when the back end has no other
  // process to hear from (SQLite: one writer) or the channel names are invalid. The feed stops
  // when destroyed, which must happen before the Database is.
  virtual std::unique_ptr<ChangeFeed> Listen(std::vector<std::string> channels, ChangeFeed::OnNotice on_notice);
  // Runs `fn` in a write transaction on a store thread and calls `done` once the transaction is
  // durable (see the contract above; `fn` may run more than once) with fn's error if fn failed
  // (its changes are rolled back), or a kInternal/kUnavailable error if the commit itself
  // failed. `done` runs on a store thread: it must not block. Never blocks the caller (an I/O
  // thread may call it).
  virtual void WriteAsync(TxFn fn, WriteDone done) = 0;
  // The same, waiting for the outcome (by default WriteAsync and a wait; a back end may run it
  // on the calling thread). Must not be called from an I/O thread.
  virtual Status Write(TxFn fn);
  // Runs `fn` on a read snapshot. Safe to call from several threads at once.
  virtual Status Read(TxFn fn) = 0;
  // "ok" or a short description of what is wrong, for /_causeway/health.
  virtual std::string Health() = 0;
  virtual std::string Kind() const = 0;  // "sqlite", "postgres"
  // Which SQL dialect the back end speaks (the SQLite back end keeps this default).
  virtual Dialect dialect() const { return Dialect::kSqlite; }
};

}  // namespace causeway::store
