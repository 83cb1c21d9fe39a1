// SQLite back end of store::Database.
//
// One writer thread owns the write connection and commits in groups: it drains every Write()
// queued while the previous commit was being fsync'd, runs each callback inside its own
// SAVEPOINT, and commits once (WAL + synchronous=FULL, so the commit is on disk when COMMIT
// returns). Callers block until their group's commit finished. Reads use a small pool of
// read-only connections (WAL lets them run beside the writer).
#pragma once

#include <condition_variable>
#include <deque>
#include <future>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "store/database.h"

struct sqlite3;

namespace causeway::store::sqlite {

struct Options {
  std::string path;           // file path, or ":memory:"-like paths are not supported (needs WAL)
  int read_connections = 4;   // pool size for Read()
  int max_group = 512;        // most callbacks committed together
  int busy_timeout_ms = 5000;
};

class SqliteDatabase final : public Database {
 public:
  // Opens (creating if needed) the database file and starts the writer thread.
  static Result<std::unique_ptr<SqliteDatabase>> Open(const Options& options);
  ~SqliteDatabase() override;

  Status Write(TxFn fn) override;
  Status Read(TxFn fn) override;
  std::string Health() override;
  std::string Kind() const override { return "sqlite"; }

  // Number of commits and of callbacks committed, for metrics and the group-commit test.
  uint64_t commits() const { return commits_.load(); }
  uint64_t committed_writes() const { return committed_writes_.load(); }

 private:
  class Connection;
  struct PendingWrite {
    TxFn fn;
    std::promise<Status> done;
  };

  explicit SqliteDatabase(Options options);
  void WriterLoop();
  void CommitGroup(std::vector<PendingWrite>& group);
  std::unique_ptr<Connection> AcquireReader();
  void ReleaseReader(std::unique_ptr<Connection> c);

  Options options_;
  std::unique_ptr<Connection> writer_;

  std::mutex queue_mu_;
  std::condition_variable queue_cv_;
  std::deque<PendingWrite> queue_;  // GUARDED_BY(queue_mu_)
  bool stopping_ = false;           // GUARDED_BY(queue_mu_)
  std::thread writer_thread_;

  std::mutex readers_mu_;
  std::condition_variable readers_cv_;
  std::vector<std::unique_ptr<Connection>> readers_;  // GUARDED_BY(readers_mu_)

  std::atomic<uint64_t> commits_{0};
  std::atomic<uint64_t> committed_writes_{0};
  std::atomic<bool> healthy_{true};
};

}  // namespace causeway::store::sqlite
