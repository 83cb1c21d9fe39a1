#include "domain/jobs/job_cache.h"

#include <algorithm>
#include <functional>

namespace causeway::jobs {
namespace {

// Where a snapshot stands in its job's life; a job only moves forward.
int Stage(JobStatus s) {
  if (IsWaiting(s)) return 0;
  if (s == JobStatus::kRunning) return 1;
  if (s == JobStatus::kCanceling) return 2;
  return 3;
}

}  // namespace

JobCache::JobCache(size_t capacity, size_t shards) {
  if (shards == 0) shards = 1;
  per_shard_ = std::max<size_t>(1, capacity / shards);
  for (size_t i = 0; i < shards; ++i) shards_.push_back(std::make_unique<Shard>());
}

JobCache::Shard& JobCache::ShardOf(const std::string& key) const {
  return *shards_[std::hash<std::string>{}(key) % shards_.size()];
}

JobCache::Entry JobCache::Find(const JobKey& key) {
  const std::string k = key.Joined();
  Shard& s = ShardOf(k);
  std::lock_guard lock(s.mu);
  auto it = s.index.find(k);
  if (it == s.index.end()) return nullptr;
  // Polled again and again, the newest job is already in front: no list write.
  if (it->second != s.lru.begin()) s.lru.splice(s.lru.begin(), s.lru, it->second);
  return *it->second;
}

uint64_t JobCache::Generation(const JobKey& key) const {
  Shard& s = ShardOf(key.Joined());
  std::lock_guard lock(s.mu);
  return s.generation;
}

void JobCache::Put(Shard& s, const std::string& key, Entry job) {
  if (auto it = s.index.find(key); it != s.index.end()) {
    *it->second = std::move(job);
    s.lru.splice(s.lru.begin(), s.lru, it->second);
    return;
  }
  s.lru.push_front(std::move(job));
  s.index[key] = s.lru.begin();
  while (s.lru.size() > per_shard_) {
    s.index.erase(s.lru.back()->key.Joined());
    s.lru.pop_back();
  }
}

void JobCache::Offer(Entry job, uint64_t generation) {
  const std::string k = job->key.Joined();
  Shard& s = ShardOf(k);
  std::lock_guard lock(s.mu);
  if (s.generation != generation || s.index.count(k) != 0) return;
  Put(s, k, std::move(job));
}

void JobCache::Publish(Entry job) {
  const std::string k = job->key.Joined();
  Shard& s = ShardOf(k);
  std::lock_guard lock(s.mu);
  ++s.generation;
  if (auto it = s.index.find(k); it != s.index.end() && Stage((*it->second)->status) > Stage(job->status)) return;
  Put(s, k, std::move(job));
}

void JobCache::Erase(const JobKey& key) { EraseJoined(key.Joined()); }

void JobCache::EraseJoined(std::string joined) {
  const std::string k = std::move(joined);
  Shard& s = ShardOf(k);
  std::lock_guard lock(s.mu);
  ++s.generation;
  if (auto it = s.index.find(k); it != s.index.end()) {
    s.lru.erase(it->second);
    s.index.erase(it);
  }
}

void JobCache::Clear() {
  for (auto& s : shards_) {
    std::lock_guard lock(s->mu);
    ++s->generation;
    s->index.clear();
    s->lru.clear();
  }
}

size_t JobCache::size() const {
  size_t n = 0;
  for (const auto& s : shards_) {
    std::lock_guard lock(s->mu);
    n += s->lru.size();
  }
  return n;
}

}  // namespace causeway::jobs
