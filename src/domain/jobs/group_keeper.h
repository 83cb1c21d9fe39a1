// Kills the process groups of running command steps when the server dies, however it dies.
//
// PR_SET_PDEATHSIG reaches only a step's leader: a shell that started `sleep 300 &` would leave
// the sleep running after kill -9 of the server, while recovery ends its job in A and a
// JobRestart may run the same work again beside it. The keeper is a small process forked from
// the server that holds one end of a socket pair: the server tells it which groups run, and
// when the other end closes (the server exited, by any signal) it SIGKILLs those groups.
#pragma once
#include <sys/types.h>

#include <mutex>

namespace causeway::jobs {

class GroupKeeper {
 public:
  // The keeper of this process, started on first use.
  static GroupKeeper& Instance();

  // `pgid` now runs a step / has been stopped and reaped. Never blocks (a message a stopped
  // keeper has no room for is dropped, with one warning); without a keeper (fork failed)
  // PR_SET_PDEATHSIG on the leader is all that is left.
  void Started(pid_t pgid);
  void Ended(pid_t pgid);

  // The keeper's pid (tests), 0 if none could be started.
  pid_t KeeperPid();

 private:
  GroupKeeper() = default;
  void EnsureStarted();  // REQUIRES(mu_)
  void Send(pid_t value);

  std::mutex mu_;
  bool tried_ = false;  // GUARDED_BY(mu_)
  int fd_ = -1;         // GUARDED_BY(mu_)
  pid_t pid_ = 0;       // GUARDED_BY(mu_)
  bool warned_ = false;  // GUARDED_BY(mu_)
};

}  // namespace causeway::jobs
