// SQLite back end of store::Database.
//
// One writer thread owns the write connection and commits in groups: it drains every write
// queued meanwhile, runs each callback inside its own SAVEPOINT, and commits once. Commits do
// not wait for the disk (WAL with synchronous=NORMAL): a second thread, the syncer, makes the
// WAL durable with fdatasync and only then completes the writes of every group committed
// before that sync began. So the writer starts the next group while the previous one is being
// synced, many groups share one fsync, and no caller holds a thread while the disk works.
// Checkpoints (copying the WAL into the database file) run on a third thread with a connection
// of its own once the WAL holds checkpoint_frames (small: see Options), so that the writer neither copies pages nor
// waits for the checkpoint's syncs (synchronous=NORMAL syncs WAL and database around each).
// Because a WAL is only rewound when every frame was copied at the moment the writer begins a
// transaction, which a checkpointer racing a busy writer rarely achieves, the writer catches up
// itself (a PASSIVE checkpoint of the few frames left, as SQLite's own autocheckpoint does) once
// the WAL reaches checkpoint_cap_frames: the WAL stays bounded under sustained load.
// Reads use a small pool of read-only connections (WAL lets them run beside the writer).
#pragma once

#include <atomic>
#include <condition_variable>
#include <deque>
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
  // Small checkpoints often, and the writer's own rarely: each checkpoint's database sync and
  // each catch-up of the writer delays the WAL syncs that answers wait for (store/sqlite/README.md).
  int checkpoint_frames = 256;        // WAL frames that wake the checkpointer (~1 MiB)
  int checkpoint_cap_frames = 32768;  // WAL frames at which the writer checkpoints itself (~128 MiB)
};

class SqliteDatabase final : public Database {
 public:
  // Opens (creating if needed) the database file and starts the writer thread.
  static Result<std::unique_ptr<SqliteDatabase>> Open(const Options& options);
  ~SqliteDatabase() override;

  void WriteAsync(TxFn fn, WriteDone done) override;
  Status Read(TxFn fn) override;
  std::string Health() override;
  std::string Kind() const override { return "sqlite"; }
  Dialect dialect() const override { return Dialect::kSqlite; }

  // Number of commits, of callbacks committed and of WAL syncs, for metrics and the tests.
  uint64_t commits() const { return commits_.load(); }
  uint64_t committed_writes() const { return committed_writes_.load(); }
  uint64_t syncs() const { return syncs_.load(); }
  // Checkpoints run by the checkpointer thread, and by the writer at the cap (tests).
  uint64_t background_checkpoints() const { return background_checkpoints_.load(); }
  uint64_t writer_checkpoints() const { return writer_checkpoints_.load(); }
  // Statements the write connection compiled so far: every statement, transaction control
  // included, is compiled once and reused (tests).
  uint64_t writer_statements_prepared() const;

 private:
  class Connection;
  struct PendingWrite {
    TxFn fn;
    WriteDone done;
  };

  explicit SqliteDatabase(Options options);
  void WriterLoop();
  void CommitGroup(std::vector<PendingWrite>& group);
  void SyncerLoop();
  Status SyncWal();
  void CheckpointerLoop();
  // sqlite3_wal_hook of the write connection: after each commit, with the WAL's frame count.
  static int OnWalCommit(void* self, struct sqlite3* db, const char* name, int frames);
  std::unique_ptr<Connection> AcquireReader();
  void ReleaseReader(std::unique_ptr<Connection> c);

  Options options_;
  std::unique_ptr<Connection> writer_;

  std::mutex queue_mu_;
  std::condition_variable queue_cv_;
  std::deque<PendingWrite> queue_;  // GUARDED_BY(queue_mu_)
  bool stopping_ = false;           // GUARDED_BY(queue_mu_)
  std::thread writer_thread_;

  // Committed, not yet durable: completed by the syncer after its next fdatasync.
  std::mutex sync_mu_;
  std::condition_variable sync_cv_;
  std::vector<WriteDone> unsynced_;  // GUARDED_BY(sync_mu_)
  bool sync_stopping_ = false;       // GUARDED_BY(sync_mu_)
  std::thread syncer_thread_;
  int wal_fd_ = -1;  // syncer thread only; opened once the WAL exists

  // Checkpoints off the writer thread.
  std::unique_ptr<Connection> checkpointer_;
  std::mutex checkpoint_mu_;
  std::condition_variable checkpoint_cv_;
  bool checkpoint_wanted_ = false;    // GUARDED_BY(checkpoint_mu_)
  bool checkpoint_stopping_ = false;  // GUARDED_BY(checkpoint_mu_)
  std::atomic<int> checkpointed_frames_{0};  // WAL frames the last checkpoint had copied
  std::thread checkpointer_thread_;

  std::mutex readers_mu_;
  std::condition_variable readers_cv_;
  std::vector<std::unique_ptr<Connection>> readers_;  // GUARDED_BY(readers_mu_)

  std::atomic<uint64_t> commits_{0};
  std::atomic<uint64_t> committed_writes_{0};
  std::atomic<uint64_t> syncs_{0};
  std::atomic<uint64_t> background_checkpoints_{0};
  std::atomic<uint64_t> writer_checkpoints_{0};
  std::atomic<bool> healthy_{true};
};

}  // namespace causeway::store::sqlite
