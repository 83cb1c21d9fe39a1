#include "store/sqlite/sqlite_database.h"

#include "core/storable_text.h"

#include <fcntl.h>
#include <sqlite3.h>
#include <spdlog/spdlog.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <mutex>
#include <unordered_map>

namespace causeway::store::sqlite {
namespace {

// SQLite writes a savepoint's journal (the original of every existing page changed inside a
// SAVEPOINT, for ROLLBACK TO) to a temporary file once it outgrows 64 KiB, less than one
// request's worth here: every group-committed callback and, inside it, every task of an activity
// bundle has its own savepoint, and each journals the pages it changes (about 20 KB per task).
// Writing that file was most of the writer thread's kernel time, so journals stay in memory
// (-1). A journal lives while one write callback runs (RELEASE of its savepoint empties it) and
// holds at most the pages that callback changes: large only for a migration that rewrites a
// large table. (A positive limit makes SQLite allocate the journal in chunks of that size, and
// a fresh multi-MiB chunk per callback cost page faults instead.)
constexpr int kSavepointJournalInMemory = -1;

// Process-wide settings that must precede SQLite's initialisation (the first open).
void ConfigureSqlite() {
  static std::once_flag once;
  std::call_once(once, [] {
    if (int rc = sqlite3_config(SQLITE_CONFIG_STMTJRNL_SPILL, kSavepointJournalInMemory); rc != SQLITE_OK)
      spdlog::warn("sqlite: savepoint journals stay at SQLite's default spill size ({})", sqlite3_errstr(rc));
    // No up-front page-cache block per connection (SQLite's default: 20 pages, ~87 KiB, each
    // slot written into a free list at open): the writer, the checkpointer and every reader
    // would hold one from the start, touched whether used or not. Pages come one by one.
    if (int rc = sqlite3_config(SQLITE_CONFIG_PAGECACHE, nullptr, 0, 0); rc != SQLITE_OK)
      spdlog::warn("sqlite: connections keep SQLite's initial page-cache block ({})", sqlite3_errstr(rc));
  });
}

core::Error SqlError(sqlite3* db, std::string_view what) {
  return StoreError(core::Code::kInternal, "001",
                    std::string(what) + ": " + (db ? sqlite3_errmsg(db) : "out of memory"));
}

class SqliteRow final : public Row {
 public:
  explicit SqliteRow(sqlite3_stmt* s) : s_(s) {}
  int ColumnCount() const override { return sqlite3_column_count(s_); }
  bool IsNull(int col) const override { return sqlite3_column_type(s_, col) == SQLITE_NULL; }
  int64_t Int(int col) const override { return sqlite3_column_int64(s_, col); }
  double Real(int col) const override { return sqlite3_column_double(s_, col); }
  std::string_view Text(int col) const override {
    auto* p = reinterpret_cast<const char*>(sqlite3_column_text(s_, col));
    return p ? std::string_view(p, static_cast<size_t>(sqlite3_column_bytes(s_, col))) : std::string_view();
  }

 private:
  sqlite3_stmt* s_;
};

}  // namespace

// A connection with its prepared-statement cache. Used by one thread at a time.
class SqliteDatabase::Connection final : public Tx {
 public:
  ~Connection() override {
    for (auto& [sql, stmt] : cache_) sqlite3_finalize(stmt);
    if (db_) sqlite3_close_v2(db_);
  }

