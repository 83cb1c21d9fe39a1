// PostgreSQL back end of store::Database (libpq), for landscapes where several nodes share one
// database.
//
// Every Write() and Read() takes a connection from a pool (at most `pool_size`, opened on demand)
// for the length of its own transaction. Write() runs BEGIN ISOLATION LEVEL <isolation>, the
// callback, COMMIT, and returns when COMMIT was answered; with synchronous_commit on (enforced
// per session if the server has it off) that answer means the commit is flushed to disk. The
// default isolation is READ COMMITTED: the domain's writes are keyed inserts, upserts and
// updates that take row locks, and claims use FOR UPDATE SKIP LOCKED, so REPEATABLE READ or
// SERIALIZABLE would only add aborted-and-retried transactions on the hot path. Read() runs on
// REPEATABLE READ, READ ONLY: one snapshot for all its statements, like a SQLite read
// transaction, and never a serialization failure.
//
// Retries (the callback is re-run, which the Database contract allows):
//   - SQLSTATE 40001 (serialization failure) and 40P01 (deadlock), from any statement or COMMIT,
//     up to `max_attempts` runs with a short random back-off;
//   - a connection that died before COMMIT could run (the server answered an earlier statement
//     with the failure), whose transaction therefore cannot have committed.
// A connection lost while COMMIT may have run is not retried: the outcome is unknown and the
// call fails with kUnavailable CAUSEWAY/STORE/006. (A backend killed while its connection sat
// in the pool is noticed before use, without a round trip, and never costs a callback run.)
//
// Connection loss: the first failure of an outage logs one warning ("lost …; reconnecting") and
// Health() reports it; connections opened before the loss are replaced on their next use; new
// connections are attempted with exponential back-off (shared by all callers), and a call waits
// at most `reconnect_wait_ms` for one before failing with kUnavailable CAUSEWAY/STORE/005. The
// first successful reconnection logs one line and Health() is "ok" again. Log lines and errors
// name host, port, database and user, never the password.
//
// Statements are prepared once per connection and cached by their SQL text ('?' rewritten to
// $n). With `pipeline` on (the default), a Write sends BEGIN and the statements whose results
// its callback does not need without waiting, so a write of a few INSERTs costs one round trip
// (pg_connection.h); an error of such a statement is then returned by a later statement of the
// callback or by the Write itself — the Write's result is the same, only the callback learns
// of it later.
//
// Errors (class CAUSEWAY/STORE): 001 statement failed (kConflict for SQLSTATE class 23, the
// integrity constraints, as SQLite's constraint errors; otherwise kInternal), 002 parameter
// count mismatch or numbered placeholder, 004 callback threw, 005 server unreachable or
// connection lost (kUnavailable), 006 commit outcome unknown (kUnavailable), 007 still a
// serialization failure or deadlock after max_attempts (kUnavailable), 008 text value with a NUL
// character, which PostgreSQL cannot store (kBadRequest), 010 statement timeout or cancel
// (kUnavailable), 011 the callback carried on after a failed statement and the transaction was
// rolled back (kInternal).
//
// Thread safety: all public methods may be called from any number of threads at once; Write()
// and Read() block (never call them from an I/O thread). Health() never blocks on the network.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <deque>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "store/database.h"

namespace causeway::store::postgres {

enum class Isolation { kReadCommitted, kRepeatableRead, kSerializable };

struct Options {
  // libpq connection string, key=value ("host=/run/pg dbname=cw user=cw") or URI
  // ("postgresql://cw@db:5432/cw"). A password may be given here, or better through libpq's
  // PGPASSWORD / passfile; it is never logged.
  std::string conninfo;
  // The password, if not in `conninfo` (read from a file or the environment by the caller);
  // overrides one there. Never logged.
  std::string password;
  int pool_size = 16;                // most connections open at once
  int statement_timeout_ms = 30000;  // per statement; 0 = none
  int connect_timeout_s = 5;         // per connection attempt (libpq connect_timeout)
  int reconnect_wait_ms = 5000;      // how long a call waits for the server to come back
  int max_attempts = 10;             // runs of a Write callback on serialization failure/deadlock
  Isolation isolation = Isolation::kReadCommitted;
  std::string application_name = "causeway";
  bool pipeline = true;  // send statements without waiting where the callback needs no answer
};

class PgConnection;

class PostgresDatabase final : public Database {
 public:
  // Validates the connection string and opens the first connection, so that a wrong address or
  // credentials fail here (kUnavailable CAUSEWAY/STORE/005, or kInternal 001 for a malformed
  // string) rather than on the first request.
  static Result<std::unique_ptr<PostgresDatabase>> Open(const Options& options);
  // Finishes the queued WriteAsync calls, then closes every connection; no Write()/Read() may be
  // running.
  ~PostgresDatabase() override;

