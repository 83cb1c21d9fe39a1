#include "domain/jobs/group_keeper.h"

#include <signal.h>
#include <spdlog/spdlog.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdint>
#include <cstring>
#include <vector>

namespace causeway::jobs {
namespace {

// More groups than this at once is more than any configured number of job workers; the rest
// would only keep PR_SET_PDEATHSIG.
constexpr size_t kMaxGroups = 16384;

// The keeper's whole life. It is forked from a multi-threaded process, so it calls only
// async-signal-safe functions and uses only memory allocated before the fork.
[[noreturn]] void KeeperMain(int fd, int server_end, int max_fd, pid_t* groups) {
  struct sigaction ignore {};
  ignore.sa_handler = SIG_IGN;
  sigemptyset(&ignore.sa_mask);
  // A Ctrl-C or SIGTERM to the server's process group must not take the keeper before the server:
  // the keeper ends when the server's end closes, after the server stopped its own steps.
  for (int sig : {SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGPIPE, SIGUSR1, SIGUSR2}) ::sigaction(sig, &ignore, nullptr);
  sigset_t none;
  sigemptyset(&none);
  ::sigprocmask(SIG_SETMASK, &none, nullptr);
  // Every other descriptor goes: the server's end (or its EOF would never come) and the
  // listening sockets (or a restarted server could not bind). close_range needs Linux 5.9 and
  // may be refused by a seccomp filter: then one by one.
  ::close(server_end);
  bool closed = (fd == 0 || ::syscall(SYS_close_range, 0, static_cast<unsigned>(fd - 1), 0) == 0) &&
                ::syscall(SYS_close_range, static_cast<unsigned>(fd + 1), ~0U, 0) == 0;
  if (!closed)
    for (int other = 0; other < max_fd; ++other)
      if (other != fd) ::close(other);
  size_t n = 0;
  for (;;) {
    int32_t v = 0;
    ssize_t r = ::recv(fd, &v, sizeof v, 0);
    if (r < 0 && errno == EINTR) continue;
    if (r != static_cast<ssize_t>(sizeof v)) break;  // EOF: the server is gone
    if (v > 0) {
      if (n < kMaxGroups) groups[n++] = v;
    } else {
      for (size_t i = 0; i < n; ++i)
        if (groups[i] == -v) {
          groups[i] = groups[--n];
          break;
        }
    }
  }
  for (size_t i = 0; i < n; ++i) ::kill(-groups[i], SIGKILL);
  ::_exit(0);
}

}  // namespace

GroupKeeper& GroupKeeper::Instance() {
  static GroupKeeper* keeper = new GroupKeeper();  // never destroyed: steps may end during exit
  return *keeper;
}

void GroupKeeper::EnsureStarted() {
  if (tried_) return;
  tried_ = true;
  int sv[2];
  // SOCK_SEQPACKET: one message per send, and send(MSG_NOSIGNAL) to a dead keeper is an error,
  // not a SIGPIPE; SOCK_CLOEXEC and the steps' close_range keep the server's end in the server.
  if (::socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv) != 0) {
    spdlog::warn("jobs: no process-group keeper (socketpair: {}); steps' children may outlive a crash",
                 std::strerror(errno));
    return;
  }
  std::vector<pid_t> groups(kMaxGroups);  // allocated here: the child may not call malloc
  rlimit files{};
  const int max_fd = ::getrlimit(RLIMIT_NOFILE, &files) == 0 && files.rlim_cur != RLIM_INFINITY
                         ? static_cast<int>(std::min<rlim_t>(files.rlim_cur, 1 << 20))
                         : 1 << 20;
  pid_t pid = ::fork();
  if (pid == 0) KeeperMain(sv[1], sv[0], max_fd, groups.data());
  ::close(sv[1]);
  if (pid < 0) {
    spdlog::warn("jobs: no process-group keeper (fork: {}); steps' children may outlive a crash", std::strerror(errno));
    ::close(sv[0]);
    return;
  }
  fd_ = sv[0];
  pid_ = pid;
}

void GroupKeeper::Send(pid_t value) {
  std::lock_guard lock(mu_);
  EnsureStarted();
  if (fd_ < 0) return;
  int32_t v = value;
  ssize_t r;
  do {
    // Never waits: a keeper that stopped reading (SIGSTOP, a debugger) must not stall every step.
    r = ::send(fd_, &v, sizeof v, MSG_NOSIGNAL | MSG_DONTWAIT);
  } while (r < 0 && errno == EINTR);
  if (r < 0 && !warned_) {
    warned_ = true;
    spdlog::warn(
        "jobs: the process-group keeper (pid {}) takes no more messages ({}); steps' children may outlive "
        "a crash",
        pid_, std::strerror(errno));
  }
}

void GroupKeeper::Started(pid_t pgid) { Send(pgid); }
void GroupKeeper::Ended(pid_t pgid) { Send(-pgid); }

pid_t GroupKeeper::KeeperPid() {
  std::lock_guard lock(mu_);
  EnsureStarted();
  return pid_;
}

}  // namespace causeway::jobs