  static Result<std::unique_ptr<Connection>> Open(const Options& o, bool read_only) {
    auto c = std::unique_ptr<Connection>(new Connection());
    int flags = read_only ? SQLITE_OPEN_READONLY : (SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE);
    flags |= SQLITE_OPEN_NOMUTEX;
    // The database holds outbound credentials: a new one is created for its owner only (SQLite
    // would use 0644, and its -wal and -shm files take the database file's mode).
    if (!read_only && !o.path.empty() && o.path.front() != ':' && o.path.rfind("file:", 0) != 0) {
      int fd = ::open(o.path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
      if (fd >= 0) ::close(fd);
    }
    if (sqlite3_open_v2(o.path.c_str(), &c->db_, flags, nullptr) != SQLITE_OK)
      return SqlError(c->db_, "cannot open " + o.path);
    sqlite3_busy_timeout(c->db_, o.busy_timeout_ms);
    const char* pragmas = read_only ? "PRAGMA foreign_keys=ON;"
                                    : "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;";
    if (sqlite3_exec(c->db_, pragmas, nullptr, nullptr, nullptr) != SQLITE_OK)
      return SqlError(c->db_, "pragma");
    return c;
  }

  Status Exec(std::string_view sql, std::span<const Value> params, int64_t* changed) override {
    CW_ASSIGN_OR_RETURN(sqlite3_stmt * s, Prepare(sql, params));
    int rc;
    while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
    }
    sqlite3_reset(s);
    if (rc != SQLITE_DONE) return Fail(rc, sql);
    if (changed) *changed = sqlite3_changes64(db_);
    return Status::Ok();
  }

  Status Query(std::string_view sql, std::span<const Value> params,
               const std::function<void(const Row&)>& on_row) override {
    CW_ASSIGN_OR_RETURN(sqlite3_stmt * s, Prepare(sql, params));
    SqliteRow row(s);
    int rc;
    while ((rc = sqlite3_step(s)) == SQLITE_ROW) on_row(row);
    sqlite3_reset(s);
    if (rc != SQLITE_DONE) return Fail(rc, sql);
    return Status::Ok();
  }

  // Runs a transaction-control statement (BEGIN, SAVEPOINT, RELEASE, ROLLBACK, COMMIT) from
  // the statement cache: sqlite3_exec parsed it again on every call, which was 13% of a small
  // write's CPU on the writer thread (bench/results/business_agreement.md).
  Status Control(std::string_view sql) {
    auto s = Statement(sql);
    if (!s.ok()) return SqlError(db_, sql);
    int rc = sqlite3_step(*s);
    sqlite3_reset(*s);
    if (rc != SQLITE_DONE && rc != SQLITE_ROW) return SqlError(db_, sql);
    return Status::Ok();
  }

  uint64_t prepared() const { return prepared_.load(std::memory_order_relaxed); }
  sqlite3* handle() const { return db_; }

 private:
  Connection() = default;

  core::Error Fail(int rc, std::string_view sql) {
    core::Error e = SqlError(db_, std::string("statement failed (") + sqlite3_errstr(rc) + ")");
    if (rc == SQLITE_CONSTRAINT) e.code = core::Code::kConflict;
    spdlog::debug("sqlite: {} in: {}", e.text, sql);
    return e;
  }

  // The cached statement for `sql`, prepared on first use.
  Result<sqlite3_stmt*> Statement(std::string_view sql) {
    if (auto it = cache_.find(sql); it != cache_.end()) return it->second;
    sqlite3_stmt* s = nullptr;
    if (sqlite3_prepare_v3(db_, sql.data(), static_cast<int>(sql.size()), SQLITE_PREPARE_PERSISTENT, &s, nullptr) !=
        SQLITE_OK)
      return SqlError(db_, "prepare");
    prepared_.fetch_add(1, std::memory_order_relaxed);
    cache_.emplace(std::string(sql), s);
    return s;
  }

