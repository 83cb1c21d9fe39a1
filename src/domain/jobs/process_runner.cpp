#include "domain/jobs/process_runner.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <cstring>
#include <mutex>
#include <optional>

#include "domain/jobs/group_keeper.h"
#include "domain/jobs/job_errors.h"

namespace causeway::jobs {
namespace {

using SteadyClock = std::chrono::steady_clock;

// Collects one stream into lines, keeping at most `limit` bytes across both streams.
struct LineCollector {
  std::vector<OutputLine>* lines;
  size_t* kept;
  size_t* dropped;
  size_t limit;
  bool is_stderr;
  std::string partial;

  void Feed(const char* data, size_t n) {
    for (size_t i = 0; i < n; ++i) {
      if (data[i] == '\n') {
        Flush();
        continue;
      }
      if (*kept >= limit) {
        ++*dropped;
        continue;
      }
      partial += data[i];
      ++*kept;
    }
  }
  void Flush() {
    if (!partial.empty() || *kept < limit) lines->push_back({is_stderr, std::move(partial)});
    partial.clear();
  }
  void Finish() {
    if (!partial.empty()) Flush();
  }
};

class PosixProcess final : public RunningProcess {
 public:
  PosixProcess(pid_t pid, int out_fd, int err_fd, const ProcessSpec& spec, std::chrono::milliseconds grace)
      : pid_(pid), out_fd_(out_fd), err_fd_(err_fd), timeout_(spec.timeout), limit_(spec.output_limit),
        grace_(grace), started_(SteadyClock::now()) {}

  ~PosixProcess() override {
    if (out_fd_ >= 0) ::close(out_fd_);
    if (err_fd_ >= 0) ::close(err_fd_);
  }

  int Pid() const override { return pid_; }

  void Terminate() override { SendTerm(/*timed_out=*/false); }

  ProcessOutcome Wait() override {
    ProcessOutcome out;
    size_t kept = 0;
    LineCollector col_out{&out.lines, &kept, &out.dropped_bytes, limit_, false, {}};
    LineCollector col_err{&out.lines, &kept, &out.dropped_bytes, limit_, true, {}};
    int status = 0;
    bool exited = false;
    std::optional<SteadyClock::time_point> exit_time;
    char buf[4096];
    for (;;) {
      pollfd fds[2];
      nfds_t n = 0;
      if (out_fd_ >= 0) fds[n++] = {out_fd_, POLLIN, 0};
      if (err_fd_ >= 0) fds[n++] = {err_fd_, POLLIN, 0};
      if (n > 0 && ::poll(fds, n, 50) > 0) {
        for (nfds_t i = 0; i < n; ++i) {
          if (fds[i].revents == 0) continue;
          ssize_t r = ::read(fds[i].fd, buf, sizeof buf);
          bool is_out = fds[i].fd == out_fd_;
          if (r > 0) {
            (is_out ? col_out : col_err).Feed(buf, static_cast<size_t>(r));
          } else if (r == 0 || (errno != EINTR && errno != EAGAIN)) {
            ::close(fds[i].fd);
            (is_out ? out_fd_ : err_fd_) = -1;
          }
        }
      } else if (n == 0 && !exited) {
        ::usleep(20 * 1000);  // output closed early: keep checking for the exit below
      }
      const auto now = SteadyClock::now();
      if (!exited) {
        // Peek without reaping, so Terminate() never signals a pid that may have been reused.
        siginfo_t info{};
        if (::waitid(P_PID, static_cast<id_t>(pid_), &info, WEXITED | WNOHANG | WNOWAIT) == 0 && info.si_pid == pid_) {
          std::lock_guard lock(mu_);
          ::waitpid(pid_, &status, 0);
          reaped_ = true;
          exited = true;
          exit_time = now;
        }
      }
      if (!exited) {
        if (timeout_.count() > 0 && now - started_ > timeout_) SendTerm(/*timed_out=*/true);
        std::lock_guard lock(mu_);
        if (term_sent_ && !kill_sent_ && now - term_time_ > grace_) {
          ::kill(-pid_, SIGKILL);
          kill_sent_ = true;
        }
      }
      // After the leader exits, give the pipes a moment to drain, then stop: a grandchild that
      // keeps the pipe open must not keep the step alive.
      if (exited && ((out_fd_ < 0 && err_fd_ < 0) || now - *exit_time > std::chrono::milliseconds(500))) break;
    }
    ::kill(-pid_, SIGKILL);  // whatever is left of the group (ESRCH if nothing)
    GroupKeeper::Instance().Ended(pid_);
    col_out.Finish();
    col_err.Finish();
    std::lock_guard lock(mu_);
    if (timed_out_) {
      out.end = ProcessOutcome::End::kTimedOut;
    } else if (term_sent_) {
      out.end = ProcessOutcome::End::kTerminated;
    } else if (WIFSIGNALED(status)) {
      out.end = ProcessOutcome::End::kSignaled;
      out.signal = WTERMSIG(status);
    } else {
      out.end = ProcessOutcome::End::kExited;
    }
    if (WIFEXITED(status)) out.exit_code = WEXITSTATUS(status);
    if (WIFSIGNALED(status)) out.signal = WTERMSIG(status);
    return out;
  }

