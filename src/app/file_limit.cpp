#include "app/file_limit.h"

#include <sys/resource.h>

#include <algorithm>

namespace causeway::app {

uint64_t RaiseFileLimit() {
  rlimit limit{};
  if (getrlimit(RLIMIT_NOFILE, &limit) != 0) return 1024;
  if (limit.rlim_cur < limit.rlim_max) {
    rlimit raised = limit;
    raised.rlim_cur = limit.rlim_max;
    if (setrlimit(RLIMIT_NOFILE, &raised) == 0) limit = raised;
  }
  return limit.rlim_cur == RLIM_INFINITY ? UINT64_MAX : static_cast<uint64_t>(limit.rlim_cur);
}

size_t ConnectionsWithinFileLimit(size_t max_connections, uint64_t file_limit) {
  const uint64_t reserve = std::max<uint64_t>(64, file_limit / 8);
  const uint64_t room = file_limit > reserve ? file_limit - reserve : 1;
  return static_cast<size_t>(std::min<uint64_t>(max_connections, std::max<uint64_t>(room, 1)));
}

}  // namespace causeway::app
