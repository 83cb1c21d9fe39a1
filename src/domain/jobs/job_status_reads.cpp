#include "domain/jobs/job_status_reads.h"

#include <algorithm>
#include <unordered_map>

#include "core/blocking.h"
#include "domain/jobs/job_rows.h"
#include "store/repeated_sql.h"

namespace causeway::jobs {
namespace {

// Keys per query; a batch is padded to the next of these sizes (repeating a key), so each
// connection caches a handful of statement texts.
constexpr size_t kSizes[] = {1, 2, 4, 8, 16, 32, 64};
constexpr size_t kMaxBatch = 64;

const std::string& StatusSql(size_t keys) {
  static const store::RepeatedSql kSql("SELECT job_name, run_count, status, creator FROM jobs WHERE ",
                                       "(job_name = ? AND run_count = ?)", " OR ", "", kMaxBatch);
  return kSql(keys);
}

}  // namespace

core::Result<std::optional<repository::StatusRow>> StatusReads::Get(const JobKey& key) {
  if (!core::MayBlock()) return core::WouldBlock();
  Waiter me{&key};
  std::unique_lock lock(mu_);
  pending_.push_back(&me);
  while (!me.done) {
    if (running_) {
      cv_.wait(lock);
      continue;
    }
    // Lead the next query: everybody who arrived so far (up to kMaxBatch, oldest first).
    running_ = true;
    const size_t n = std::min(kMaxBatch, pending_.size());
    std::vector<Waiter*> batch(pending_.begin(), pending_.begin() + static_cast<std::ptrdiff_t>(n));
    pending_.erase(pending_.begin(), pending_.begin() + static_cast<std::ptrdiff_t>(n));
    lock.unlock();
    Query(batch);
    lock.lock();
    for (Waiter* w : batch) w->done = true;
    running_ = false;
    cv_.notify_all();
  }
  if (!me.error.ok()) return me.error.error();
  return me.row;
}

void StatusReads::Query(const std::vector<Waiter*>& batch) {
  const size_t size = *std::lower_bound(std::begin(kSizes), std::end(kSizes), batch.size());
  std::vector<store::Value> params;
  params.reserve(size * 2);
  for (size_t i = 0; i < size; ++i) {
    const JobKey& k = *batch[std::min(i, batch.size() - 1)]->key;
    params.emplace_back(k.name);
    params.emplace_back(k.run_count);
  }
  std::unordered_map<std::string, repository::StatusRow> found;
  core::Status st = db_.Read([&](store::Tx& tx) {
    return tx.Query(StatusSql(size), params, [&](const store::Row& r) {
      found[r.String(0) + "/" + r.String(1)] = {rows::StatusOf(r.Text(2)), r.String(3)};
    });
  });
  for (Waiter* w : batch) {
    if (!st.ok()) {
      w->error = st;
      continue;
    }
    auto it = found.find(w->key->Joined());
    if (it != found.end()) w->row = it->second;
  }
}

}  // namespace causeway::jobs
