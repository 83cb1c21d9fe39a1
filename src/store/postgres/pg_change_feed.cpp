#include "store/postgres/pg_change_feed.h"

#include <libpq-fe.h>
#include <poll.h>
#include <spdlog/spdlog.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include <cerrno>

#include "store/postgres/pg_connection.h"

namespace causeway::store::postgres {

namespace {

core::Error FeedDown() {
  return StoreError(core::Code::kUnavailable, "012", "The change feed cannot vouch for the cache (not listening)");
}

}  // namespace

bool PgChangeFeed::ValidChannel(std::string_view name) {
  if (name.empty() || name.size() > 63 || (name[0] >= '0' && name[0] <= '9')) return false;
  for (char c : name)
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_')) return false;
  return true;
}

PgChangeFeed::PgChangeFeed(Options options, std::string description, std::vector<std::string> channels,
                           OnNotice on_notice)
    : options_(std::move(options)), description_(std::move(description)), channels_(std::move(channels)),
      on_notice_(std::move(on_notice)), wake_fd_(eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC)) {
  thread_ = std::thread([this] { Loop(); });
}

PgChangeFeed::~PgChangeFeed() {
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
  }
  cv_.notify_all();
  Wake();
  thread_.join();
  if (wake_fd_ >= 0) ::close(wake_fd_);
}

bool PgChangeFeed::listening() const {
  std::lock_guard lock(mu_);
  return listening_;
}

void PgChangeFeed::Wake() {
  uint64_t one = 1;
  if (wake_fd_ >= 0) (void)!::write(wake_fd_, &one, sizeof one);
}

void PgChangeFeed::SetListening(bool on) {
  std::lock_guard lock(mu_);
  listening_ = on;
}

// One way to wait for a barrier: the feed's thread ends it, at the latest by its deadline.
bool PgChangeFeed::Sync(std::chrono::milliseconds wait) { return SyncAsync(wait)->Wait().ok(); }

std::shared_ptr<core::Completion> PgChangeFeed::SyncAsync(std::chrono::milliseconds wait) {
  auto done = std::make_shared<core::Completion>();
  bool queued = false;
  {
    std::lock_guard lock(mu_);
    if (listening_ && !stopping_) {
      async_.push_back({++requested_, std::chrono::steady_clock::now() + wait, done});
      queued = true;
    }
  }
  if (!queued) done->Complete(FeedDown());
  else Wake();
  return done;
}

std::chrono::milliseconds PgChangeFeed::EndAsyncSyncs(bool session_gone) {
  std::vector<std::shared_ptr<core::Completion>> synced, failed;
  auto next = std::chrono::milliseconds(1000);
  {
    std::lock_guard lock(mu_);
    const auto now = std::chrono::steady_clock::now();
    std::erase_if(async_, [&](AsyncSync& a) {
      if (a.want <= synced_) synced.push_back(std::move(a.done));
      else if (session_gone || stopping_ || a.deadline <= now) failed.push_back(std::move(a.done));
      else {
        next = std::min(next, std::chrono::ceil<std::chrono::milliseconds>(a.deadline - now));
        return false;
      }
      return true;
    });
  }
  // Outside the lock: a completion's callbacks run here (they hand the request back to its
  // I/O thread).
  for (auto& c : synced) c->Complete(core::Status::Ok());
  for (auto& c : failed) c->Complete(FeedDown());
  return next;
}

void PgChangeFeed::Loop() {
  auto backoff = std::chrono::milliseconds(50);
  for (;;) {
    const bool connected = Session();
    std::unique_lock lock(mu_);
    if (stopping_) {
      lock.unlock();
      EndAsyncSyncs(true);
      return;
    }
    if (connected) backoff = std::chrono::milliseconds(50);  // a session that broke: try again soon
    cv_.wait_for(lock, backoff, [&] { return stopping_; });
    if (stopping_) return;
    backoff = std::min(backoff * 2, std::chrono::milliseconds(2000));
  }
}

bool PgChangeFeed::Session() {
  auto opened = PgConnection::Open(options_, 0);
  if (!opened.ok()) {
    if (!outage_)
      spdlog::warn("postgres: change feed cannot connect to {} ({}); retrying", description_,
                   Redact(opened.error().text, options_.password));
    outage_ = true;
    return false;
  }
  std::unique_ptr<PgConnection> session = std::move(*opened);
  pg_conn* conn = session->native_handle();
  std::string listen;
  for (const std::string& c : channels_) listen += "LISTEN " + c + ";";
  {
    PGresult* r = PQexec(conn, listen.c_str());
    const bool ok = PQresultStatus(r) == PGRES_COMMAND_OK;
    PQclear(r);
    if (!ok || PQsetnonblocking(conn, 1) != 0) {
      if (!outage_)
        spdlog::warn("postgres: change feed cannot listen on {} ({}); retrying", description_,
                     Redact(FirstLine(PQerrorMessage(conn)), options_.password));
      outage_ = true;
      return false;
    }
  }
  on_notice_(nullptr);  // whatever changed while nobody listened
  SetListening(true);
  if (outage_) spdlog::info("postgres: change feed listening again on {}", description_);
  outage_ = false;

  auto drain = [&] {
    while (PGnotify* n = PQnotifies(conn)) {
      Notice notice{n->relname, n->extra};
      on_notice_(&notice);
      PQfreemem(n);
    }
  };
  bool in_flight = false;
  auto poll_for = std::chrono::milliseconds(1000);
  uint64_t covering = 0;  // the requests the round trip in flight answers
  std::string why;
  for (;;) {
    bool send = false;
    {
      std::lock_guard lock(mu_);
      if (stopping_) break;
      if (!in_flight && requested_ > synced_) {
        covering = requested_;
        send = true;
      }
    }
    if (send) {
      if (PQsendQuery(conn, "SELECT 1") != 1) break;
      in_flight = true;
    }
    const int unsent = PQflush(conn);
    if (unsent < 0) break;
    pollfd fds[2] = {{PQsocket(conn), static_cast<short>(POLLIN | (unsent ? POLLOUT : 0)), 0}, {wake_fd_, POLLIN, 0}};
    if (::poll(fds, 2, static_cast<int>(poll_for.count())) < 0 && errno != EINTR) break;
    if (fds[1].revents & POLLIN) {
      uint64_t ignored;
      (void)!::read(wake_fd_, &ignored, sizeof ignored);
    }
    if (fds[0].revents & (POLLIN | POLLERR | POLLHUP)) {
      if (PQconsumeInput(conn) == 0) break;
      bool answered = false, failed = false;
      while (in_flight && !PQisBusy(conn)) {
        PGresult* r = PQgetResult(conn);
        if (r == nullptr) {
          answered = true;
          break;
        }
        if (PQresultStatus(r) != PGRES_TUPLES_OK) failed = true;
        PQclear(r);
      }
      if (failed) break;
      drain();  // the notices that arrived ahead of the answer first
      if (answered) {
        in_flight = false;
        std::lock_guard lock(mu_);
        synced_ = covering;
      }
    }
    poll_for = EndAsyncSyncs(false);
    if (PQstatus(conn) != CONNECTION_OK) break;
  }
  bool stopping;
  {
    std::lock_guard lock(mu_);
    stopping = stopping_;
  }
  SetListening(false);
  EndAsyncSyncs(true);
  if (!stopping) {
    outage_ = true;
    spdlog::warn("postgres: change feed lost its connection to {} ({}); reconnecting", description_,
                 Redact(FirstLine(PQerrorMessage(conn)), options_.password));
    on_notice_(nullptr);
  }
  return true;
}

}  // namespace causeway::store::postgres