  // Runs Write() on one of the back end's own threads (as many as the pool has connections),
  // so that the caller holds no thread while PostgreSQL commits.
  void WriteAsync(TxFn fn, WriteDone done) override;
  // Runs on the calling thread (no hand-off).
  Status Write(TxFn fn) override;
  Status Read(TxFn fn) override;
  // A PgChangeFeed on a session of its own (not taken from the pool); null if a channel name
  // is not valid (PgChangeFeed::ValidChannel).
  std::unique_ptr<ChangeFeed> Listen(std::vector<std::string> channels, ChangeFeed::OnNotice on_notice) override;
  // "ok", or "unavailable: <why>" while the server cannot be reached.
  std::string Health() override;
  std::string Kind() const override { return "postgres"; }
  Dialect dialect() const override { return Dialect::kPostgres; }

  // "host=… port=… dbname=… user=…" of the connection string, for log lines (no password).
  const std::string& Describe() const { return description_; }
  // Callback re-runs (serialization failures, deadlocks, connections lost before COMMIT) and
  // connections replaced after a loss, for metrics and tests.
  uint64_t retries() const { return retries_.load(); }
  uint64_t reconnects() const { return reconnects_.load(); }

 private:
  class Lease;

  explicit PostgresDatabase(Options options);
  Result<Lease> Acquire();
  void Release(std::unique_ptr<PgConnection> c);
  // Opens a connection, waiting (with the shared back-off) up to reconnect_wait_ms.
  Result<std::unique_ptr<PgConnection>> Connect();
  void ReportLoss(const PgConnection& c, const core::Error& why);
  void ReportConnectFailure(const core::Error& why);
  void ReportConnected();
  std::string Redact(std::string text) const;

  Options options_;
  std::string description_;
  std::string password_;  // only to scrub it from server messages; never logged
  std::string begin_write_;

  std::mutex pool_mu_;
  std::condition_variable pool_cv_;
  std::vector<std::unique_ptr<PgConnection>> idle_;  // GUARDED_BY(pool_mu_)
  int unopened_ = 0;                               // GUARDED_BY(pool_mu_): slots without a connection

  // Outage state: whether the server is unreachable, why, and when the next attempt is due.
  mutable std::mutex state_mu_;
  bool down_ = false;                                        // GUARDED_BY(state_mu_)
  std::string down_reason_;                                  // GUARDED_BY(state_mu_)
  std::chrono::steady_clock::time_point down_since_;         // GUARDED_BY(state_mu_)
  std::chrono::steady_clock::time_point next_attempt_;       // GUARDED_BY(state_mu_)
  std::chrono::milliseconds backoff_{0};                     // GUARDED_BY(state_mu_)
  // Bumped on each reported loss; connections from an older generation are replaced on use.
  std::atomic<uint64_t> generation_{0};

  std::atomic<uint64_t> retries_{0};
  std::atomic<uint64_t> reconnects_{0};

  // WriteAsync's queue and threads (started on first use).
  void AsyncWriterLoop();
  std::mutex async_mu_;
  std::condition_variable async_cv_;
  std::deque<std::pair<TxFn, WriteDone>> async_queue_;  // GUARDED_BY(async_mu_)
  bool async_stopping_ = false;                          // GUARDED_BY(async_mu_)
  std::vector<std::thread> async_writers_;               // GUARDED_BY(async_mu_)
};

}  // namespace causeway::store::postgres
