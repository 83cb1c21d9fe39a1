// JobStatusGet without a cache (nodes sharing PostgreSQL): concurrent reads share one store
// query, as concurrent writes share one commit. Under load every read would otherwise pay a
// transaction of its own; batched, a few dozen statuses cost about as much as one.
//
// Freshness is that of a read of its own: a caller's status comes from a query that started
// after the caller arrived (a caller arriving while a query runs waits for the next one), so it
// sees every write committed before the call — other nodes' included.
//
// Thread-safe. Get() blocks on the store (never call it from an I/O thread); the first caller
// to find no query running runs the next one for everybody waiting.
#pragma once

#include <condition_variable>
#include <mutex>
#include <optional>
#include <vector>

#include "domain/jobs/job_repository.h"

namespace causeway::jobs {

class StatusReads {
 public:
  explicit StatusReads(store::Database& db) : db_(db) {}

  // The job's status and creator; nullopt if it does not exist. Store errors as the store
  // reports them (to every caller of the failed query).
  core::Result<std::optional<repository::StatusRow>> Get(const JobKey& key);

 private:
  struct Waiter {
    const JobKey* key;
    bool done = false;
    core::Status error;
    std::optional<repository::StatusRow> row;
  };
  // Runs one query for `batch` and fills in each waiter (without the lock).
  void Query(const std::vector<Waiter*>& batch);

  store::Database& db_;
  std::mutex mu_;
  std::condition_variable cv_;
  std::vector<Waiter*> pending_;  // GUARDED_BY(mu_): arrived, not in a query yet
  bool running_ = false;          // GUARDED_BY(mu_)
};

}  // namespace causeway::jobs