  Result<sqlite3_stmt*> Prepare(std::string_view sql, std::span<const Value> params) {
    CW_ASSIGN_OR_RETURN(sqlite3_stmt * s, Statement(sql));
    sqlite3_clear_bindings(s);
    if (static_cast<int>(params.size()) != sqlite3_bind_parameter_count(s))
      return StoreError(core::Code::kInternal, "002", "parameter count mismatch");
    for (size_t i = 0; i < params.size(); ++i) {
      int idx = static_cast<int>(i + 1);
      const Value& v = params[i];
      int rc = SQLITE_OK;
      if (std::holds_alternative<std::monostate>(v)) rc = sqlite3_bind_null(s, idx);
      else if (auto* n = std::get_if<int64_t>(&v)) rc = sqlite3_bind_int64(s, idx, *n);
      else if (auto* d = std::get_if<double>(&v)) rc = sqlite3_bind_double(s, idx, *d);
      else {
        // The same storable text as on PostgreSQL (core/storable_text.h); SQLite copies a
        // sanitized one, the caller's string outlives the statement otherwise.
        const auto& str = std::get<std::string>(v);
        if (core::IsStorableText(str)) {
          rc = sqlite3_bind_text64(s, idx, str.data(), str.size(), SQLITE_STATIC, SQLITE_UTF8);
        } else {
          const std::string clean = core::StorableText(str);
          rc = sqlite3_bind_text64(s, idx, clean.data(), clean.size(), SQLITE_TRANSIENT, SQLITE_UTF8);
        }
      }
      if (rc != SQLITE_OK) return SqlError(db_, "bind");
    }
    return s;
  }

