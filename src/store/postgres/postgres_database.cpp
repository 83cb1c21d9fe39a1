#include "store/postgres/postgres_database.h"

#include <libpq-fe.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <random>
#include <thread>

#include "core/blocking.h"
#include "store/postgres/pg_change_feed.h"
#include "store/postgres/pg_connection.h"

namespace causeway::store::postgres {
namespace {

using Clock = std::chrono::steady_clock;
using std::chrono::milliseconds;

constexpr milliseconds kFirstBackoff{50};
constexpr milliseconds kMaxBackoff{2000};
constexpr const char* kBeginRead = "BEGIN ISOLATION LEVEL REPEATABLE READ, READ ONLY";

}  // namespace

// A pooled connection held for one transaction; returns it to the pool when destroyed.
class PostgresDatabase::Lease {
 public:
  Lease(PostgresDatabase* db, std::unique_ptr<PgConnection> c) : db_(db), c_(std::move(c)) {}
  Lease(Lease&& o) noexcept = default;
  Lease& operator=(Lease&&) = delete;
  ~Lease() {
    if (db_ && c_) db_->Release(std::move(c_));
  }
  PgConnection* operator->() const { return c_.get(); }
  PgConnection& operator*() const { return *c_; }

 private:
  PostgresDatabase* db_;
  std::unique_ptr<PgConnection> c_;
};

PostgresDatabase::PostgresDatabase(Options options) : options_(std::move(options)) {
  static constexpr const char* kIsolation[] = {"READ COMMITTED", "REPEATABLE READ", "SERIALIZABLE"};
  begin_write_ = std::string("BEGIN ISOLATION LEVEL ") + kIsolation[static_cast<int>(options_.isolation)];
}

Result<std::unique_ptr<PostgresDatabase>> PostgresDatabase::Open(const Options& options) {
  auto db = std::unique_ptr<PostgresDatabase>(new PostgresDatabase(options));
  // libpq's parse message may quote the string, password included: say only that it is wrong.
  PQconninfoOption* parsed = PQconninfoParse(options.conninfo.c_str(), nullptr);
  if (!parsed)
    return StoreError(core::Code::kInternal, "001", "the PostgreSQL connection string is malformed (not shown: it may hold a password)");
  std::string description;
  for (std::string_view shown : {"host", "hostaddr", "port", "dbname", "user"}) {
    for (PQconninfoOption* o = parsed; o->keyword; ++o) {
      if (o->val && *o->val && shown == o->keyword)
        description += (description.empty() ? "" : " ") + std::string(shown) + "=" + o->val;
    }
  }
  for (PQconninfoOption* o = parsed; o->keyword; ++o)
    if (o->val && std::string_view(o->keyword) == "password") db->password_ = o->val;
  if (!options.password.empty()) db->password_ = options.password;
  PQconninfoFree(parsed);
  db->description_ = description.empty() ? "(libpq defaults)" : description;
  db->options_.pool_size = std::max(1, options.pool_size);
  db->options_.max_attempts = std::max(1, options.max_attempts);

  auto first = PgConnection::Open(db->options_, 0);
  if (!first.ok()) {
    core::Error e = std::move(first).error();
    e.text = "cannot connect to PostgreSQL (" + db->description_ + "): " + db->Redact(e.text);
    return e;
  }
  db->idle_.push_back(std::move(first).value());
  db->unopened_ = db->options_.pool_size - 1;
  return db;
}

PostgresDatabase::~PostgresDatabase() {
  std::vector<std::thread> writers;
  {
    std::lock_guard lock(async_mu_);
    async_stopping_ = true;
    writers.swap(async_writers_);
  }
  async_cv_.notify_all();
  for (auto& t : writers) t.join();
}

void PostgresDatabase::WriteAsync(TxFn fn, WriteDone done) {
  {
    std::lock_guard lock(async_mu_);
    if (!async_stopping_) {
      async_queue_.emplace_back(std::move(fn), std::move(done));
      // One thread per pooled connection: more could only wait for a connection.
      if (async_writers_.size() < static_cast<size_t>(std::max(1, options_.pool_size)))
        async_writers_.emplace_back([this] { AsyncWriterLoop(); });
      async_cv_.notify_one();
      return;
    }
  }
  done(StoreError(core::Code::kUnavailable, "003", "store is closing"));
}

void PostgresDatabase::AsyncWriterLoop() {
  for (;;) {
    std::pair<TxFn, WriteDone> job;
    {
      std::unique_lock lock(async_mu_);
      async_cv_.wait(lock, [&] { return async_stopping_ || !async_queue_.empty(); });
      if (async_queue_.empty()) return;  // stopping and drained
      job = std::move(async_queue_.front());
      async_queue_.pop_front();
    }
    job.second(Write(std::move(job.first)));
  }
}

// Defence in depth: libpq and the server do not quote passwords, but nothing we log should.
// (A password of a few characters would blank out ordinary words: those are left alone.)
std::string PostgresDatabase::Redact(std::string text) const { return postgres::Redact(std::move(text), password_); }

Result<PostgresDatabase::Lease> PostgresDatabase::Acquire() {
  std::unique_ptr<PgConnection> c;
  {
    std::unique_lock lock(pool_mu_);
    pool_cv_.wait(lock, [&] { return !idle_.empty() || unopened_ > 0; });
    if (!idle_.empty()) {
      c = std::move(idle_.back());
      idle_.pop_back();
    } else {
      --unopened_;
    }
  }
  // A connection from before a reported loss most likely died with the others: replace it
  // without a word. One that the server closed while it sat idle is a new loss.
  if (c && c->generation() < generation_.load()) {
    c.reset();
  } else if (c && !c->Alive()) {
    ReportLoss(*c, StoreError(core::Code::kUnavailable, "005", c->LastError()));
    c.reset();
  }
  if (!c) {
    auto fresh = Connect();
    if (!fresh.ok()) {
      {
        std::lock_guard lock(pool_mu_);
        ++unopened_;
      }
      pool_cv_.notify_one();
      return std::move(fresh).error();
    }
    c = std::move(fresh).value();
  }
  return Lease(this, std::move(c));
}

void PostgresDatabase::Release(std::unique_ptr<PgConnection> c) {
  if (!c->Reset()) c.reset();
  {
    std::lock_guard lock(pool_mu_);
    if (c) idle_.push_back(std::move(c));
    else ++unopened_;
  }
  pool_cv_.notify_one();
}

Result<std::unique_ptr<PgConnection>> PostgresDatabase::Connect() {
  const auto deadline = Clock::now() + milliseconds(options_.reconnect_wait_ms);
  for (;;) {
    Clock::time_point due;
    {
      std::lock_guard lock(state_mu_);
      due = down_ ? next_attempt_ : Clock::now();
    }
    if (due > deadline) break;
    std::this_thread::sleep_until(due);  // back-off while the server is away (no-op when up)
    auto c = PgConnection::Open(options_, generation_.load());
    if (c.ok()) {
      ReportConnected();
      return c;
    }
    ReportConnectFailure(c.error());
    if (Clock::now() >= deadline) break;
  }
  std::lock_guard lock(state_mu_);
  return StoreError(core::Code::kUnavailable, "005",
                    "PostgreSQL unavailable (" + description_ + "): " + down_reason_);
}

void PostgresDatabase::ReportLoss(const PgConnection& c, const core::Error& why) {
  // Only a connection opened after the last reported loss reports a new one: the others of the
  // same pool failing one after the other are the same outage.
  uint64_t gen = c.generation();
  if (!generation_.compare_exchange_strong(gen, gen + 1)) return;
  std::lock_guard lock(state_mu_);
  down_reason_ = Redact(why.text);
  if (!down_) {
    down_ = true;
    down_since_ = Clock::now();
    backoff_ = milliseconds(0);
    next_attempt_ = Clock::now();  // try to reconnect at once: a single killed backend is common
  }
  spdlog::warn("postgres: lost the connection to {} ({}); reconnecting", description_, down_reason_);
}

void PostgresDatabase::ReportConnectFailure(const core::Error& why) {
  std::lock_guard lock(state_mu_);
  down_reason_ = Redact(why.text);
  if (!down_) {
    down_ = true;
    down_since_ = Clock::now();
    spdlog::warn("postgres: cannot connect to {} ({}); retrying with back-off", description_, down_reason_);
  }
  backoff_ = std::min(kMaxBackoff, backoff_ == milliseconds(0) ? kFirstBackoff : backoff_ * 2);
  next_attempt_ = Clock::now() + backoff_;
}

void PostgresDatabase::ReportConnected() {
  std::lock_guard lock(state_mu_);
  if (!down_) return;
  down_ = false;
  backoff_ = milliseconds(0);
  ++reconnects_;
  auto ms = std::chrono::duration_cast<milliseconds>(Clock::now() - down_since_).count();
  spdlog::info("postgres: connection to {} re-established after {} ms", description_, ms);
}

std::string PostgresDatabase::Health() {
  std::lock_guard lock(state_mu_);
  return down_ ? "unavailable: " + down_reason_ : "ok";
}

namespace {

Status RunCallback(const TxFn& fn, Tx& tx, const char* what) {
  try {
    return fn(tx);
  } catch (const std::exception& e) {
    return StoreError(core::Code::kInternal, "004", std::string(what) + " failed: " + e.what());
  }
}

// Random back-off before re-running after a serialization failure or deadlock, so that the
// two transactions that collided do not collide again in lock-step.
void RetryPause(int attempt) {
  thread_local std::minstd_rand rng(std::random_device{}());
  int cap_us = std::min(50'000, 500 << std::min(attempt, 7));
  std::this_thread::sleep_for(std::chrono::microseconds(std::uniform_int_distribution<int>(0, cap_us)(rng)));
}

}  // namespace

Status PostgresDatabase::Write(TxFn fn) {
  // Every statement waits on the network: never where waiting is forbidden (core/blocking.h).
  if (!core::MayBlock()) return core::WouldBlock();
  Status last;
  for (int attempt = 1; attempt <= options_.max_attempts; ++attempt) {
    CW_ASSIGN_OR_RETURN(Lease c, Acquire());
    Status st = c->Begin(begin_write_.c_str(), options_.pipeline);
    if (st.ok()) st = RunCallback(fn, *c, "write");
    if (c->Broken()) {
      // COMMIT was not sent, so nothing committed: run fn again on a fresh connection.
      ReportLoss(*c, st.ok() ? StoreError(core::Code::kUnavailable, "005", c->LastError()) : st.error());
      last = st.ok() ? StoreError(core::Code::kUnavailable, "005", c->LastError()) : st;
      ++retries_;
      continue;
    }
    if (c->retry_requested()) {
      last = st.ok() ? StoreError(core::Code::kUnavailable, "007", "serialization failure or deadlock") : st;
      (void)c->Reset();
      ++retries_;
      RetryPause(attempt);
      continue;
    }
    if (!st.ok()) {
      (void)c->Reset();
      return st;
    }
    Status commit = c->Commit();
    if (commit.ok()) {
      // Committed: the notices go out before the caller hears so; their loss is only logged.
      if (Status sent = c->SendNotices(); !sent.ok()) {
        if (c->Broken()) ReportLoss(*c, sent.error());
        spdlog::warn("postgres: a committed write's change notices were not sent: {}", Redact(sent.error().text));
      }
      return commit;
    }
    if (c->Broken()) {
      ReportLoss(*c, commit.error());
      if (c->commit_in_doubt())
        return StoreError(core::Code::kUnavailable, "006",
                          "connection lost during COMMIT; the outcome is unknown: " + commit.error().text);
      last = commit;  // the session died before COMMIT could run
      ++retries_;
      continue;
    }
    // A deadlock surfacing only now (pipelined statements), or SERIALIZABLE refusing at COMMIT.
    if (!c->retry_requested()) return commit;
    last = commit;
    (void)c->Reset();
    ++retries_;
    RetryPause(attempt);
  }
  core::Error e = std::move(last).error();
  e.text = "gave up after " + std::to_string(options_.max_attempts) + " attempts: " + e.text;
  return e;
}

std::unique_ptr<ChangeFeed> PostgresDatabase::Listen(std::vector<std::string> channels, ChangeFeed::OnNotice on_notice) {
  if (channels.empty()) return nullptr;
  for (const std::string& c : channels)
    if (!PgChangeFeed::ValidChannel(c)) return nullptr;
  Options o = options_;
  o.password = password_.empty() ? options_.password : password_;
  o.application_name = options_.application_name + " (feed)";
  return std::make_unique<PgChangeFeed>(std::move(o), description_, std::move(channels), std::move(on_notice));
}

Status PostgresDatabase::Read(TxFn fn) {
  if (!core::MayBlock()) return core::WouldBlock();
  CW_ASSIGN_OR_RETURN(Lease c, Acquire());
  Status st = c->Begin(kBeginRead, options_.pipeline);
  // Read callbacks collect into the caller's variables and are not re-run once started.
  if (st.ok()) st = RunCallback(fn, *c, "read");
  if (c->Broken()) {
    ReportLoss(*c, st.ok() ? StoreError(core::Code::kUnavailable, "005", c->LastError()) : st.error());
    return st.ok() ? StoreError(core::Code::kUnavailable, "005", "connection lost during a read: " + c->LastError())
                   : st;
  }
  // COMMIT ends the read-only transaction and reports an error of a statement sent without
  // waiting (an Exec in a read).
  if (st.ok()) st = c->Commit();
  return st;
}

}  // namespace causeway::store::postgres
