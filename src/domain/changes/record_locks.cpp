#include "domain/changes/record_locks.h"

#include "core/blocking.h"
#include "domain/changes/change_errors.h"

namespace causeway::changes {

core::Status RecordLocks::Acquire(const std::vector<std::string>& keys, uint64_t owner,
                                  std::chrono::milliseconds timeout) {
  std::unique_lock lock(mu_);
  for (const auto& k : keys) {
    auto it = held_.find(k);
    if (it != held_.end() && it->second == owner)
      return core::MakeError(core::Code::kInternal, "CAUSEWAY/CX", "092",
                             "Record " + k + " is already being changed in this unit of work");
  }
  auto free = [&] {
    for (const auto& k : keys)
      if (held_.count(k)) return false;
    return true;
  };
  if (!free() && !core::MayBlock()) return core::WouldBlock();  // an I/O thread: a worker waits instead
  if (!cv_.wait_for(lock, timeout, free)) return errors::Busy();
  for (const auto& k : keys) held_.emplace(k, owner);
  return core::Status::Ok();
}

void RecordLocks::Release(const std::vector<std::string>& keys) {
  {
    std::lock_guard lock(mu_);
    for (const auto& k : keys) held_.erase(k);
  }
  cv_.notify_all();
}

size_t RecordLocks::held() const {
  std::lock_guard lock(mu_);
  return held_.size();
}

}  // namespace causeway::changes
