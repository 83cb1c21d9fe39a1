#include "client/stop_signal.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <unistd.h>

#include <cerrno>
#include <thread>

namespace causeway::client {

namespace {

std::atomic<int> g_signal{0};
int g_pipe[2] = {-1, -1};
struct sigaction g_old_term;
struct sigaction g_old_int;

void OnSignal(int sig) {
  // SA_RESETHAND resets only the handler that fired: a SIGINT after a SIGTERM would be caught
  // again. Both go back to the default here (sigaction is async-signal-safe).
  struct sigaction dfl {};
  dfl.sa_handler = SIG_DFL;
  sigemptyset(&dfl.sa_mask);
  sigaction(SIGTERM, &dfl, nullptr);
  sigaction(SIGINT, &dfl, nullptr);
  int expected = 0;
  g_signal.compare_exchange_strong(expected, sig);
  if (g_pipe[1] >= 0) {
    char byte = 1;
    ssize_t ignored = write(g_pipe[1], &byte, 1);  // async-signal-safe
    (void)ignored;
  }
}

}  // namespace

StopSignal::StopSignal() {
  g_signal.store(0);
  if (pipe(g_pipe) == 0) {
    for (int fd : g_pipe) fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK);
    for (int fd : g_pipe) fcntl(fd, F_SETFD, FD_CLOEXEC);
  }
  struct sigaction sa {};
  sa.sa_handler = &OnSignal;
  sigemptyset(&sa.sa_mask);
  sa.sa_flags = SA_RESETHAND;
  sigaction(SIGTERM, &sa, &g_old_term);
  sigaction(SIGINT, &sa, &g_old_int);
}

StopSignal::~StopSignal() {
  sigaction(SIGTERM, &g_old_term, nullptr);
  sigaction(SIGINT, &g_old_int, nullptr);
  for (int& fd : g_pipe) {
    if (fd >= 0) close(fd);
    fd = -1;
  }
}

bool StopSignal::SleepFor(std::chrono::milliseconds duration) {
  auto deadline = std::chrono::steady_clock::now() + duration;
  for (;;) {
    if (g_signal.load() != 0 && !acknowledged_) return false;
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) return true;
    pollfd pfd{g_pipe[0], POLLIN, 0};
    int rc = poll(&pfd, 1, static_cast<int>(left.count()));
    if (rc > 0) {
      char buf[16];
      while (read(g_pipe[0], buf, sizeof buf) > 0) {
      }
    } else if (rc < 0 && errno != EINTR) {
      std::this_thread::sleep_for(left);  // no pipe: still honour the duration
    }
  }
}

int StopSignal::StopRequested() const { return g_signal.load(); }

bool PlainSleeper::SleepFor(std::chrono::milliseconds duration) {
  std::this_thread::sleep_for(duration);
  return true;
}

}  // namespace causeway::client
