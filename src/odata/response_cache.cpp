#include "odata/response_cache.h"

#include <mutex>

namespace causeway::odata {

size_t ResponseCache::Cost(const http::Response& r) {
  size_t n = r.body_view().size();
  for (const auto& [name, value] : r.headers.items()) n += name.size() + value.size();
  return n;
}

std::shared_ptr<const http::Response> ResponseCache::Find(const std::string& key) const {
  std::shared_lock lock(mu_);
  auto it = map_.find(key);
  return it == map_.end() ? nullptr : it->second;
}

void ResponseCache::Store(const std::string& key, const http::Response& response) {
  const size_t cost = Cost(response) + key.size();
  if (limits_.max_entries == 0 || response.body_view().size() > limits_.max_body_bytes ||
      cost > limits_.max_total_bytes)
    return;
  // Hits copy the response's head; the body is shared, never copied again.
  auto copy = std::make_shared<http::Response>(response);
  if (!copy->shared_body) copy->shared_body = std::make_shared<const std::string>(std::move(copy->body));
  copy->body = std::string();
  std::unique_lock lock(mu_);
  if (map_.count(key)) return;  // two threads missed at once: keep the first
  while (!order_.empty() && (map_.size() + 1 > limits_.max_entries || bytes_ + cost > limits_.max_total_bytes)) {
    auto old = map_.find(order_.front());
    bytes_ -= Cost(*old->second) + old->first.size();
    map_.erase(old);
    order_.pop_front();
  }
  map_.emplace(key, std::move(copy));
  order_.push_back(key);
  bytes_ += cost;
}

size_t ResponseCache::entries() const {
  std::shared_lock lock(mu_);
  return map_.size();
}

size_t ResponseCache::total_bytes() const {
  std::shared_lock lock(mu_);
  return bytes_;
}

}  // namespace causeway::odata
