// A bounded cache of job snapshots in front of the store, for an engine that is the only writer
// of its store (SQLite): reads of recent jobs (JobStatusGet polls) are answered from memory, a
// miss reads the store. Least recently used entries go first, so memory stays bounded however
// many jobs the store holds.
//
// Consistency with the store. Writers publish after their write is durable (Publish), removals
// erase; a reader that missed loads the job from the store and offers it with Offer(), passing
// the generation it took before reading (Generation). The offer is dropped if any write touched
// the key's shard meanwhile, so a snapshot read before a write can never replace the newer one
// (nor come back after the newer one was evicted). Publish never replaces a snapshot with one
// earlier in the job's life (Y < R < c < ended), so a late publisher cannot undo a later one.
//
// Thread-safe; every call is short and never blocks on I/O (JobStatusGet runs on I/O threads).
#pragma once

#include <cstddef>
#include <cstdint>
#include <list>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>
#include <vector>

#include "domain/jobs/job.h"

namespace causeway::jobs {

class JobCache {
 public:
  using Entry = std::shared_ptr<const Job>;

  // Holds at most `capacity` jobs (at least one per shard).
  explicit JobCache(size_t capacity, size_t shards = 16);

  // The cached snapshot (made the most recently used), or null.
  Entry Find(const JobKey& key);
  // Take before reading the store for an Offer.
  uint64_t Generation(const JobKey& key) const;
  // Caches a snapshot read from the store unless a write touched its shard since `generation`
  // or the key is cached already.
  void Offer(Entry job, uint64_t generation);
  // Caches a snapshot written by this engine (unless the cached one is later in the job's life).
  void Publish(Entry job);
  void Erase(const JobKey& key);
  // The same, by JobKey::Joined() (a change notice's payload).
  void EraseJoined(std::string joined);
  // Drops everything (after a bulk delete).
  void Clear();
  size_t size() const;

 private:
  struct Shard {
    mutable std::mutex mu;
    std::list<Entry> lru;                                                 // GUARDED_BY(mu), front = newest
    std::unordered_map<std::string, std::list<Entry>::iterator> index;    // GUARDED_BY(mu)
    uint64_t generation = 0;                                              // GUARDED_BY(mu): writes seen
  };
  Shard& ShardOf(const std::string& key) const;
  // Under shard.mu: inserts or replaces `job` at the front and evicts beyond the shard's share.
  void Put(Shard& shard, const std::string& key, Entry job);

  size_t per_shard_;
  std::vector<std::unique_ptr<Shard>> shards_;
};

}  // namespace causeway::jobs
