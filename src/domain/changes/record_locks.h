// Per-record locks of one process: an edit holds its records from the moment it reads them
// until its unit of work is durable (or rolled back), so that two requests on one record never
// decide on the same old state. Across nodes the version check of every write catches what
// these locks cannot see.
//
// Thread-safe. Acquire waits for held keys on a worker thread; on an I/O thread
// (core::NonBlockingScope) it answers core::WouldBlock() instead. Release may run on any thread
// (the store thread that completed the commit).
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <string>
#include <unordered_map>
#include <vector>

#include "core/result.h"

namespace causeway::changes {

class RecordLocks {
 public:
  // Takes every key at once (all or nothing, so no lock-order deadlock) for `owner` (a unit of
  // work's id: store::UnitOfWork::id()). A key already held by `owner` itself is an error
  // (kInternal CAUSEWAY/CX/092: one edit per record and unit of work); waiting longer than
  // `timeout` gives kUnavailable CAUSEWAY/CX/030.
  core::Status Acquire(const std::vector<std::string>& keys, uint64_t owner, std::chrono::milliseconds timeout);
  void Release(const std::vector<std::string>& keys);
  size_t held() const;

 private:
  mutable std::mutex mu_;
  std::condition_variable cv_;
  std::unordered_map<std::string, uint64_t> held_;  // GUARDED_BY(mu_)
};

}  // namespace causeway::changes
