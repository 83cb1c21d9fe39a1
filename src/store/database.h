// The storage seam the domain uses. Only store/sqlite (and store/postgres) know the engine;
// SQL text uses '?' placeholders and the portable subset shared by SQLite and PostgreSQL (each
// back end rewrites placeholders as it needs).
//
// Durability contract: a write's completion (WriteAsync's `done`, Write's return) reports
// success only once its transaction is durable: on disk (SQLite: fsync of the WAL) or
// committed by PostgreSQL with synchronous_commit on. Concurrent writes may share one commit
// (group commit) but stay isolated: each callback runs in its own savepoint (or transaction),
// and a callback that fails rolls back only its own changes. Other readers may see a committed
// write a moment before it is durable; a process crash (kill -9) loses nothing that was
// committed, only a power loss in that moment could, and then no client was told it succeeded.
#pragma once

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

#include "core/result.h"

namespace causeway::store {

using core::Result;
using core::Status;

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

class Database {
 public:
  virtual ~Database() = default;
  // Runs `fn` in a write transaction on a store thread and calls `done` once the transaction is
  // durable (see the contract above) with fn's error if fn failed (its changes are rolled
  // back), or a kInternal/kUnavailable error if the commit itself failed. `done` runs on a
  // store thread: it must not block. Never blocks the caller (an I/O thread may call it).
  virtual void WriteAsync(TxFn fn, WriteDone done) = 0;
  // WriteAsync, waiting for `done`. Must not be called from an I/O thread.
  Status Write(TxFn fn);
  // Runs `fn` on a read snapshot. Safe to call from several threads at once.
  virtual Status Read(TxFn fn) = 0;
  // "ok" or a short description of what is wrong, for /_causeway/health.
  virtual std::string Health() = 0;
  virtual std::string Kind() const = 0;  // "sqlite", "postgres"
};

}  // namespace causeway::store
