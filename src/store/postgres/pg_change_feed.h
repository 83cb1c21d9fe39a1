// store::ChangeFeed on PostgreSQL: LISTEN on a session of its own, read by one thread.
//
// Sync() is a read barrier. PostgreSQL signals every listening backend when a transaction
// with NOTIFY commits, before the committer's client hears "COMMIT"; an idle listening backend
// passes the notices on before it reads its next query. So once the answer to a "SELECT 1"
// sent after Sync() was called has arrived, every notice of a transaction committed before
// that call has arrived ahead of it. Overlapping Sync() calls share one such round trip.
//
// Loss: when the session breaks the feed reports null to its listener (notices may be lost),
// Sync() answers false until a new session listens again (then null is reported once more,
// for what changed in between). Reconnection backs off from 50 ms to 2 s; one warning per
// outage and one info line when it is over, without the password.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "store/database.h"
#include "store/postgres/postgres_database.h"

namespace causeway::store::postgres {

class PgChangeFeed final : public ChangeFeed {
 public:
  // Starts the listening thread; the first session is opened there (Sync() answers false
  // until it listens). `description` names the server in log lines.
  PgChangeFeed(Options options, std::string description, std::vector<std::string> channels, OnNotice on_notice);
  ~PgChangeFeed() override;

  bool Sync(std::chrono::milliseconds wait) override;
  std::shared_ptr<core::Completion> SyncAsync(std::chrono::milliseconds wait) override;

  // Whether a session listens now (for tests and health).
  bool listening() const;

  // Channel names the feed accepts: 1-63 characters of a-z, 0-9 and '_', not starting with a digit.
  static bool ValidChannel(std::string_view name);

 private:
  void Loop();
  // One session's life: connect, LISTEN, serve notices and syncs until it breaks or the feed
  // stops. Returns false if it could not connect.
  bool Session();
  void Wake();
  void SetListening(bool on);
  // Ends the SyncAsync completions that the answered round trips cover (Ok), that are past
  // their deadline, or all of them once the session is gone (errors). Returns how long the
  // thread may poll before the next deadline. Feed thread only.
  std::chrono::milliseconds EndAsyncSyncs(bool session_gone);

  struct AsyncSync {
    uint64_t want;
    std::chrono::steady_clock::time_point deadline;
    std::shared_ptr<core::Completion> done;
  };

  const Options options_;
  const std::string description_;
  const std::vector<std::string> channels_;
  const OnNotice on_notice_;
  int wake_fd_ = -1;  // eventfd: a Sync() was requested, or the feed stops
  bool outage_ = false;  // feed thread only: a loss was logged and not yet its end

  mutable std::mutex mu_;
  std::condition_variable cv_;  // the reconnection back-off waits here for stopping_
  bool listening_ = false;  // GUARDED_BY(mu_)
  bool stopping_ = false;   // GUARDED_BY(mu_)
  uint64_t requested_ = 0;  // GUARDED_BY(mu_): barriers asked for so far
  uint64_t synced_ = 0;     // GUARDED_BY(mu_): requests covered by an answered round trip
  std::vector<AsyncSync> async_;  // GUARDED_BY(mu_): barriers not ended yet (Sync's too), oldest first
  std::thread thread_;
};

}  // namespace causeway::store::postgres