  struct Hash {
    using is_transparent = void;
    size_t operator()(std::string_view s) const { return std::hash<std::string_view>()(s); }
  };
  sqlite3* db_ = nullptr;
  std::unordered_map<std::string, sqlite3_stmt*, Hash, std::equal_to<>> cache_;
  std::atomic<uint64_t> prepared_{0};  // statements compiled so far (read by other threads)
};

SqliteDatabase::SqliteDatabase(Options options) : options_(std::move(options)) {}

Result<std::unique_ptr<SqliteDatabase>> SqliteDatabase::Open(const Options& options) {
  ConfigureSqlite();
  auto db = std::unique_ptr<SqliteDatabase>(new SqliteDatabase(options));
  CW_ASSIGN_OR_RETURN(db->writer_, Connection::Open(options, /*read_only=*/false));
  CW_ASSIGN_OR_RETURN(db->checkpointer_, Connection::Open(options, /*read_only=*/false));
  // Replaces SQLite's autocheckpoint on the write connection (see the header).
  sqlite3_wal_hook(db->writer_->handle(), &SqliteDatabase::OnWalCommit, db.get());
  for (int i = 0; i < std::max(1, options.read_connections); ++i) {
    CW_ASSIGN_OR_RETURN(auto reader, Connection::Open(options, /*read_only=*/true));
    db->readers_.push_back(std::move(reader));
  }
  db->writer_thread_ = std::thread([p = db.get()] { p->WriterLoop(); });
  db->syncer_thread_ = std::thread([p = db.get()] { p->SyncerLoop(); });
  db->checkpointer_thread_ = std::thread([p = db.get()] { p->CheckpointerLoop(); });
  return db;
}

SqliteDatabase::~SqliteDatabase() {
  {
    std::lock_guard lock(queue_mu_);
    stopping_ = true;
  }
  queue_cv_.notify_all();
  if (writer_thread_.joinable()) writer_thread_.join();
  // The writer has handed over everything it committed; the syncer completes it, then stops.
  {
    std::lock_guard lock(sync_mu_);
    sync_stopping_ = true;
  }
  sync_cv_.notify_all();
  if (syncer_thread_.joinable()) syncer_thread_.join();
  {
    std::lock_guard lock(checkpoint_mu_);
    checkpoint_stopping_ = true;
  }
  checkpoint_cv_.notify_all();
  if (checkpointer_thread_.joinable()) checkpointer_thread_.join();
  if (wal_fd_ >= 0) ::close(wal_fd_);
}

int SqliteDatabase::OnWalCommit(void* arg, sqlite3* db, const char* name, int frames) {
  auto* self = static_cast<SqliteDatabase*>(arg);
  if (frames >= self->options_.checkpoint_cap_frames) {
    // The checkpointer has copied most frames: what is left is the few committed since.
    if (sqlite3_wal_checkpoint_v2(db, name, SQLITE_CHECKPOINT_PASSIVE, nullptr, nullptr) == SQLITE_OK)
      ++self->writer_checkpoints_;
  } else {
    // Another checkpoint only once checkpoint_frames more were committed since the last one
    // (each costs two syncs); a rewound WAL starts counting again.
    int copied = self->checkpointed_frames_.load(std::memory_order_relaxed);
    if (frames < copied) self->checkpointed_frames_.store(copied = 0, std::memory_order_relaxed);
    if (frames - copied >= self->options_.checkpoint_frames) {
      {
        std::lock_guard lock(self->checkpoint_mu_);
        self->checkpoint_wanted_ = true;
      }
      self->checkpoint_cv_.notify_one();
    }
  }
  return SQLITE_OK;
}

void SqliteDatabase::CheckpointerLoop() {
  for (;;) {
    {
      std::unique_lock lock(checkpoint_mu_);
      checkpoint_cv_.wait(lock, [&] { return checkpoint_stopping_ || checkpoint_wanted_; });
      if (checkpoint_stopping_) return;
      checkpoint_wanted_ = false;
    }
    // PASSIVE: copies what no reader still needs, never waits for the writer or readers.
    int log = 0, copied = 0;
    int rc = sqlite3_wal_checkpoint_v2(checkpointer_->handle(), nullptr, SQLITE_CHECKPOINT_PASSIVE, &log, &copied);
    if (rc == SQLITE_OK) {
      ++background_checkpoints_;
      checkpointed_frames_.store(copied, std::memory_order_relaxed);
    }
    else if (rc != SQLITE_BUSY) spdlog::warn("sqlite: checkpoint failed: {}", sqlite3_errstr(rc));
  }
}

void SqliteDatabase::WriteAsync(TxFn fn, WriteDone done) {
  {
    std::lock_guard lock(queue_mu_);
    if (!stopping_) {
      queue_.push_back(PendingWrite{std::move(fn), std::move(done)});
      queue_cv_.notify_one();
      return;
    }
  }
  done(StoreError(core::Code::kUnavailable, "003", "store is closing"));
}

void SqliteDatabase::WriterLoop() {
  std::vector<PendingWrite> group;
  for (;;) {
    {
      std::unique_lock lock(queue_mu_);
      queue_cv_.wait(lock, [&] { return stopping_ || !queue_.empty(); });
      if (queue_.empty()) return;  // stopping and drained
      while (!queue_.empty() && static_cast<int>(group.size()) < options_.max_group) {
        group.push_back(std::move(queue_.front()));
        queue_.pop_front();
      }
    }
    CommitGroup(group);
    group.clear();
  }
}

void SqliteDatabase::CommitGroup(std::vector<PendingWrite>& group) {
  Status begin = writer_->Control("BEGIN IMMEDIATE");
  if (!begin.ok()) {
    healthy_ = false;
    for (auto& w : group) w.done(begin);
    return;
  }
  std::vector<Status> results(group.size());
  size_t succeeded = 0;
  for (size_t i = 0; i < group.size(); ++i) {
    // A savepoint per callback keeps one caller's failure from undoing its neighbours' work.
    Status sp = writer_->Control("SAVEPOINT w");
    if (!sp.ok()) {
      results[i] = sp;
      continue;
    }
    Status st;
    try {
      st = group[i].fn(*writer_);
    } catch (const std::exception& e) {
      st = StoreError(core::Code::kInternal, "004", std::string("write failed: ") + e.what());
    }
    if (st.ok()) {
      results[i] = writer_->Control("RELEASE w");
      if (results[i].ok()) ++succeeded;
    } else {
      (void)writer_->Control("ROLLBACK TO w");
      (void)writer_->Control("RELEASE w");
      results[i] = st;
    }
  }
  Status commit = writer_->Control("COMMIT");
  if (!commit.ok()) {
    (void)writer_->Control("ROLLBACK");
    healthy_ = false;
    spdlog::error("sqlite: commit failed: {}", commit.error().text);
    for (auto& w : group) w.done(commit);
    return;
  }
  ++commits_;
  committed_writes_ += succeeded;
  std::vector<WriteDone> durable;
  for (size_t i = 0; i < group.size(); ++i) {
    // A failed callback changed nothing: its caller needs no sync to hear about it.
    if (!results[i].ok()) group[i].done(std::move(results[i]));
    else durable.push_back(std::move(group[i].done));
  }
  if (durable.empty()) return;
  {
    std::lock_guard lock(sync_mu_);
    for (auto& d : durable) unsynced_.push_back(std::move(d));
  }
  sync_cv_.notify_one();
}

void SqliteDatabase::SyncerLoop() {
  std::vector<WriteDone> batch;
  for (;;) {
    {
      std::unique_lock lock(sync_mu_);
      sync_cv_.wait(lock, [&] { return sync_stopping_ || !unsynced_.empty(); });
      if (unsynced_.empty()) return;  // stopping and drained
      batch.swap(unsynced_);
    }
    // Everything in `batch` was committed before this sync starts, so the sync covers it.
    Status st = SyncWal();
    if (st.ok()) {
      healthy_ = true;
      ++syncs_;
    } else {
      healthy_ = false;
      spdlog::error("sqlite: {}", st.error().text);
    }
    for (auto& done : batch) done(st);
    batch.clear();
  }
}

Status SqliteDatabase::SyncWal() {
  if (wal_fd_ < 0) {
    std::string wal = options_.path + "-wal";
    wal_fd_ = ::open(wal.c_str(), O_RDONLY | O_CLOEXEC);
    if (wal_fd_ < 0) {
      // The WAL is created by the first commit that writes a page and lives as long as the
      // connections: without one, no committed page waits for the disk.
      if (errno == ENOENT) return Status::Ok();
      return StoreError(core::Code::kInternal, "005", "cannot open " + wal + ": " + std::strerror(errno));
    }
    // The new file's directory entry must survive a power loss too.
    auto dir = std::filesystem::path(options_.path).parent_path();
    int dfd = ::open(dir.empty() ? "." : dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (dfd >= 0) {
      (void)::fsync(dfd);
      ::close(dfd);
    }
  }
  if (::fdatasync(wal_fd_) != 0)
    return StoreError(core::Code::kInternal, "006",
                      std::string("fdatasync of the WAL failed: ") + std::strerror(errno));
  return Status::Ok();
}

std::unique_ptr<SqliteDatabase::Connection> SqliteDatabase::AcquireReader() {
  std::unique_lock lock(readers_mu_);
  readers_cv_.wait(lock, [&] { return !readers_.empty(); });
  auto c = std::move(readers_.back());
  readers_.pop_back();
  return c;
}

void SqliteDatabase::ReleaseReader(std::unique_ptr<Connection> c) {
  {
    std::lock_guard lock(readers_mu_);
    readers_.push_back(std::move(c));
  }
  readers_cv_.notify_one();
}

Status SqliteDatabase::Read(TxFn fn) {
  auto c = AcquireReader();
  Status st = c->Control("BEGIN");
  if (st.ok()) {
    try {
      st = fn(*c);
    } catch (const std::exception& e) {
      st = StoreError(core::Code::kInternal, "004", std::string("read failed: ") + e.what());
    }
    (void)c->Control("COMMIT");
  }
  ReleaseReader(std::move(c));
  return st;
}

uint64_t SqliteDatabase::writer_statements_prepared() const { return writer_->prepared(); }

std::string SqliteDatabase::Health() { return healthy_ ? "ok" : "last commit failed"; }

}  // namespace causeway::store::sqlite
