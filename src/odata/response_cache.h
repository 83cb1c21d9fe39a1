// Serialized answers to repeated identical reads of entity sets whose service declares a
// content version (Service::ReadVersion). The key carries that version, so a change in the data
// makes old entries unreachable at once; they are evicted oldest-first under the size limits.
#pragma once

#include <cstddef>
#include <deque>
#include <memory>
#include <shared_mutex>
#include <string>
#include <unordered_map>

#include "http/message.h"

namespace causeway::odata {

class ResponseCache {
 public:
  struct Limits {
    size_t max_entries = 256;
    size_t max_body_bytes = 1024 * 1024;       // larger responses are not kept
    size_t max_total_bytes = 16 * 1024 * 1024;
  };

  explicit ResponseCache(Limits limits) : limits_(limits) {}

  // The stored response for `key`, or null.
  std::shared_ptr<const http::Response> Find(const std::string& key) const;
  // Keeps a copy of `response` under `key` (replacing an older one), evicting the oldest
  // entries while a limit would be exceeded.
  void Store(const std::string& key, const http::Response& response);

  size_t entries() const;
  size_t total_bytes() const;

 private:
  static size_t Cost(const http::Response& r);

  const Limits limits_;
  mutable std::shared_mutex mu_;
  std::unordered_map<std::string, std::shared_ptr<const http::Response>> map_;  // GUARDED_BY(mu_)
  std::deque<std::string> order_;                                              // GUARDED_BY(mu_), oldest first
  size_t bytes_ = 0;                                                            // GUARDED_BY(mu_)
};

}  // namespace causeway::odata
