// One libpq session of the PostgreSQL back end, and the Tx its callbacks receive. Internal to
// store/postgres: PostgresDatabase pools these and decides on retries.
//
// Statements are prepared once per session, cached by their SQL text, and executed with
// text-format parameters (the server parses each as the type it inferred for its placeholder).
// DDL and other utility statements are run unprepared and not cached.
//
// Pipelined transactions (Begin(…, pipelined=true)) send BEGIN and every statement whose result
// the callback does not need (Exec without `changed`) without waiting for the answer; the
// session waits — one round trip for everything sent so far — only for a Query, an Exec with
// `changed`, a utility statement, a long queue, or COMMIT. A write of a few INSERTs is then one
// round trip instead of one per statement. The price: such an Exec reports success at once, and
// its failure surfaces at the next wait (from a later statement, or from Commit()).
//
// Not thread-safe: one thread at a time (the holder of the pool's lease).
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "store/database.h"
#include "store/postgres/postgres_database.h"

struct pg_conn;
struct pg_result;

namespace causeway::store::postgres {

// The first line of a libpq message, blanks collapsed ("FATAL:  …\nserver closed …" spans
// lines), for errors and log lines.
std::string FirstLine(std::string_view message);
// `text` with every occurrence of `secret` (a password) replaced by "***"; a secret shorter than
// four characters is left alone (it would mangle ordinary words, and is not worth hiding).
std::string Redact(std::string text, std::string_view secret);

class PgConnection final : public Tx {
 public:
  // Connects and sets up the session: statement_timeout, and synchronous_commit back on if the
  // role or database turned it off (else "COMMIT answered" would not mean durable). Fails with
  // kUnavailable 005 and libpq's first message line.
  static Result<std::unique_ptr<PgConnection>> Open(const Options& options, uint64_t generation);
  ~PgConnection() override;

  Status Exec(std::string_view sql, std::span<const Value> params, int64_t* changed) override;
  Status Query(std::string_view sql, std::span<const Value> params,
               const std::function<void(const Row&)>& on_row) override;
  void Notify(std::string_view channel, std::string_view payload) override;

  // Starts a transaction with `begin` (a "BEGIN …" statement). Pipelined, nothing is sent yet.
  Status Begin(const char* begin, bool pipelined);
  // Commits; fails with the first error of the transaction if one surfaces now, or kInternal
  // 011 if an earlier failure had aborted it.
  Status Commit();
  // After a successful Commit(): sends the notices the transaction queued (NOTIFY in a
  // transaction of its own with synchronous_commit off: nothing to flush, so the cluster-wide
  // NOTIFY lock is held only for an instant). A failure is reported, the write stays committed.
  Status SendNotices();
  // Ends whatever is open (drains the pipeline, rolls back); false if the session is unusable.
  bool Reset();

  // Reads what the server sent while the session was idle, without a round trip: false if it
  // closed the session (a terminated backend, a restarted server).
  bool Alive();
  bool Broken() const;
  // libpq's last message, first line (for a connection found broken).
  std::string LastError() const;
  // After a failed Commit() on a session that broke: true unless the failure was answered to a
  // statement before COMMIT (the server processes a pipeline in order, so then COMMIT never ran).
  bool commit_in_doubt() const { return commit_in_doubt_; }
  // Whether a statement of this transaction failed with 40001/40P01 (set by Begin()'s caller's
  // run, cleared by Begin()).
  bool retry_requested() const { return retry_requested_; }
  uint64_t generation() const { return generation_; }
  // The libpq session, for PgChangeFeed's LISTEN loop (which runs no transactions on it).
  pg_conn* native_handle() const { return conn_; }

 private:
  struct Prepared {
    std::string name;
    int params;
  };
  struct Pending {
    const char* what;       // "begin", "prepare", "statement", "commit"
    std::string uncache;    // for a prepare: its cache key, dropped if it fails
    bool commit = false;
  };
  struct Hash {
    using is_transparent = void;
    size_t operator()(std::string_view s) const { return std::hash<std::string_view>()(s); }
  };
  struct ResultDeleter {
    void operator()(pg_result* r) const;
  };
  using ResultPtr = std::unique_ptr<pg_result, ResultDeleter>;

  explicit PgConnection(uint64_t generation) : generation_(generation) {}
  core::Error Fail(const pg_result* r, std::string_view what);
  // Sends (and, unless pipelined and not `need_result`, waits for) one statement. Returns its
  // result, or null when it was only queued.
  Result<ResultPtr> Run(std::string_view sql, std::span<const Value> params, bool need_result);
  // Pipeline: sends a sync point and reads every pending answer; returns the last one.
  Result<ResultPtr> Flush();
  Status Bind(std::span<const Value> params);

  pg_conn* conn_ = nullptr;
  uint64_t generation_;
  int statements_ = 0;  // prepared so far: names are never reused
  bool pipelined_ = false;
  bool retry_requested_ = false;
  bool commit_in_doubt_ = false;
  std::optional<core::Error> failed_;  // first failure of the pipelined transaction
  std::vector<Pending> pending_;       // sent, answer not read yet
  std::unordered_map<std::string, Prepared, Hash, std::equal_to<>> cache_;
  std::vector<std::string> texts_;     // scratch for Bind()
  std::vector<std::pair<std::string, std::string>> notices_;  // of the transaction, for SendNotices()
  std::vector<const char*> values_;    // scratch for Bind()
};

}  // namespace causeway::store::postgres
