// Test support: a throw-away PostgreSQL 15 cluster, as the tests start their own Causeway.
//
// Start() creates a cluster in a fresh temporary folder with Debian's server binaries
// (/usr/lib/postgresql/15/bin), owned by an unprivileged user (when running as root: the system
// user `causeway-test`, created if missing; otherwise the current user), listening on a Unix
// socket inside that folder and on a free TCP port of 127.0.0.1, with fsync=on and C collation
// (byte order, as SQLite compares text). Local socket connections are trusted; TCP connections
// need the superuser's password, random per cluster. The server is stopped and the folder
// removed when the PgCluster is destroyed, and also if the test process dies: a watchdog
// process waits on a pipe only this process holds open.
//
// initdb runs once per build tree: its result is kept as a template (CW_PG_TEMPLATE_DIR, under
// the build folder) and copied for each cluster, which makes a start take about half a second.
//
// Thread safety: none; create, use and destroy a cluster from one thread (Shared() is safe to
// call from several).
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <sys/types.h>
#include <vector>

#include "core/result.h"

namespace causeway::testing {

class PgCluster {
 public:
  struct Options {
    // Extra server settings, "name=value", added to the defaults (fsync=on, …).
    std::vector<std::string> settings;
  };

  // Whether Debian's PostgreSQL 15 server binaries are installed.
  static bool Installed();
  // Creates and starts a cluster. Errors name the failing step and quote the end of its log.
  static core::Result<std::unique_ptr<PgCluster>> Start(const Options& options);
  static core::Result<std::unique_ptr<PgCluster>> Start() { return Start(Options{}); }
  // One cluster per test process, started on first call and removed at exit; nullptr if it
  // cannot start (`why`, if given, receives the reason).
  static PgCluster* Shared(std::string* why = nullptr);

  ~PgCluster();
  PgCluster(const PgCluster&) = delete;
  PgCluster& operator=(const PgCluster&) = delete;

  // Creates an empty database named `<prefix>_<n>` (lower-cased, other characters replaced by
  // '_') and returns a libpq connection string for it over the Unix socket.
  core::Result<std::string> CreateDatabase(std::string_view prefix);
  // Connection strings for `dbname`: over the socket (no password), or a TCP URI with the
  // superuser's password.
  std::string SocketConnInfo(std::string_view dbname) const;
  std::string TcpUri(std::string_view dbname) const;
  // Runs `sql` as superuser in `dbname`, returning the first column of the first row ("" if
  // none).
  core::Result<std::string> AdminQuery(std::string_view sql, std::string_view dbname = "postgres");
  // Terminates every backend connected to `dbname` (pg_terminate_backend); returns how many.
  core::Result<int> TerminateBackends(std::string_view dbname);

  // Stops the server (fast shutdown) and starts it again on the same port, for outage tests.
  core::Status StopServer();
  core::Status StartServer();

  int port() const { return port_; }
  const std::string& dir() const { return dir_; }
  const std::string& user() const { return superuser_; }
  const std::string& password() const { return password_; }

 private:
  PgCluster() = default;
  // Runs a shell command as the cluster's owner, output appended to `log`.
  core::Status RunAsOwner(const std::string& command, const std::string& log) const;
  std::string PgCtl(const std::string& action) const;

  std::string dir_;        // the temporary folder: data/, the socket, logs
  std::string run_as_;     // "runuser -u causeway-test -- " when root, else ""
  std::string superuser_ = "causeway";
  std::string password_;
  std::vector<std::string> settings_;
  int port_ = 0;
  int watchdog_fd_ = -1;   // write end of the watchdog's pipe
  pid_t watchdog_pid_ = -1;
  int databases_ = 0;
};

}  // namespace causeway::testing