 private:
  void SendTerm(bool timed_out) {
    std::lock_guard lock(mu_);
    if (reaped_ || term_sent_) return;
    ::kill(-pid_, SIGTERM);
    term_sent_ = true;
    timed_out_ = timed_out;
    term_time_ = SteadyClock::now();
  }

  const pid_t pid_;
  int out_fd_;
  int err_fd_;
  const std::chrono::milliseconds timeout_;
  const size_t limit_;
  const std::chrono::milliseconds grace_;
  const SteadyClock::time_point started_;

  std::mutex mu_;
  bool reaped_ = false;     // GUARDED_BY(mu_)
  bool term_sent_ = false;  // GUARDED_BY(mu_)
  bool kill_sent_ = false;  // GUARDED_BY(mu_)
  bool timed_out_ = false;  // GUARDED_BY(mu_)
  SteadyClock::time_point term_time_;  // GUARDED_BY(mu_)
};

core::Error SpawnError(const std::string& what, int err) {
  return SpawnFailed(what + ": " + std::strerror(err));
}

}  // namespace

core::Result<std::unique_ptr<RunningProcess>> PosixProcessRunner::Start(const ProcessSpec& spec) {
  if (spec.argv.empty()) return SpawnFailed("command step without argv");
  (void)GroupKeeper::Instance().KeeperPid();  // forked before the pipes below exist
  int out_pipe[2];
  int err_pipe[2];
  if (::pipe2(out_pipe, O_CLOEXEC) != 0) return SpawnError("pipe", errno);
  if (::pipe2(err_pipe, O_CLOEXEC) != 0) {
    int e = errno;
    ::close(out_pipe[0]);
    ::close(out_pipe[1]);
    return SpawnError("pipe", e);
  }
  std::vector<std::string> env_strings;
  env_strings.reserve(spec.env.size());
  for (const auto& [k, v] : spec.env) env_strings.push_back(k + "=" + v);
  std::vector<char*> envp;
  for (auto& s : env_strings) envp.push_back(s.data());
  envp.push_back(nullptr);
  std::vector<std::string> args = spec.argv;
  std::vector<char*> argv;
  for (auto& s : args) argv.push_back(s.data());
  argv.push_back(nullptr);
  const char* workdir = spec.working_dir.empty() ? nullptr : spec.working_dir.c_str();

  // fork/exec rather than posix_spawn, for two things posix_spawn cannot do:
  //  - PR_SET_PDEATHSIG: if the server dies (kill -9), the step's leader dies with it at once
  //    (its children, too, through the GroupKeeper);
  //  - close every inherited descriptor (listening sockets, logs, the database) so a step never
  //    keeps the server's port or files open.
  // Between fork and exec the child calls only async-signal-safe functions.
  int status_pipe[2];  // reports an exec failure (errno) to the parent; closed by exec on success
  if (::pipe2(status_pipe, O_CLOEXEC) != 0) {
    int e = errno;
    for (int fd : {out_pipe[0], out_pipe[1], err_pipe[0], err_pipe[1]}) ::close(fd);
    return SpawnError("pipe", e);
  }
  rlimit files{};
  const int max_fd = ::getrlimit(RLIMIT_NOFILE, &files) == 0 && files.rlim_cur != RLIM_INFINITY
                         ? static_cast<int>(std::min<rlim_t>(files.rlim_cur, 1 << 20))
                         : 1 << 20;
  pid_t parent = ::getpid();
  pid_t pid = ::fork();
  if (pid == 0) {
    ::setpgid(0, 0);
    ::prctl(PR_SET_PDEATHSIG, SIGKILL);
    if (::getppid() != parent) ::_exit(127);  // the server died before prctl took effect
    int devnull = ::open("/dev/null", O_RDONLY);
    if (devnull < 0 || ::dup2(devnull, 0) < 0 || ::dup2(out_pipe[1], 1) < 0 || ::dup2(err_pipe[1], 2) < 0) {
      int e = errno;
      (void)!::write(status_pipe[1], &e, sizeof e);
      ::_exit(127);
    }
    // Keep 0-2 and the status pipe (close-on-exec) open; close everything else.
    // close_range needs Linux 5.9 and may be refused by a seccomp filter: then one by one.
    int keep = status_pipe[1];
    bool closed = (keep <= 3 || ::syscall(SYS_close_range, 3, keep - 1, 0) == 0) &&
                  ::syscall(SYS_close_range, std::max(keep + 1, 3), ~0U, 0) == 0;
    if (!closed)
      for (int fd = 3; fd < max_fd; ++fd)
        if (fd != keep) ::close(fd);
    sigset_t none;
    sigemptyset(&none);
    for (int sig = 1; sig < NSIG; ++sig) ::signal(sig, SIG_DFL);
    ::sigprocmask(SIG_SETMASK, &none, nullptr);
    if (workdir && ::chdir(workdir) != 0) {
      int e = errno;
      (void)!::write(keep, &e, sizeof e);
      ::_exit(127);
    }
    ::execvpe(argv[0], argv.data(), envp.data());
    int e = errno;
    (void)!::write(keep, &e, sizeof e);
    ::_exit(127);
  }
  int rc = 0;
  if (pid < 0) {
    rc = errno;
  } else {
    ::setpgid(pid, pid);  // also here, so the group exists before the keeper hears of it
    GroupKeeper::Instance().Started(pid);
    ::close(status_pipe[1]);
    status_pipe[1] = -1;
    int child_errno = 0;
    ssize_t n;
    do {
      n = ::read(status_pipe[0], &child_errno, sizeof child_errno);
    } while (n < 0 && errno == EINTR);
    if (n == static_cast<ssize_t>(sizeof child_errno)) {
      rc = child_errno;
      int ignored;
      ::waitpid(pid, &ignored, 0);
      GroupKeeper::Instance().Ended(pid);
    }
  }
  ::close(status_pipe[0]);
  if (status_pipe[1] >= 0) ::close(status_pipe[1]);
  ::close(out_pipe[1]);
  ::close(err_pipe[1]);
  if (rc != 0) {
    ::close(out_pipe[0]);
    ::close(err_pipe[0]);
    return SpawnError("cannot start " + spec.argv[0], rc);
  }
  return std::unique_ptr<RunningProcess>(
      std::make_unique<PosixProcess>(pid, out_pipe[0], err_pipe[0], spec, kill_grace_));
}

}  // namespace causeway::jobs
