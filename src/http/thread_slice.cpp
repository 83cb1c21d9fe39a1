#include "http/thread_slice.h"

#include <sched.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <cstdint>

namespace causeway::http {
namespace {

// struct sched_attr of <linux/sched/types.h>; glibc 2.36 has no wrapper for sched_[gs]etattr.
struct SchedAttr {
  uint32_t size;
  uint32_t sched_policy;
  uint64_t sched_flags;
  int32_t sched_nice;
  uint32_t sched_priority;
  uint64_t sched_runtime;  // for SCHED_OTHER/SCHED_BATCH: the requested slice in ns
  uint64_t sched_deadline;
  uint64_t sched_period;
  uint32_t sched_util_min;
  uint32_t sched_util_max;
};

bool GetAttr(SchedAttr* attr) {
#ifdef SYS_sched_getattr
  *attr = {};
  return syscall(SYS_sched_getattr, 0, attr, sizeof *attr, 0) == 0;
#else
  (void)attr;
  return false;
#endif
}

}  // namespace

bool RequestThreadSlice(std::chrono::microseconds slice) {
  if (slice.count() <= 0) return false;
#ifdef SYS_sched_setattr
  SchedAttr attr;
  if (!GetAttr(&attr)) return false;
  // Only the fair classes have slices; leave real-time or deadline threads alone.
  if (attr.sched_policy != SCHED_OTHER && attr.sched_policy != SCHED_BATCH) return false;
  attr.size = sizeof attr;
  attr.sched_flags = 0;
  attr.sched_runtime = static_cast<uint64_t>(std::chrono::duration_cast<std::chrono::nanoseconds>(slice).count());
  return syscall(SYS_sched_setattr, 0, &attr, 0) == 0;
#else
  return false;
#endif
}

std::chrono::microseconds ThreadSlice() {
  SchedAttr attr;
  if (!GetAttr(&attr) || (attr.sched_policy != SCHED_OTHER && attr.sched_policy != SCHED_BATCH)) return {};
  return std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::nanoseconds(attr.sched_runtime));
}

}  // namespace causeway::http
